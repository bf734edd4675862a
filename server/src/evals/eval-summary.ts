import type { CaseResult } from './run-eval.ts';

/** One variant's figures over all cases. */
export interface VariantSummary {
  variant: string;
  cases: number;
  passed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Median run wall clock, ms (over every run of every case). */
  p50LatencyMs: number;
  /** 95th percentile (nearest rank) of the same. */
  p95LatencyMs: number;
}

/** A case that passes on some variants and fails on others. */
export interface CaseDifference {
  caseId: string;
  passedOn: string[];
  failedOn: string[];
}

/** The median of a list (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile `p` (0–100) of a list (0 for none): a value the list holds. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/** The variants in the order they first appear in the results. */
export function variantsOf(results: readonly CaseResult[]): string[] {
  return [...new Set(results.map((r) => r.variant))];
}

/** Pass rate, tokens, cost and p50/p95 latency per variant. */
export function summarize(results: readonly CaseResult[]): VariantSummary[] {
  return variantsOf(results).map((variant) => {
    const mine = results.filter((r) => r.variant === variant);
    return {
      variant,
      cases: mine.length,
      passed: mine.filter((r) => r.pass).length,
      inputTokens: mine.reduce((sum, r) => sum + r.inputTokens, 0),
      outputTokens: mine.reduce((sum, r) => sum + r.outputTokens, 0),
      costUsd: mine.reduce((sum, r) => sum + r.costUsd, 0),
      p50LatencyMs: median(mine.flatMap((r) => r.runLatenciesMs)),
      p95LatencyMs: percentile(mine.flatMap((r) => r.runLatenciesMs), 95),
    };
  });
}

/** Cases whose outcome is not the same on every variant. */
export function differences(results: readonly CaseResult[]): CaseDifference[] {
  const byCase = new Map<string, CaseResult[]>();
  for (const result of results) byCase.set(result.caseId, [...(byCase.get(result.caseId) ?? []), result]);
  return [...byCase.entries()].flatMap(([caseId, list]) => {
    const passedOn = list.filter((r) => r.pass).map((r) => r.variant);
    const failedOn = list.filter((r) => !r.pass).map((r) => r.variant);
    return passedOn.length > 0 && failedOn.length > 0 ? [{ caseId, passedOn, failedOn }] : [];
  });
}

/** Why a case failed, in one line: its error, else the failing graders' messages. */
export function failureMessage(result: CaseResult): string {
  if (result.error) return `error: ${result.error}`;
  return result.grades
    .filter((g) => !g.pass)
    .map((g) => `${g.label}: ${g.message}`)
    .join('; ');
}
