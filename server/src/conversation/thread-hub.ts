import type { ThreadEvent } from '@agent-chat/shared';
import type { Logger } from '../logger.ts';

/**
 * Receives a thread's committed events, in seq order, each with `frame`: the event's JSON exactly
 * as stored, shared by every subscriber (a socket sends it as is). A socket connection or a test callback.
 */
export type Subscriber = (event: ThreadEvent, frame: string) => void;

/** Fans each thread's committed events out to everyone watching it. */
export class ThreadHub {
  #subscribers = new Map<string, Set<Subscriber>>();
  /** The highest seq published, per thread that has subscribers. */
  #published = new Map<string, number>();
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
    const entry: Subscriber = (e, frame) => subscriber(e, frame);
    set.add(entry);
    return () => {
      const current = this.#subscribers.get(threadId);
      if (!current?.delete(entry)) return;
      if (current.size === 0) {
        this.#subscribers.delete(threadId);
        this.#published.delete(threadId);
      }
    };
  }

  /**
   * Delivers one committed event to each subscriber in turn. A subscriber only queues the frame
   * (a slow socket coalesces or backs off in its own queue), so none delays the others; one that
   * throws is logged and does not stop them.
   */
  publish(event: ThreadEvent, frame: string): void {
    const set = this.#subscribers.get(event.threadId);
    if (!set) return;
    if (event.seq > (this.#published.get(event.threadId) ?? 0)) this.#published.set(event.threadId, event.seq);
    // A copy only when a subscriber could unsubscribe another mid-delivery; one watcher is the common case.
    for (const subscriber of set.size === 1 ? set : [...set]) {
      try {
        subscriber(event, frame);
      } catch (error) {
        this.#log.error(`thread subscriber failed on ${event.type}`, error);
      }
    }
  }

  /** Forgets every subscriber of a deleted thread. */
  drop(threadId: string): void {
    this.#subscribers.delete(threadId);
    this.#published.delete(threadId);
  }

  /** The highest seq published to the thread's current subscribers (0: none yet). */
  publishedSeq(threadId: string): number {
    return this.#published.get(threadId) ?? 0;
  }

  /** The threads somebody watches. */
  watched(): IterableIterator<string> {
    return this.#subscribers.keys();
  }

  /** How many subscribers watch the thread (for tests and diagnostics). */
  count(threadId: string): number {
    return this.#subscribers.get(threadId)?.size ?? 0;
  }
}
