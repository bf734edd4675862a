import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { evalRecord, type EvalRunInfo } from '../evals/eval-record.ts';
import type { CaseResult } from '../evals/run-eval.ts';
import { newId } from '../ids.ts';
import { silentLogger } from '../logger.ts';
import { openStorage } from '../store/open-storage.ts';
import { DATABASE_FILE } from '../store/sqlite/database.ts';
import { EvalCasesError, loadCases } from '../evals/load-cases.ts';
import { EvalSetupError, openEvalEnvironment } from '../evals/eval-environment.ts';
import { formatJsonl } from '../evals/report-jsonl.ts';
import { formatJunit } from '../evals/report-junit.ts';
import { formatTable } from '../evals/report-table.ts';
import { DEFAULT_PRICES, loadPrices, type PriceTable } from '../usage/prices.ts';
import { runEval } from '../evals/run-eval.ts';
import type { Logger } from '../logger.ts';
import { formatError, formatFields } from '../logger.ts';
import { parseCommandArgs } from './command-args.ts';
import { commandConfig } from './command-config.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { displayPath } from './display-path.ts';
import { evalExportCommand } from './eval-export-command.ts';
import { type CodeExtensions, importCodeExtensions } from './tools-module.ts';

/** `agent-chat eval --help`. */
export const EVAL_USAGE = `Usage: agent-chat eval <cases.jsonl> [options]
       agent-chat eval export --thread <id> | --feedback down [--out <file>]

Plays every case of the JSONL file as a fresh conversation through the server's run loop, with
the server's configuration (WORKFLOWS_DIR, CONNECTORS_FILE, OPENAI_API_KEY / OPENAI_BASE_URL, or
the offline model without them), grades it, and prints a table and a summary per variant.
The case format and the graders: docs/evals.md.

  --workflow <id>           the workflow of cases that name none
  --variant <name>=<file>   grade the cases against this workflow file instead; repeatable (A/B)
  --tools <module>          a module exporting the tools and guardrails your code adds; repeatable
  --connectors <file>       the connectors file instead of CONNECTORS_FILE
  --model <name>            run every agent on this model
  --concurrency <n>         cases played at once (default 4)
  --prices <file>           USD per 1M tokens by model: {"gpt-4.1-mini": {"input": 0.4, "output": 1.6}}
  --jsonl <file>            write one JSON result per case per variant
  --junit <file>            write JUnit XML (one testsuite per variant)
  --no-store                do not store the run in the server's database (DATABASE_URL, or
                            DATA_DIR's when the server has made one), where the console shows it

Exit: 0 every case passed, 1 a case failed, 2 bad arguments or files.`;

/** Run warnings and errors on stderr, one line each (a tool that failed, a connector that is down). */
function stderrLogger(io: CommandIo): Logger {
  const line = (level: string, message: string, error: unknown, fields: Parameters<typeof formatFields>[0]) =>
    io.stderr(`eval ${level}: ${message}${formatFields(fields)}${error !== undefined ? ` ${formatError(error)}` : ''}\n`);
  return { info: () => {}, warn: (m, e, f) => line('warn', m, e, f), error: (m, e, f) => line('error', m, e, f) };
}

function parseVariant(value: string): { name: string; file: string } | undefined {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) return undefined;
  return { name: value.slice(0, at), file: value.slice(at + 1) };
}

/**
 * `agent-chat eval <cases.jsonl>`: grades workflows on a file of cases (see `EVAL_USAGE`);
 * `agent-chat eval export …` writes cases from stored threads.
 */
