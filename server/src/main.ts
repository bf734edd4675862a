/**
 * Command-line entry: `tsx server/src/main.ts`. Reads the configuration from the environment
 * and serves until SIGINT/SIGTERM. The demo's own entry is demo/server.ts (`npm start`).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tool } from './agents/tool.ts';
import { type Config, REPO_ROOT, loadConfig } from './config.ts';
import { runServerCli } from './index.ts';

/** Start-up problems are reported as one message and exit code 1, never a stack trace. */
function fail(error: unknown): void {
  process.stderr.write(`agent-chat: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  let config: Config;
  let tools: readonly Tool[] = [];
  try {
    config = loadConfig();
    // The default workflows are the demo's, so they need the demo's tools.
    if (config.workflowsDir === resolve(REPO_ROOT, 'demo/workflows')) {
      const demo = (await import(pathToFileURL(resolve(REPO_ROOT, 'demo/tools/index.ts')).href)) as { demoTools: readonly Tool[] };
      tools = demo.demoTools;
    }
  } catch (error) {
    fail(error);
    return;
  }
  await runServerCli({ config, tools });
}

void main();
