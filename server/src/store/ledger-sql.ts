import { LEDGER_DIMENSIONS, type LedgerQuery, type LedgerRow } from './run-records.ts';

/** A ledger query as SQL for either engine; `param(n)` writes the n-th placeholder (`?` or `$n`). */
export function ledgerSql(query: LedgerQuery, param: (n: number) => string): { sql: string; params: string[] } {
  // Only known column names reach the SQL; the values are parameters.
  const groups = LEDGER_DIMENSIONS.filter((d) => query.groupBy.includes(d));
  const params: string[] = [query.from, query.to];
  const where = [`day >= ${param(1)}`, `day <= ${param(2)}`];
  if (query.site !== undefined) {
    params.push(query.site);
    where.push(`site = ${param(params.length)}`);
  }
  if (query.workflow !== undefined) {
    params.push(query.workflow);
    where.push(`workflow = ${param(params.length)}`);
  }
  const columns = [...groups, 'SUM(calls) AS calls', 'SUM(input_tokens) AS input_tokens', 'SUM(output_tokens) AS output_tokens'];
  const grouping = groups.length > 0 ? ` GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}` : '';
  return { sql: `SELECT ${columns.join(', ')} FROM usage_ledger WHERE ${where.join(' AND ')}${grouping}`, params };
}

/** A result row as a `LedgerRow` (sums arrive as strings from pg; NULL sums of no rows as 0). */
export function ledgerRow(row: Record<string, unknown>, groupBy: LedgerQuery['groupBy']): LedgerRow {
  const out: LedgerRow = { calls: Number(row.calls ?? 0), inputTokens: Number(row.input_tokens ?? 0), outputTokens: Number(row.output_tokens ?? 0) };
  for (const d of LEDGER_DIMENSIONS) if (groupBy.includes(d)) out[d] = String(row[d]);
  return out;
}
