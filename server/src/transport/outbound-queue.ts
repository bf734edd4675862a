/** The part of a socket the queue needs (a `ws` WebSocket fits). */
export interface OutboundTarget {
  /** Bytes handed to the socket and not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: string): void;
  /** The client cannot keep up (the queue is too large or stalled): close its socket. */
  overflow(): void;
}

export interface OutboundQueueOptions {
  /** Above this many buffered bytes, frames wait in the queue (and text deltas coalesce). */
  highWaterBytes: number;
  /** A queue larger than this means the client cannot keep up: the socket is closed. */
  maxQueuedBytes: number;
  /** A queue that makes no progress for this long means the same. */
  maxStallMs: number;
  /** How often a waiting queue checks whether the socket drained. */
  drainIntervalMs: number;
}

export const DEFAULT_OUTBOUND: OutboundQueueOptions = {
  highWaterBytes: 256 * 1024,
  maxQueuedBytes: 4 * 1024 * 1024,
  maxStallMs: 15_000,
  drainIntervalMs: 25,
};

/** The empty queue every socket starts with (never pushed to). */
const NONE: Entry[] = [];

interface Entry {
  message: Record<string, unknown> & { type: string };
  /** The message serialised, when known (a thread event's stored JSON); cleared when deltas merge. */
  frame: string | undefined;
  size: number;
  /** Part of a resume replay: read from the database, so it does not count toward the cap. */
  replay: boolean;
}

/**
 * Outgoing frames of one socket. Below the high-water mark a frame is sent at once; above it
 * frames wait, consecutive `text.delta`s of one item merge into one (carrying the last seq,
 * so a client resuming from it has every character), and a client that stays too slow is
 * dropped through the target's `overflow` — it reconnects and resumes instead of growing our memory.
 * A resume replay may be larger than the cap (a client far behind must still catch up), so
 * replayed frames only have to keep moving; the cap applies to live frames queued behind them.
 */
export class OutboundQueue {
  #target: OutboundTarget;
  #o: OutboundQueueOptions;
  /** Frames waiting; an empty shared array until the first waits (most sockets never wait). */
  #queue: Entry[] = NONE;
  #bytes = 0;
  #replayBytes = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastProgress = 0;
  #disposed = false;

  constructor(target: OutboundTarget, options: OutboundQueueOptions) {
    this.#target = target;
    this.#o = options;
  }

  /** Frames waiting (after coalescing). */
  get length(): number {
    return this.#queue.length;
  }

  /**
   * Queues a message; `replay` marks frames of a resume replay (see the class comment), `frame`
   * is the message already serialised (sent as is, so a thread event is serialised once for
   * every socket).
   */
  push(message: Record<string, unknown> & { type: string }, { replay = false, frame }: { replay?: boolean; frame?: string } = {}): void {
    if (this.#disposed) return;
    if (this.#queue.length === 0 && this.#target.bufferedAmount < this.#o.highWaterBytes) {
      this.#target.send(frame ?? JSON.stringify(message));
      return;
    }
    const tail = this.#queue.at(-1);
    if (tail && tail.replay === replay && canMerge(tail.message, message)) {
      const added = (message.delta as string).length;
      tail.message = { ...tail.message, delta: `${tail.message.delta as string}${message.delta as string}`, seq: message.seq };
      tail.frame = undefined;
      tail.size += added;
      this.#account(added, replay);
    } else {
      const text = frame ?? JSON.stringify(message);
      const size = text.length;
      if (this.#queue === NONE) this.#queue = [];
      this.#queue.push({ message, frame: text, size, replay });
      this.#account(size, replay);
    }
    if (this.#bytes - this.#replayBytes > this.#o.maxQueuedBytes) return this.#overflow();
    if (!this.#timer) {
      this.#lastProgress = Date.now();
      this.#timer = setInterval(() => this.#drain(), this.#o.drainIntervalMs);
      this.#timer.unref?.();
    }
  }

  /** Stops the queue and forgets what waits (the socket is closing). */
  dispose(): void {
    this.#disposed = true;
    this.#queue = NONE;
    this.#bytes = 0;
    this.#replayBytes = 0;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #drain(): void {
    let sent = false;
    while (this.#queue.length > 0 && this.#target.bufferedAmount < this.#o.highWaterBytes) {
      const entry = this.#queue.shift()!;
      this.#account(-entry.size, entry.replay);
      this.#target.send(entry.frame ?? JSON.stringify(entry.message));
      sent = true;
    }
    if (sent) this.#lastProgress = Date.now();
    if (this.#queue.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    } else if (Date.now() - this.#lastProgress > this.#o.maxStallMs) {
      this.#overflow();
    }
  }

  #account(bytes: number, replay: boolean): void {
    this.#bytes += bytes;
    if (replay) this.#replayBytes += bytes;
  }

  #overflow(): void {
    this.dispose();
    this.#target.overflow();
  }
}

/** Two deltas merge when the second directly follows the first on the same item. */
function canMerge(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return (
    a.type === 'text.delta' &&
    b.type === 'text.delta' &&
    a.threadId === b.threadId &&
    a.itemId === b.itemId &&
    typeof a.seq === 'number' &&
    b.seq === a.seq + 1
  );
}
