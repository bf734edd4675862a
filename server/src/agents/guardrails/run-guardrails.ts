import type { GuardrailSpec } from '@agent-chat/shared';
import type { Metrics } from '../../observability/metrics.ts';
import { buildGuardrail } from './build-guardrail.ts';
import type { GuardrailContext, GuardrailRegistry } from './guardrail.ts';

/** What a list of guardrails decided about one text. */
export interface GuardrailOutcome {
  /** The text after every redaction (the original when nothing was redacted). */
  text: string;
  redacted: boolean;
  /** The first guardrail that tripped; the ones after it did not run. */
  tripped?: { name: string; message: string; outputInfo?: unknown };
}

const DEFAULT_MESSAGE = {
  input: 'Your message was blocked by a safety check.',
  output: 'The answer was withdrawn by a safety check.',
} as const;

/**
 * Runs a stage's guardrails in file order. Each sees the text as the previous ones left it, so a
 * `pii` redaction listed first also protects the guardrails after it (an llm_judge never sees
 * the email). Stops at the first trip, which `metrics` counts. Errors propagate (the run fails;
 * nothing passes unchecked).
 */
export async function runGuardrails(
  specs: readonly GuardrailSpec[],
  text: string,
  ctx: GuardrailContext,
  registry?: GuardrailRegistry,
  metrics?: Metrics,
): Promise<GuardrailOutcome> {
  let current = text;
  for (const spec of specs) {
    const { name, guardrail } = buildGuardrail(spec, ctx.stage, registry);
    const options = spec.kind === 'custom' ? spec.options : {};
    const result = await guardrail.execute({ text: current, options, ctx });
    if (result.tripwireTriggered) {
      metrics?.guardrailTripped(name, spec.kind, ctx.stage);
      const message = spec.message ?? result.message ?? DEFAULT_MESSAGE[ctx.stage];
      return { text: current, redacted: current !== text, tripped: { name, message, outputInfo: result.outputInfo } };
    }
    if (typeof result.redactedText === 'string') current = result.redactedText;
  }
  return { text: current, redacted: current !== text };
}
