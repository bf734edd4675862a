import type { EvalCaseResult, EvalRunSummary, EvalRunVariant } from '@agent-chat/shared';
import { summarize } from './eval-summary.ts';
import type { CaseResult } from './run-eval.ts';

/**
 * How much of a case's assistant text is stored: enough to see what went wrong, bounded so a
 * run of thousands of long conversations stays a few megabytes.
 */
export const MAX_STORED_TEXT = 4000;

/** What the run was, beside its results. */
export interface EvalRunInfo {
  id: string;
  startedAt: string;
  finishedAt: string;
  casesFile: string;
  model: string | undefined;
  variants: readonly EvalRunVariant[];
  caseCount: number;
}

/** A run's results as the server stores them: totals per variant (the A/B table) and each case. */
export function evalRecord(info: EvalRunInfo, results: readonly CaseResult[]): { run: EvalRunSummary; cases: EvalCaseResult[] } {
  const workflows = [...new Set(results.flatMap((r) => (r.workflow === undefined ? [] : [r.workflow])))].sort();
  const run: EvalRunSummary = {
    id: info.id,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt,
    casesFile: info.casesFile,
    model: info.model ?? null,
    variants: info.variants.map((v) => ({ name: v.name, ...(v.file !== undefined ? { file: v.file } : {}) })),
    workflows,
    caseCount: info.caseCount,
    totals: summarize(results).map((s) => ({
      variant: s.variant,
      cases: s.cases,
      passed: s.passed,
      failed: s.cases - s.passed,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      costUsd: s.costUsd,
      p50LatencyMs: s.p50LatencyMs,
      p95LatencyMs: s.p95LatencyMs,
    })),
  };
  const cases = results.map(
    (r): EvalCaseResult => ({
      variant: r.variant,
      caseId: r.caseId,
      ...(r.description !== undefined ? { description: r.description } : {}),
      workflow: r.workflow ?? null,
      pass: r.pass,
      grades: r.grades.map((g) => ({ name: g.label, pass: g.pass, detail: g.message })),
      ...(r.error !== undefined ? { error: r.error } : {}),
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      costUsd: r.costUsd,
      latenciesMs: r.runLatenciesMs,
      text: r.text.length > MAX_STORED_TEXT ? r.text.slice(0, MAX_STORED_TEXT) : r.text,
      textTruncated: r.text.length > MAX_STORED_TEXT,
    }),
  );
  return { run, cases };
}
