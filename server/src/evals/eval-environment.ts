import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ConnectorSpec, Workflow } from '@agent-chat/shared';
import { createGuardrailRegistry, type Guardrail } from '../agents/guardrails/guardrail.ts';
import { createRunAgent } from '../agents/run-loop.ts';
import type { RunAgent } from '../agents/run-types.ts';
import type { Tool } from '../agents/tool.ts';
import { ConnectorRegistry, loadConnectors } from '../connectors/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ModelProvider } from '../models/model.ts';
import { createModelProvider } from '../models/openai-provider.ts';
import { createBuiltinToolRegistry } from '../workflows/builtin-tools.ts';
import { parseWorkflowFile, readWorkflowFiles, type WorkflowRegistries } from '../workflows/load-workflows.ts';
import type { EvalVariant } from './run-eval.ts';

/** The configuration an eval cannot start with: every problem, one line each. */
export class EvalSetupError extends AppError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('invalid_request', problems.join('\n'));
    this.problems = problems;
  }
}

/** What the server would be configured with, as an eval reads it. */
export interface EvalEnvironmentOptions {
  workflowsDir: string;
  /** How `workflowsDir` is named in problems. */
  workflowsDisplayDir?: string;
  connectorsFile?: string | undefined;
  /** The tools and custom guardrails the server's code adds (`--tools`). */
  tools?: readonly Tool[];
  guardrails?: readonly Guardrail[];
  /** `--variant name=file`: workflow files read and checked like the workflows directory's. */
  variants?: ReadonlyArray<{ name: string; file: string; shown?: string }>;
  env: Record<string, string | undefined>;
  openaiApiKey?: string | undefined;
  openaiBaseUrl?: string | undefined;
  /** The operator's log for runs (tool failures, connector trouble). */
  logger: Logger;
  /** How the eval introduces itself to MCP servers. */
  clientInfo?: { name: string; version: string };
}

/** The server's parts an eval runs on. `close()` stops the connectors' servers. */
export interface EvalEnvironment {
  workflows: Map<string, Workflow>;
  variants: EvalVariant[];
  models: ModelProvider;
  createRunAgent: (models: ModelProvider) => RunAgent;
  close(): Promise<void>;
}

/**
 * Reads the configuration the server would start with (the workflows directory, the connectors
 * file, the code's tools and guardrails, the model settings) and the variant files, with the
 * server's own readers and checks.
 *
 * @throws EvalSetupError listing every problem found.
 */
export function openEvalEnvironment(options: EvalEnvironmentOptions): EvalEnvironment {
  const problems: string[] = [];
  let specs: ConnectorSpec[] = [];
  if (options.connectorsFile) {
    try {
      specs = loadConnectors(options.connectorsFile, options.env);
    } catch (error) {
      throw new EvalSetupError([error instanceof Error ? error.message : String(error)]);
    }
  }
  let registries: WorkflowRegistries;
  try {
    registries = {
      tools: createBuiltinToolRegistry(options.tools ?? []),
      guardrails: createGuardrailRegistry(options.guardrails ?? []),
      connectors: new Map(specs.map((spec) => [spec.id, spec])),
    };
  } catch (error) {
    throw new EvalSetupError([error instanceof Error ? error.message : String(error)]);
  }
  const read = readWorkflowFiles(options.workflowsDir, registries, { displayDir: options.workflowsDisplayDir ?? options.workflowsDir });
  problems.push(...read.problems.map((p) => p.line));
  const variants: EvalVariant[] = [];
  for (const variant of options.variants ?? []) {
    const shown = variant.shown ?? variant.file;
    let text: string;
    try {
      text = readFileSync(variant.file, 'utf8');
    } catch (error) {
      problems.push(`${shown}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      continue;
    }
    const parsed = parseWorkflowFile(shown || basename(variant.file), text, registries);
    problems.push(...parsed.problems.map((p) => p.line));
    if (parsed.workflow) variants.push({ name: variant.name, workflow: parsed.workflow });
  }
  if (problems.length > 0) throw new EvalSetupError(problems);

  // No typing delay: an eval measures the model and tools, not the demo's pacing.
  const models = createModelProvider({ apiKey: options.openaiApiKey, baseURL: options.openaiBaseUrl, offlineDelayMs: 0 });
  const connectors = new ConnectorRegistry(specs, { env: options.env, log: options.logger, clientInfo: options.clientInfo ?? { name: 'agent-chat-eval', version: '1' } });
  const { tools, guardrails } = registries;
  return {
    workflows: read.workflows,
    variants,
    models,
    createRunAgent: (runModels) => createRunAgent({ models: runModels, tools, guardrails, connectors, logger: options.logger }),
    close: () => connectors.close(),
  };
}
