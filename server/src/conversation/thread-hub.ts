import type { ThreadEvent } from '@agent-chat/shared';
import type { Logger } from '../logger.ts';

/** Receives a thread's committed events, in seq order. A socket connection or a test callback. */
export type Subscriber = (event: ThreadEvent) => void;

/** Fans each thread's committed events out to everyone watching it. */
export class ThreadHub {
  #subscribers = new Map<string, Set<Subscriber>>();
  #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Starts delivering `threadId`'s events to `subscriber`; returns the unsubscribe function (idempotent). */
  subscribe(threadId: string, subscriber: Subscriber): () => void {
    let set = this.#subscribers.get(threadId);
    if (!set) {
      set = new Set();
      this.#subscribers.set(threadId, set);
    }
    // Wrap so the same function may subscribe twice and each unsubscribe removes only its own entry.
    const entry: Subscriber = (e) => subscriber(e);
    set.add(entry);
    return () => {
      const current = this.#subscribers.get(threadId);
      if (!current?.delete(entry)) return;
      if (current.size === 0) this.#subscribers.delete(threadId);
    };
  }

  /** Delivers one committed event. A subscriber that throws is logged and does not stop the others. */
  publish(event: ThreadEvent): void {
    const set = this.#subscribers.get(event.threadId);
    if (!set) return;
    for (const subscriber of [...set]) {
      try {
        subscriber(event);
      } catch (error) {
        this.#log.error(`thread subscriber failed on ${event.type}`, error);
      }
    }
  }

  /** Forgets every subscriber of a deleted thread. */
  drop(threadId: string): void {
    this.#subscribers.delete(threadId);
  }

  /** How many subscribers watch the thread (for tests and diagnostics). */
  count(threadId: string): number {
    return this.#subscribers.get(threadId)?.size ?? 0;
  }
}
