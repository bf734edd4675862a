import { UsageDimension } from '@agent-chat/shared';
import type { UsageReportQuery } from './usage-report.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 366;
/** The period when none is given: the last 7 days, today included. */
export const DEFAULT_REPORT_DAYS = 7;

/** A usage query as the API and the command take it: strings, any of them missing. */
export interface UsageQueryInput {
  from?: string | undefined;
  to?: string | undefined;
  /** Comma-separated dimensions; `day` when absent. */
  groupBy?: string | undefined;
}

/**
 * The period and grouping of a usage report, checked: UTC days `YYYY-MM-DD`, `from` not after
 * `to`, at most `MAX_REPORT_DAYS`, known dimensions. `today` is the default `to`.
 */
export function parseUsageQuery(input: UsageQueryInput, today: string): { query: Pick<UsageReportQuery, 'from' | 'to' | 'groupBy'> } | { error: string } {
  const to = input.to ?? today;
  const from = input.from ?? shiftDay(to, 1 - DEFAULT_REPORT_DAYS);
  if (!isDay(from) || !isDay(to)) return { error: 'from and to are UTC days, YYYY-MM-DD.' };
  if (from > to) return { error: 'from is after to.' };
  if (Date.parse(to) - Date.parse(from) > (MAX_REPORT_DAYS - 1) * 86_400_000) return { error: `At most ${MAX_REPORT_DAYS} days at a time.` };
  const names = (input.groupBy ?? 'day').split(',').map((d) => d.trim()).filter(Boolean);
  const groupBy: UsageDimension[] = [];
  for (const name of names) {
    const parsed = UsageDimension.safeParse(name);
    if (!parsed.success) return { error: `groupBy takes ${UsageDimension.options.join(', ')}, not "${name}".` };
    groupBy.push(parsed.data);
  }
  return { query: { from, to, groupBy } };
}

function isDay(day: string): boolean {
  // Date.parse accepts 2026-02-31; the round trip does not.
  return DAY.test(day) && !Number.isNaN(Date.parse(day)) && new Date(Date.parse(day)).toISOString().slice(0, 10) === day;
}

/** `day` moved by `days` (UTC). */
export function shiftDay(day: string, days: number): string {
  const ms = Date.parse(day);
  return Number.isNaN(ms) ? day : new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}
