import { resolve } from 'node:path';
import { createGuardrailRegistry } from '../agents/guardrails/guardrail.ts';
import { deploymentProblem } from '../config.ts';
import { createBuiltinToolRegistry } from '../workflows/builtin-tools.ts';
import { validateConfiguration } from '../workflows/validate-configuration.ts';
import { parseCommandArgs } from './command-args.ts';
import { commandConfig } from './command-config.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { displayPath } from './display-path.ts';
import { type CodeExtensions, importCodeExtensions } from './tools-module.ts';

/** `agent-chat validate --help`. */
export const VALIDATE_USAGE = `Usage: agent-chat validate [dir] [--sites <file>] [--connectors <file>] [--tools <module>]... [--strict]

Checks every workflow file in dir (default: WORKFLOWS_DIR), the sites file (default: SITES_FILE),
the connectors file (default: CONNECTORS_FILE) and the names they give each other, and prints
every problem, one per line.

  --sites <file>       the sites file to check instead of SITES_FILE
  --connectors <file>  the connectors file to check instead of CONNECTORS_FILE
  --tools <module>   a module exporting the array(s) of tools and guardrails your code passes to
                     the server (e.g. demo/tools/index.js); repeatable. With it, a tool or custom
                     guardrail name that resolves nowhere is an error; without it, a warning.
  --strict           warnings fail too

Exit: 0 valid, 1 problems found, 2 bad arguments or a tools module that cannot be loaded.`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `agent-chat validate [dir]`: checks the configuration a server would load at start-up, with
 * the same readers, and reports all problems at once (`file:line:col: …` for JSON syntax,
 * `file: path.to.field: …` otherwise) and a summary line.
 */
export async function validateCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    { sites: { type: 'string' }, connectors: { type: 'string' }, tools: { type: 'string', multiple: true }, strict: { type: 'boolean' } },
    { usage: VALIDATE_USAGE, maxPositionals: 1 },
    io,
  );
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const config = commandConfig(io);
  if (!config) return ExitCode.failed;
  const { sites: sitesFlag, connectors: connectorsFlag, tools: toolModules = [], strict = false } = parsed.values;
  const dir = parsed.positionals[0];
  const workflowsDir = dir ? resolve(dir) : config.workflowsDir;
  const sitesFile = sitesFlag ? resolve(sitesFlag) : config.sitesFile;
  const connectorsFile = connectorsFlag ? resolve(connectorsFlag) : config.connectorsFile;

  const code: CodeExtensions = { tools: [], guardrails: [] };
  for (const module of toolModules) {
    try {
      const found = await importCodeExtensions(module);
      code.tools.push(...found.tools);
      code.guardrails.push(...found.guardrails);
    } catch (error) {
      io.stderr(`agent-chat validate: cannot load the tools module ${module}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.usage;
    }
  }
  let registries;
  try {
    registries = { tools: createBuiltinToolRegistry(new Set(code.tools)), guardrails: createGuardrailRegistry(new Set(code.guardrails)) };
  } catch (error) {
    // Two different tools with one name: the server would refuse them too.
    io.stderr(`agent-chat validate: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.usage;
  }

  const report = validateConfiguration({
    workflowsDir,
    workflowsDisplayDir: displayPath(workflowsDir),
    sitesFile: sitesFile && displayPath(sitesFile),
    connectorsFile: connectorsFile && displayPath(connectorsFile),
    env: io.env,
    registries,
    codeNamesKnown: toolModules.length > 0,
  });
  // With the sites file of the flag, the server would be configured as validated here.
  const deployment = deploymentProblem({ ...config, sitesFile });
  const errors = [...(deployment ? [`environment: ${deployment}`] : []), ...(strict ? [...report.errors, ...report.warnings] : report.errors)];
  const warnings = strict ? [] : report.warnings;
  for (const line of errors) io.stdout(`${line}\n`);
  for (const line of warnings) io.stdout(`${line} (warning)\n`);
  const warned =
    warnings.length > 0
      ? `; ${plural(warnings.length, 'warning')}: names not built in, which your code may provide (--tools <module> checks them, --strict fails on them)`
      : '';
  if (errors.length > 0) {
    io.stdout(`${plural(errors.length, 'problem')} found${warned}\n`);
    return ExitCode.failed;
  }
  const sitesCount = report.sites?.registry.all.length ?? 0;
  const connectorsPart = report.connectors ? `, ${plural(report.connectors.length, 'connector')}` : '';
  io.stdout(`${plural(report.workflows.size, 'workflow')}, ${plural(sitesCount, 'site')}${connectorsPart} OK${sitesFile ? '' : ' (no sites file: the server runs open)'}${warned}\n`);
  return ExitCode.ok;
}
