import type { EvalCaseResult, EvalRunSummary } from '@agent-chat/shared';

/** A stored eval run with two variants; override what the test is about. */
export function evalRun(id: string, overrides: Partial<EvalRunSummary> = {}): EvalRunSummary {
  return {
    id,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:01:00.000Z',
    casesFile: 'cases.jsonl',
    model: null,
    variants: [{ name: 'a', file: 'a.json' }, { name: 'b', file: 'b.json' }],
    workflows: ['support'],
    caseCount: 1,
    totals: [
      { variant: 'a', cases: 1, passed: 1, failed: 0, inputTokens: 10, outputTokens: 5, costUsd: 0.001, p50LatencyMs: 100, p95LatencyMs: 180 },
      { variant: 'b', cases: 1, passed: 0, failed: 1, inputTokens: 12, outputTokens: 7, costUsd: 0.002, p50LatencyMs: 120, p95LatencyMs: 200 },
    ],
    ...overrides,
  };
}

/** One case result; override what the test is about. */
export function caseResult(variant: string, caseId: string, overrides: Partial<EvalCaseResult> = {}): EvalCaseResult {
  return {
    variant,
    caseId,
    workflow: 'support',
    pass: true,
    grades: [{ name: 'contains refund', pass: true, detail: '' }],
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
    latenciesMs: [100],
    text: 'You can have a refund.',
    textTruncated: false,
    ...overrides,
  };
}
