import { fileURLToPath } from 'node:url';
import { type EvalEnvironment, openEvalEnvironment } from '../../src/evals/eval-environment.ts';
import { silentLogger } from '../../src/logger.ts';
import { demoTools } from '../../../demo/tools/index.ts';

/** The demo's files an eval runs on. */
export const DEMO = {
  workflows: fileURLToPath(new URL('../../../demo/workflows/', import.meta.url)),
  connectors: fileURLToPath(new URL('../../../demo/connectors.json', import.meta.url)),
  tools: fileURLToPath(new URL('../../../demo/tools/index.ts', import.meta.url)),
  cases: fileURLToPath(new URL('../../../demo/evals/support.jsonl', import.meta.url)),
  variant: fileURLToPath(new URL('../../../demo/evals/support-variant.json', import.meta.url)),
  support: fileURLToPath(new URL('../../../demo/workflows/support.json', import.meta.url)),
};

/** The demo server's parts (workflows, tools, the inventory connector) on the offline model. */
export function demoEnvironment(variants: Array<{ name: string; file: string }> = []): EvalEnvironment {
  return openEvalEnvironment({ workflowsDir: DEMO.workflows, connectorsFile: DEMO.connectors, tools: demoTools, variants, env: {}, logger: silentLogger });
}
