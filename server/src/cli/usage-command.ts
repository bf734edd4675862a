import { resolve } from 'node:path';
import type { UsageReport } from '@agent-chat/shared';
import { DEFAULT_PRICES, loadPrices, type PriceTable } from '../usage/prices.ts';
import { parseUsageQuery } from '../usage/usage-query.ts';
import { threadUsage, usageReport } from '../usage/usage-report.ts';
import { formatThreadUsage, formatUsageReport } from '../usage/usage-table.ts';
import { parseCommandArgs } from './command-args.ts';
import { commandConfig } from './command-config.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { openStoredData } from './stored-data.ts';

/** `agent-chat usage --help`. */
export const USAGE_USAGE = `Usage: agent-chat usage [--from <day>] [--to <day>] [--by <dimensions>] [--site <id>] [--workflow <id>] [--json]
       agent-chat usage --thread <id> [--json]

Tokens and cost from the usage ledger: every model call of every run, per UTC day, site,
workflow, agent, model and provider. Reads the database the server uses (DATA_DIR or
DATABASE_URL) and changes nothing in it. Costs use PRICES_FILE (or --prices) over the
built-in price table; the offline model costs nothing.

  --from <day>        first UTC day, YYYY-MM-DD (default: 6 days before --to)
  --to <day>          last UTC day (default: today)
  --by <dimensions>   group by, comma-separated: day, site, workflow, agent, model, provider
                      (default: day)
  --site <id>         only this site ("" for an open server's threads)
  --workflow <id>     only this workflow
  --thread <id>       one thread's tokens and cost per run instead
  --prices <file>     USD per 1M tokens by model: {"gpt-4.1-mini": {"input": 0.4, "output": 1.6}}
  --json              print the report as JSON (the shape of GET /v1/admin/usage)

Exit: 0 printed, 1 no database or no such thread, 2 bad arguments.`;

/** `agent-chat usage`: what the models cost (see `USAGE_USAGE`). */
export async function usageCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      site: { type: 'string' },
      workflow: { type: 'string' },
      thread: { type: 'string' },
      prices: { type: 'string' },
      json: { type: 'boolean' },
    },
    { usage: USAGE_USAGE, maxPositionals: 0 },
    io,
  );
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const { values } = parsed;
  const fail = (message: string) => {
    io.stderr(`agent-chat usage: ${message}\n${USAGE_USAGE}\n`);
    return ExitCode.usage;
  };
  const period = parseUsageQuery({ from: values.from, to: values.to, groupBy: values.by }, new Date().toISOString().slice(0, 10));
  if ('error' in period) return fail(period.error.replace('groupBy', '--by'));
  const config = commandConfig(io);
  if (!config) return ExitCode.usage;
  const pricesFile = values.prices ?? config.pricesFile;
  let prices: PriceTable = DEFAULT_PRICES;
  if (pricesFile) {
    try {
      prices = loadPrices(resolve(pricesFile), pricesFile);
    } catch (error) {
      io.stderr(`agent-chat usage: ${(error as Error).message}\n`);
      return ExitCode.usage;
    }
  }

  const storage = await openStoredData(config, io, 'agent-chat usage');
  if (!storage) return ExitCode.failed;
  try {
    if (values.thread !== undefined) {
      if (!(await storage.threads.get(values.thread))) {
        io.stderr(`agent-chat usage: no thread "${values.thread}"\n`);
        return ExitCode.failed;
      }
      const usage = await threadUsage(storage, values.thread, prices);
      io.stdout(values.json ? `${JSON.stringify(usage, null, 2)}\n` : formatThreadUsage(usage));
      return ExitCode.ok;
    }
    const report: UsageReport = {
      ...(await usageReport(
        storage,
        { ...period.query, ...(values.site !== undefined ? { site: values.site } : {}), ...(values.workflow !== undefined ? { workflow: values.workflow } : {}) },
        prices,
      )),
      // Budgets are the server's quotas (GET /v1/admin/usage); the ledger does not know them.
      budgets: [],
    };
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatUsageReport(report));
    return ExitCode.ok;
  } finally {
    await storage.close();
  }
}
