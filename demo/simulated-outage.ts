/**
 * The demo's "simulate an outage": a wrapper around the server's model provider (the
 * `wrapModels` option) that fails the first model call answering a visitor message with
 * {@link OUTAGE_WORDS}, so the demo (and its end-to-end test) can show a failed reply and a
 * Retry that works. The model itself knows nothing of it.
 */
import { type Model, type ModelProvider, type ModelRequest, UpstreamError } from '@agent-chat/server';

/** A visitor message with these words makes the first model call answering it fail. */
export const OUTAGE_WORDS = 'simulate an outage';

/** How many conversations it remembers having failed (oldest forgotten first). */
const REMEMBERED = 1000;

/**
 * Wraps `models`. A conversation (the request's items up to the visitor's message: a request
 * carries no thread id) fails once; the retry, or an identical conversation, is answered.
 * Guardrail judges (structured output) are never failed, so the message itself is accepted.
 */
export function simulateOutages(models: ModelProvider): ModelProvider {
  const failed = new Set<string>();
  const strikes = (request: ModelRequest): boolean => {
    if (request.responseFormat) return false;
    let lastUser = request.input.length - 1;
    while (lastUser >= 0 && !(request.input[lastUser]?.type === 'message' && (request.input[lastUser] as { role?: string }).role === 'user')) lastUser--;
    const message = request.input[lastUser];
    const text = message?.type === 'message' ? JSON.stringify(message.content).toLowerCase() : '';
    if (!text.includes(OUTAGE_WORDS)) return false;
    const key = JSON.stringify(request.input.slice(0, lastUser + 1));
    if (failed.has(key)) return false;
    if (failed.size >= REMEMBERED) failed.delete(failed.values().next().value!);
    failed.add(key);
    return true;
  };
  return {
    ...models,
    getModel(name, api): Model {
      const model = models.getModel(name, api);
      return {
        stream(request, signal) {
          if (!strikes(request)) return model.stream(request, signal);
          return (async function* outage(): AsyncGenerator<never> {
            // What a provider's 503 becomes: the visitor reads a plain sentence, never these words.
            throw new UpstreamError('The assistant is not available right now. Please try again.', { status: 503 });
          })();
        },
      };
    },
  };
}
