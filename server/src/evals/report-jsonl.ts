import type { CaseResult } from './run-eval.ts';

/** One JSON line per case per variant: the grader results, tokens, cost, latencies and the assistant's text. */
export function formatJsonl(results: readonly CaseResult[]): string {
  return results
    .map((r) =>
      JSON.stringify({
        variant: r.variant,
        case: r.caseId,
        workflow: r.workflow,
        pass: r.pass,
        ...(r.error ? { error: r.error } : {}),
        graders: r.grades,
        tokens: { input: r.inputTokens, output: r.outputTokens, total: r.inputTokens + r.outputTokens },
        costUsd: r.costUsd,
        latencyMs: r.runLatenciesMs.map((ms) => Math.round(ms)),
        text: r.text,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}
