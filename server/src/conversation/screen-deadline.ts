import type { GuardrailOutcome } from '../agents/guardrails/run-guardrails.ts';
import type { ScreenRequest, ScreenText } from '../agents/guardrails/screen-text.ts';

/**
 * Screens visitor text before it is stored, bounded by the workflow's run timeout and stopped
 * by `stop` (shutdown): a guardrail may call a model, and a request must not wait forever on it.
 */
export async function screenWithDeadline(
  screenText: ScreenText,
  stop: AbortSignal,
  request: Omit<ScreenRequest, 'signal'>,
): Promise<GuardrailOutcome> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, request.workflow.limits.runTimeoutMs);
  stop.addEventListener('abort', abort, { once: true });
  try {
    return await screenText({ ...request, signal: controller.signal });
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', abort);
  }
}
