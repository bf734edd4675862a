import type { EvalCaseResult, EvalVariantTotals } from '@agent-chat/shared';

/** A variant's pass rate, 0–1 (0 with no case). */
export function passRate(t: EvalVariantTotals): number {
  return t.cases > 0 ? t.passed / t.cases : 0;
}

/**
 * The A/B table's winner: the variant with the highest pass rate, the cheaper one among those
 * that tie; none with a single variant or when the best tie on cost too (latency alone is too
 * noisy to call a winner on).
 */
export function winnerOf(totals: readonly EvalVariantTotals[]): { variant: string; why: string } | undefined {
  if (totals.length < 2) return undefined;
  const best = Math.max(...totals.map(passRate));
  const top = totals.filter((t) => passRate(t) === best);
  if (top.length === 1) return { variant: top[0]!.variant, why: 'highest pass rate' };
  const cheapest = Math.min(...top.map((t) => t.costUsd));
  const cheap = top.filter((t) => t.costUsd === cheapest);
  return cheap.length === 1 ? { variant: cheap[0]!.variant, why: 'same pass rate, lowest cost' } : undefined;
}

/** One row of the case grid: a case and its result on each variant (undefined where it was not played). */
export interface CaseRow {
  caseId: string;
  description: string | undefined;
  byVariant: Map<string, EvalCaseResult>;
  /** Passes on some variants and fails on others. */
  differs: boolean;
}

/** The case grid's rows, in case order. */
export function caseRows(cases: readonly EvalCaseResult[]): CaseRow[] {
  const rows = new Map<string, CaseRow>();
  for (const c of cases) {
    let row = rows.get(c.caseId);
    if (!row) rows.set(c.caseId, (row = { caseId: c.caseId, description: c.description, byVariant: new Map(), differs: false }));
    row.byVariant.set(c.variant, c);
  }
  for (const row of rows.values()) {
    const outcomes = new Set([...row.byVariant.values()].map((c) => c.pass));
    row.differs = outcomes.size > 1;
  }
  return [...rows.values()];
}

/** Milliseconds as people read them: whole ms under a second, else seconds with one decimal. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
