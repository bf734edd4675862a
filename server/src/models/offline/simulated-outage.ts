import type { BrainInput } from './offline-brain.ts';
import { readTurn } from './offline-brain.ts';

/** A visitor message with these words makes the offline model fail its first answer to it. */
export const OUTAGE_WORDS = 'simulate an outage';

/** How many conversations it remembers having failed (oldest forgotten first). */
const REMEMBERED = 1000;

/**
 * The offline model's one way to fail on purpose, so a demo (and its end-to-end test) can show
 * a reply that fails and a Retry that works: the first agent request answering a visitor
 * message containing {@link OUTAGE_WORDS} fails; any later request for the same conversation
 * (the retry; or an identical conversation in another thread) is answered. Guardrail judges (structured output) are never failed, so the
 * message itself is accepted.
 */
export class SimulatedOutage {
  #failed = new Set<string>();

  /** Whether this request should fail (and, if so, remembers that it did). */
  strikes(brain: BrainInput): boolean {
    if (brain.responseFormat) return false;
    const { lastUser } = readTurn(brain.conversation);
    if (!lastUser.toLowerCase().includes(OUTAGE_WORDS)) return false;
    // The conversation up to the visitor's message names it (a request carries no thread id).
    const key = JSON.stringify(brain.conversation.slice(0, lastUserIndex(brain) + 1));
    if (this.#failed.has(key)) return false;
    if (this.#failed.size >= REMEMBERED) this.#failed.delete(this.#failed.values().next().value!);
    this.#failed.add(key);
    return true;
  }
}

function lastUserIndex(brain: BrainInput): number {
  for (let i = brain.conversation.length - 1; i >= 0; i--) {
    const item = brain.conversation[i];
    if (item?.type === 'message' && item.role === 'user') return i;
  }
  return -1;
}
