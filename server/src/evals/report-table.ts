import { differences, failureMessage, summarize, variantsOf } from './eval-summary.ts';
import { formatUsd } from '../usage/format-usd.ts';
import type { CaseResult } from './run-eval.ts';

const MAX_MESSAGE = 160;

function cell(result: CaseResult | undefined): string {
  if (!result) return '-';
  if (result.pass) return '✓';
  const message = failureMessage(result).replace(/\s+/g, ' ');
  return `✗ ${message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message}`;
}

/**
 * The report people read: one row per case with ✓/✗ per variant (✗ with the failing graders'
 * messages), a summary line per variant, and the cases the variants disagree on.
 */
export function formatTable(results: readonly CaseResult[]): string {
  const variants = variantsOf(results);
  const ids = [...new Set(results.map((r) => r.caseId))];
  const idWidth = Math.max(4, ...ids.map((id) => id.length));
  const lines: string[] = [];
  lines.push([`${'case'.padEnd(idWidth)}`, ...variants].join('  '));
  for (const id of ids) {
    const cells = variants.map((variant) => cell(results.find((r) => r.caseId === id && r.variant === variant)));
    // A failure message can be long: the cells before it are padded to their variant's name.
    lines.push([id.padEnd(idWidth), ...cells.map((c, i) => (i < cells.length - 1 && c.length <= variants[i]!.length ? c.padEnd(variants[i]!.length) : c))].join('  '));
  }
  lines.push('');
  for (const s of summarize(results)) {
    const rate = s.cases > 0 ? Math.round((100 * s.passed) / s.cases) : 0;
    lines.push(
      `${s.variant}: ${s.passed}/${s.cases} passed (${rate}%), ${(s.inputTokens + s.outputTokens).toLocaleString('en-US')} tokens ` +
        `(${s.inputTokens.toLocaleString('en-US')} in, ${s.outputTokens.toLocaleString('en-US')} out), ${formatUsd(s.costUsd)}, p50 ${Math.round(s.p50LatencyMs)} ms, p95 ${Math.round(s.p95LatencyMs)} ms`,
    );
  }
  if (variants.length > 1) {
    const diffs = differences(results);
    lines.push('');
    if (diffs.length === 0) lines.push('The variants agree on every case.');
    else {
      lines.push(`Cases where the variants differ (${diffs.length}):`);
      for (const d of diffs) lines.push(`  ${d.caseId}: passes on ${d.passedOn.join(', ')}, fails on ${d.failedOn.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