export async function evalCommand(args: string[], io: CommandIo): Promise<number> {
  if (args[0] === 'export') return evalExportCommand(args.slice(1), io);
  const parsed = parseCommandArgs(
    args,
    {
      workflow: { type: 'string' },
      variant: { type: 'string', multiple: true },
      tools: { type: 'string', multiple: true },
      connectors: { type: 'string' },
      model: { type: 'string' },
      concurrency: { type: 'string' },
      prices: { type: 'string' },
      jsonl: { type: 'string' },
      junit: { type: 'string' },
      'no-store': { type: 'boolean' },
    },
    { usage: EVAL_USAGE, maxPositionals: 1 },
    io,
  );
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const fail = (message: string) => {
    io.stderr(`agent-chat eval: ${message}\n`);
    return ExitCode.usage;
  };
  const casesFile = parsed.positionals[0];
  if (!casesFile) return fail(`name the cases file (JSONL)\n${EVAL_USAGE}`);
  const { values } = parsed;
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return fail(`--concurrency must be a whole number from 1 to 64, not "${values.concurrency}"`);
  const variants: Array<{ name: string; file: string; shown: string }> = [];
  for (const value of values.variant ?? []) {
    const variant = parseVariant(value);
    if (!variant) return fail(`--variant takes name=path/to/workflow.json, not "${value}"`);
    if (variants.some((v) => v.name === variant.name)) return fail(`two variants named "${variant.name}"`);
    variants.push({ name: variant.name, file: resolve(variant.file), shown: variant.file });
  }
  let prices: PriceTable = DEFAULT_PRICES;
  if (values.prices) {
    try {
      prices = loadPrices(resolve(values.prices), values.prices);
    } catch (error) {
      return fail((error as Error).message);
    }
  }
  let cases;
  try {
    cases = loadCases(resolve(casesFile), casesFile);
  } catch (error) {
    if (!(error instanceof EvalCasesError)) throw error;
    for (const problem of error.problems) io.stderr(`${problem}\n`);
    return ExitCode.usage;
  }
  const config = commandConfig(io);
  if (!config) return ExitCode.usage;
  const code: CodeExtensions = { tools: [], guardrails: [] };
  for (const module of values.tools ?? []) {
    try {
      const found = await importCodeExtensions(module);
      code.tools.push(...found.tools);
      code.guardrails.push(...found.guardrails);
    } catch (error) {
      return fail(`cannot load the tools module ${module}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const logger = stderrLogger(io);
  let environment;
  try {
    environment = openEvalEnvironment({
      workflowsDir: config.workflowsDir,
      workflowsDisplayDir: displayPath(config.workflowsDir),
      connectorsFile: values.connectors ? resolve(values.connectors) : config.connectorsFile,
      tools: code.tools,
      guardrails: code.guardrails,
      variants,
      env: io.env,
      openaiApiKey: config.openaiApiKey,
      openaiBaseUrl: config.openaiBaseUrl,
      logger,
    });
  } catch (error) {
    if (!(error instanceof EvalSetupError)) throw error;
    for (const problem of error.problems) io.stderr(`${problem}\n`);
    return ExitCode.usage;
  }
  if (values.workflow && !environment.workflows.has(values.workflow) && variants.length === 0) {
    await environment.close();
    return fail(`--workflow: no workflow "${values.workflow}" in ${displayPath(config.workflowsDir)}`);
  }
  const startedAt = new Date().toISOString();
  try {
    const results = await runEval({
      cases,
      workflows: environment.workflows,
      defaultWorkflow: values.workflow,
      variants: environment.variants.length > 0 ? environment.variants : [{ name: 'default' }],
      models: environment.models,
      createRunAgent: environment.createRunAgent,
      model: values.model,
      concurrency,
      prices,
    });
    io.stdout(formatTable(results));
    if (values.jsonl) writeFileSync(resolve(values.jsonl), formatJsonl(results));
    if (values.junit) writeFileSync(resolve(values.junit), formatJunit(results));
    if (!values['no-store']) {
      const info: EvalRunInfo = {
        id: newId('evr'),
        startedAt,
        finishedAt: new Date().toISOString(),
        casesFile,
        model: values.model,
        variants: variants.length > 0 ? variants.map((v) => ({ name: v.name, file: v.shown })) : [{ name: 'default' }],
        caseCount: cases.length,
      };
      await storeRun(config, info, results, io);
    }
    return results.every((r) => r.pass) ? ExitCode.ok : ExitCode.failed;
  } finally {
    await environment.close();
  }
}

/**
 * Stores the run where the server keeps its data, for the console and the admin API: Postgres at
 * DATABASE_URL, else the SQLite file under DATA_DIR if the server has made it (a command never
 * creates one). Failing to store is reported and does not change the exit code: the grades stand.
 */
async function storeRun(config: Config, info: EvalRunInfo, results: readonly CaseResult[], io: CommandIo): Promise<void> {
  const databaseFile = join(config.dataDir, DATABASE_FILE);
  if (!config.databaseUrl && !existsSync(databaseFile)) {
    io.stderr(`eval: not stored: no database at ${displayPath(databaseFile)} (set DATA_DIR to the server's, or DATABASE_URL; --no-store skips this)\n`);
    return;
  }
  const { run, cases } = evalRecord(info, results);
  try {
    const storage = await openStorage(config, silentLogger);
    try {
      await storage.evalRuns.save(run, cases);
    } finally {
      await storage.close();
    }
    io.stderr(`eval: stored as ${run.id} (the console's Evals view, GET /v1/admin/evals/${run.id})\n`);
  } catch (error) {
    io.stderr(`eval: not stored: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
