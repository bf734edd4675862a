import type { ThreadEvent } from '@agent-chat/shared';
import type { Logger } from '../logger.ts';
import type { CommitNotice, Storage } from '../store/storage.ts';
import type { EventLog } from './event-log.ts';
import type { ThreadHub } from './thread-hub.ts';

export interface RemoteEventsOptions {
  storage: Storage;
  eventLog: EventLog;
  hub: ThreadHub;
  log: Logger;
  /** Most events read for one thread at a time (a further gap is read on the next pass). */
  maxEvents: number;
  /** How often every watched thread is checked even without an announcement (ms; 0: never). */
  sweepMs?: number;
}

/**
 * Brings other instances' events to this instance's subscribers (several instances on one
 * database). An announcement `(thread, seq)` from the storage's commit feed, or a periodic sweep,
 * makes it read the events of a watched thread that it has not published yet from the events
 * table — the truth; announcements are only hints — and publish them, in seq order, through the
 * hub. It reads inside an event-log snapshot, so nothing of this instance is published
 * meanwhile; a subscriber that read some of them with its own snapshot drops what it already has
 * (see SlicedReplay). Without a commit feed (SQLite: one process) it does nothing.
 */
export class RemoteEvents {
  #o: RemoteEventsOptions;
  /** Threads with news, and the highest seq announced for each (0: unknown, read to the end). */
  #due = new Map<string, number>();
  #running: Promise<void> | null = null;
  #unsubscribe: (() => void) | undefined;
  #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(options: RemoteEventsOptions) {
    this.#o = options;
  }

  /** Starts listening (a no-op when the storage has no commit feed). */
  start(): void {
    const { commits } = this.#o.storage;
    if (!commits || this.#unsubscribe) return;
    this.#unsubscribe = commits.subscribe((notice) => this.#heard(notice));
    const sweepMs = this.#o.sweepMs ?? 10_000;
    if (sweepMs > 0) {
      this.#sweep = setInterval(() => this.#heard(null), sweepMs);
      this.#sweep.unref();
    }
  }

  /** Stops listening and waits for a pass under way. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#sweep);
    await this.#running;
  }

  /** Resolves when every announcement heard so far has been read and published (tests). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #heard(notice: CommitNotice): void {
    if (notice === null) {
      // Anything may have been missed: every watched thread, read to its end.
      for (const threadId of this.#o.hub.watched()) this.#due.set(threadId, 0);
    } else if (this.#o.hub.count(notice.threadId) > 0) {
      const known = this.#due.get(notice.threadId);
      if (known !== 0) this.#due.set(notice.threadId, Math.max(known ?? 0, notice.seq));
    }
    if (this.#due.size > 0 && !this.#running) this.#running = this.#pass();
  }

  /** Reads and publishes what is due, until nothing is. */
  async #pass(): Promise<void> {
    try {
      while (this.#due.size > 0) {
        const due = this.#due;
        this.#due = new Map();
        await this.#o.eventLog.snapshot(async () => {
          for (const [threadId, upTo] of due) await this.#catchUp(threadId, upTo);
        });
      }
    } catch (error) {
      this.#o.log.error('remote events: could not read another instance’s events', error);
    } finally {
      this.#running = null;
    }
  }

  async #catchUp(threadId: string, upTo: number): Promise<void> {
    const { storage, hub, maxEvents } = this.#o;
    if (hub.count(threadId) === 0) return;
    const from = hub.publishedSeq(threadId);
    const through = upTo > 0 ? upTo : Number.MAX_SAFE_INTEGER;
    if (through <= from) return;
    const rows = await storage.events.between(threadId, from, through, maxEvents);
    for (const row of rows) hub.publish(JSON.parse(row.json) as ThreadEvent, row.json);
    // More than one read holds: the rest on the next pass.
    if (rows.length === maxEvents) this.#due.set(threadId, upTo);
  }
}
