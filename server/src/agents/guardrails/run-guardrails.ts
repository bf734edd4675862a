import type { GuardrailSpec } from '@agent-chat/shared';
import type { Metrics } from '../../observability/metrics.ts';
import type { GuardrailCheckStep } from '../run-step.ts';
import { buildGuardrail } from './build-guardrail.ts';
import type { GuardrailContext, GuardrailRegistry } from './guardrail.ts';

/** What a list of guardrails decided about one text. */
export interface GuardrailOutcome {
  /** The text after every redaction (the original when nothing was redacted). */
  text: string;
  redacted: boolean;
  /** The first guardrail that tripped; the ones after it did not run. */
  tripped?: { name: string; message: string; outputInfo?: unknown };
  /** Each guardrail's verdict, in the order they ran (for the run's trace). */
  checks: GuardrailCheck[];
}

const DEFAULT_MESSAGE = {
  input: 'Your message was blocked by a safety check.',
  output: 'The answer was withdrawn by a safety check.',
} as const;

/** One guardrail's verdict as `runGuardrails` reports it (the run adds its agent and stage). */
export type GuardrailCheck = Pick<GuardrailCheckStep, 'name' | 'kind' | 'result' | 'startedAt' | 'durationMs'>;

/**
 * Runs a stage's guardrails in file order. Each sees the text as the previous ones left it, so a
 * `pii` redaction listed first also protects the guardrails after it (an llm_judge never sees
 * the email). Stops at the first trip, which `metrics` counts. Errors propagate (the run fails;
 * nothing passes unchecked). `observe` hears each guardrail's verdict, errors included.
 */
export async function runGuardrails(
  specs: readonly GuardrailSpec[],
  text: string,
  ctx: GuardrailContext,
  registry?: GuardrailRegistry,
  metrics?: Metrics,
  observe?: (check: GuardrailCheck) => void,
): Promise<GuardrailOutcome> {
  let current = text;
  const checks: GuardrailCheck[] = [];
  for (const spec of specs) {
    const { name, guardrail } = buildGuardrail(spec, ctx.stage, registry);
    const options = spec.kind === 'custom' ? spec.options : {};
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const check = (result: GuardrailCheck['result']) => {
      const verdict: GuardrailCheck = { name, kind: spec.kind, result, startedAt, durationMs: Math.round(performance.now() - started) };
      checks.push(verdict);
      observe?.(verdict);
    };
    let result: Awaited<ReturnType<typeof guardrail.execute>>;
    try {
      result = await guardrail.execute({ text: current, options, ctx });
    } catch (error) {
      check('error');
      throw error;
    }
    check(result.tripwireTriggered ? 'tripped' : typeof result.redactedText === 'string' && result.redactedText !== current ? 'redacted' : 'pass');
    if (result.tripwireTriggered) {
      metrics?.guardrailTripped(name, spec.kind, ctx.stage);
      const message = spec.message ?? result.message ?? DEFAULT_MESSAGE[ctx.stage];
      return { text: current, redacted: current !== text, tripped: { name, message, outputInfo: result.outputInfo }, checks };
    }
    if (typeof result.redactedText === 'string') current = result.redactedText;
  }
  return { text: current, redacted: current !== text, checks };
}
