import type { ThreadUsage, UsageDimension, UsageReport, UsageRow } from '@agent-chat/shared';
import type { LedgerRow, Storage } from '../store/storage.ts';
import { costOf, type PriceTable } from './prices.ts';

export interface UsageReportQuery {
  /** First and last UTC day included, `YYYY-MM-DD`. */
  from: string;
  to: string;
  groupBy: readonly UsageDimension[];
  /** Only this site ('' for an open server's threads). */
  site?: string;
  workflow?: string;
  /** Only calls to this model. */
  model?: string;
}

type Totals = Pick<UsageRow, 'calls' | 'inputTokens' | 'outputTokens' | 'costUsd'>;

const zero = (): Totals => ({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });

function add(into: Totals, row: Pick<LedgerRow, 'calls' | 'inputTokens' | 'outputTokens'>, costUsd: number): void {
  into.calls += row.calls;
  into.inputTokens += row.inputTokens;
  into.outputTokens += row.outputTokens;
  into.costUsd += costUsd;
}

/** Cost is summed in micro-dollars' precision: enough for a report, stable in JSON. */
const rounded = (t: Totals): Totals => ({ ...t, costUsd: Math.round(t.costUsd * 1e6) / 1e6 });

/**
 * Token totals and cost from the usage ledger. Cost needs each row's model and provider, so the
 * ledger is read by those too and folded into the groups asked for.
 */
export async function usageReport(
  storage: Pick<Storage, 'ledger'>,
  query: UsageReportQuery,
  prices: PriceTable,
): Promise<Omit<UsageReport, 'budgets'>> {
  const groupBy = [...new Set(query.groupBy)];
  const rows = await storage.ledger.query({
    from: query.from,
    to: query.to,
    groupBy: [...new Set<UsageDimension>([...groupBy, 'model', 'provider'])],
    ...(query.site !== undefined ? { site: query.site } : {}),
    ...(query.workflow !== undefined ? { workflow: query.workflow } : {}),
  });
  const groups = new Map<string, UsageRow>();
  const total = zero();
  for (const row of rows) {
    // Rows always come per model (for their price), so a model filter is a plain skip.
    if (query.model !== undefined && row.model !== query.model) continue;
    const cost = costOf(prices, row.model ?? '', row, row.provider === 'offline');
    add(total, row, cost);
    const keys = groupBy.map((d) => row[d] ?? '');
    const key = JSON.stringify(keys);
    let group = groups.get(key);
    if (!group) {
      group = { ...Object.fromEntries(groupBy.map((d, i) => [d, keys[i]])), ...zero() };
      groups.set(key, group);
    }
    add(group, row, cost);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => ({ ...g, ...rounded(g) }));
  return { from: query.from, to: query.to, groupBy, currency: 'USD', rows: ordered, total: rounded(total) };
}

/** A thread's tokens and cost per run and model. */
export async function threadUsage(storage: Pick<Storage, 'runSteps'>, threadId: string, prices: PriceTable): Promise<ThreadUsage> {
  const runs = await storage.runSteps.usageOfThread(threadId);
  const total = zero();
  const out = runs.map((r) => {
    const costUsd = costOf(prices, r.model, r, r.provider === 'offline');
    add(total, r, costUsd);
    return { ...r, ...rounded({ calls: r.calls, inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd }) };
  });
  return { threadId, currency: 'USD', runs: out, total: rounded(total) };
}
