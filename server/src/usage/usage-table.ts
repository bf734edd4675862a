import type { ThreadUsage, UsageReport } from '@agent-chat/shared';
import { formatUsd } from './format-usd.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** Rows of cells as aligned columns: text left, numbers (every column after `textColumns`) right. */
function columns(rows: readonly string[][], textColumns: number): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < textColumns ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
}

/** A usage report as the `usage` command prints it: a row per group, a total, the budgets. */
export function formatUsageReport(report: UsageReport): string {
  const dims = report.groupBy;
  const header = [...dims, 'calls', 'input tokens', 'output tokens', 'cost'];
  const body = report.rows.map((r) => [
    ...dims.map((d) => (d === 'site' && r.site === '' ? '(open)' : (r[d] ?? ''))),
    count(r.calls),
    count(r.inputTokens),
    count(r.outputTokens),
    formatUsd(r.costUsd),
  ]);
  const t = report.total;
  const lines = [`Usage ${report.from} to ${report.to} (UTC)`, ''];
  if (body.length === 0) lines.push('No model calls in this period.');
  else {
    const total = [...dims.map((_, i) => (i === 0 ? 'total' : '')), count(t.calls), count(t.inputTokens), count(t.outputTokens), formatUsd(t.costUsd)];
    lines.push(...columns([header, ...body, dims.length > 0 ? total : []].filter((r) => r.length > 0), dims.length));
  }
  for (const b of report.budgets) {
    const site = b.site === '' ? 'open server' : `site ${b.site}`;
    const limit = b.dailyTokens > 0 ? ` of ${count(b.dailyTokens)} (${Math.round((100 * b.usedToday) / b.dailyTokens)}%)` : ' (no daily budget)';
    lines.push('', `Today, ${site}: ${count(b.usedToday)} tokens${limit}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** A thread's usage per run and model. */
export function formatThreadUsage(usage: ThreadUsage): string {
  const header = ['run', 'model', 'calls', 'input tokens', 'output tokens', 'cost'];
  const body = usage.runs.map((r) => [r.runId, r.model, count(r.calls), count(r.inputTokens), count(r.outputTokens), formatUsd(r.costUsd)]);
  const t = usage.total;
  const lines = [`Usage of thread ${usage.threadId}`, ''];
  if (body.length === 0) lines.push('No model calls in this thread.');
  else lines.push(...columns([header, ...body, ['total', '', count(t.calls), count(t.inputTokens), count(t.outputTokens), formatUsd(t.costUsd)]], 2));
  return `${lines.join('\n')}\n`;
}
