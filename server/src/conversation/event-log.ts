import type { Item, ThreadEvent, ThreadEventBody } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { StorageConflict, type Storage, type StorageOp } from '../store/storage.ts';
import { type LogEntry, type LoggedEvent, projectBatch } from './event-projection.ts';
import type { ThreadHub } from './thread-hub.ts';

/** In-memory view of a thread that is held, or has events in flight or items still open. */
interface ThreadState {
  nextSeq: number;
  /** Highest seq applied and published. */
  committedSeq: number;
  nextPosition: number;
  /** The position after the last item added by an applied batch (what storage holds). */
  committedPosition: number;
  /** Items added but not yet done or removed, with the text streamed so far. */
  open: Map<string, Item>;
  /** User messages added but not yet done: their text as added (a rewrite retitles the thread). */
  userText: Map<string, string>;
  /** The run whose items are being added (recorded as the items' run_id). */
  runId: string | null;
  /** Seq of that run's `run.started` (0 when unknown: a run finished after a restart). */
  runStartSeq: number;
  /** Seq of each open item's `item.added`. */
  addedAt: Map<string, number>;
  /** The thread's last appended event while it still waits for its batch to be taken (else null). */
  tail: LoggedEvent | null;
  /** Holders (runs, requests about to append): the state stays in memory while any is left. */
  holds: number;
}

/**
 * Text deltas of one item that wait for the same batch are merged into one event up to this
 * many characters: a frame stays small enough to render at once.
 */
const MAX_MERGED_DELTA = 4096;

/** Counters that tests and the bench use to see how events are grouped into transactions. */
export interface EventLogStats {
  /** Applied batches. */
  transactions: number;
  /** Applied events. */
  events: number;
  /** Batches that held nothing but one text delta (a slow stream: one token per event-loop turn). */
  loneDeltas: number;
  /** Text deltas merged into the previous delta of their item because both waited for the same batch. */
  mergedDeltas: number;
  /** The most events one batch held. */
  largestBatch: number;
}

export interface EventLogOptions {
  storage: Storage;
  hub: ThreadHub;
  log: Logger;
  now?: () => Date;
  /** How the next batch is scheduled; at the end of this event-loop turn (`setImmediate`) by default. */
  schedule?: (flush: () => void) => void;
  /**
   * Merge the text deltas of one item that wait for the same batch (default true). Off, every
   * delta the model yields is its own event: the bench measures the per-event path that way.
   */
  mergeTextDeltas?: boolean;
  /**
   * How long a finished run's text deltas stay before they are compacted away (ms; 0: in the
   * run.finished transaction itself). Where other instances follow this one's threads from the
   * database, they must be able to read those deltas first.
   */
  compactionDelayMs?: number;
  /** Where commit times, batch sizes and finished runs are counted (none by default). */
  metrics?: Metrics;
}

/**
 * The thread event log. `append` gives each event the thread's next seq (1, 2, 3… with no
 * gaps) in memory and queues it; what is queued is taken as one batch at the end of the
 * event-loop turn, turned into storage writes (`projectBatch`: the items, runs and thread rows
 * the events mean) and handed to `storage.apply`, ONE transaction. One apply is in flight at a
 * time; the next batch gathers meanwhile and is taken when it has resolved. Latency comes
 * first: a token waits at most for the end of its turn (or the apply before it), even if that
 * costs a small transaction of its own; under load one batch carries many events, so
 * transactions grow with it. Subscribers get an event only after its apply resolved, in seq
 * order (docs/protocol.md: an event is written before it is sent), with the exact JSON that was
 * stored, which every socket sends as is.
 *
 * Appending needs the thread's state in memory: `acquire` loads it (reading storage) and holds
 * it, `hold` holds it again synchronously; an idle thread that nobody holds is forgotten, and
 * storage is the truth for its next seq and position.
 *
 * A text delta appended while the thread's previous event is a delta of the same item, still
 * waiting for its batch, is merged into it (same seq, longer text): a stream that outpaces the
 * commit sends fewer, larger frames. A slow stream (one token per turn) is never merged.
 *
 * The log is compacted in the same transactions: `run.finished` deletes the run's text deltas
 * (its `item.done` events hold the full text); `item.removed` deletes every event that carried
 * the withdrawn item's text. The thread's `compacted_seq` records the highest seq no longer kept.
 */
export class EventLog {
  #storage: Storage;
  #hub: ThreadHub;
  #log: Logger;
  #now: () => Date;
  #schedule: (flush: () => void) => void;
  #merge: boolean;
  #compactionDelayMs: number;
  #metrics: Metrics | undefined;
  /** Compactions already put off once: when they come back, they are applied. */
  #deferred = new WeakSet<StorageOp>();
  #threads = new Map<string, ThreadState>();
  #pending: LogEntry[] = [];
  /** A flush is scheduled. */
  #soon = false;
  /** The apply in flight (it never rejects), or null. */
  #inFlight: Promise<void> | null = null;
  /** Batches taken so far; the one in flight, if any, is number `#taken`. */
  #taken = 0;
  /** Snapshot reads in progress: no batch is taken while one runs. */
  #readers = 0;
  /** A batch waits for the snapshot reads to end: new ones wait for it (no batch starves). */
  #batchWaiting = false;
  /** Snapshot reads waiting for the batch in flight, or the one waiting, to be applied. */
  #readersWaiting: Array<() => void> = [];
  /** When the oldest queued entry was appended (performance.now()). */
  #pendingSince = 0;
  /** `whenFlushed` callers, each with the batch number whose publication settles it. */
  #waiters: Array<{ batch: number; resolve: () => void }> = [];
  /** Told of each thread of a batch refused with StorageConflict (see `onConflict`). */
  #conflictListeners: Array<(threadId: string) => void> = [];
  #stats: EventLogStats = { transactions: 0, events: 0, loneDeltas: 0, mergedDeltas: 0, largestBatch: 0 };
  #flushSoon = () => {
    if (this.#soon) this.#flush();
  };
  #openItem = (threadId: string, itemId: string) => this.#threads.get(threadId)?.open.get(itemId);

  constructor({ storage, hub, log, now = () => new Date(), schedule = (f) => void setImmediate(f), mergeTextDeltas = true, compactionDelayMs = 0, metrics }: EventLogOptions) {
    this.#merge = mergeTextDeltas;
    this.#metrics = metrics;
    this.#compactionDelayMs = compactionDelayMs;
    this.#storage = storage;
    this.#hub = hub;
    this.#log = log;
    this.#now = now;
    this.#schedule = schedule;
  }

  get stats(): Readonly<EventLogStats> {
    return { ...this.#stats };
  }

  /**
   * Loads the thread's state if it is not in memory and holds it until the returned release is
   * called: appends to the thread are possible in between.
   * @throws AppError not_found when the thread does not exist.
   */
  async acquire(threadId: string): Promise<() => void> {
    if (!this.#threads.has(threadId)) {
      const [thread, storedSeq, maxPosition] = await Promise.all([
        this.#storage.threads.get(threadId),
        this.#storage.events.lastSeq(threadId),
        this.#storage.items.maxPosition(threadId),
      ]);
      if (!thread) throw new AppError('not_found', 'No such thread.');
      // Another caller may have loaded it meanwhile (and appended): its state is the newer one.
      if (!this.#threads.has(threadId)) {
        // The row's last_seq moves only with events other than deltas; deltas stored after it count too.
        const lastSeq = Math.max(thread.lastSeq, storedSeq);
        this.#threads.set(threadId, {
          nextSeq: lastSeq + 1,
          committedSeq: lastSeq,
          nextPosition: maxPosition + 1,
          committedPosition: maxPosition + 1,
          open: new Map(),
          userText: new Map(),
          runId: null,
          runStartSeq: 0,
          addedAt: new Map(),
          tail: null,
          holds: 0,
        });
      }
    }
    return this.hold(threadId);
  }

  /**
   * Holds the state of a thread already in memory (one a caller acquired) until the returned
   * release is called.
   * @throws AppError not_found when it is not in memory (never acquired, or the thread was deleted).
   */
  hold(threadId: string): () => void {
    const st = this.#threads.get(threadId);
    if (!st) throw new AppError('not_found', 'No such thread.');
    st.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      st.holds--;
      if (this.#threads.get(threadId) === st) this.#forgetIfIdle(threadId, st);
    };
  }

  /**
   * Numbers and queues one event. The body is copied, so the caller may reuse its objects.
   * @throws AppError not_found when the thread's state is not in memory (see `acquire`; e.g.
   *   the thread was just deleted).
   */
  append(threadId: string, body: ThreadEventBody): ThreadEvent {
    const st = this.#threads.get(threadId);
    if (!st) throw new AppError('not_found', 'No such thread.');
    const tail = st.tail;
    if (this.#merge && body.type === 'text.delta' && tail?.event.type === 'text.delta' && tail.event.itemId === body.itemId && tail.event.delta.length + body.delta.length <= MAX_MERGED_DELTA) {
      tail.event.delta += body.delta;
      const item = st.open.get(body.itemId);
      if (item?.type === 'assistant_message') item.text += body.delta;
      this.#stats.mergedDeltas++;
      return tail.event;
    }
    // A delta holds only strings; other bodies hold objects the caller may change later.
    const event = { ...(body.type === 'text.delta' ? body : structuredClone(body)), threadId, seq: st.nextSeq } as ThreadEvent;
    st.nextSeq++;
    const pending: LoggedEvent = { kind: 'event', event, json: '', position: 0, runId: st.runId, compactFrom: 0 };
    switch (event.type) {
      case 'run.started':
        st.runId = event.runId;
        st.runStartSeq = event.seq;
        pending.runId = event.runId;
        break;
      case 'run.finished':
        this.#metrics?.runFinished(event.status, event.error?.code);
        pending.compactFrom = st.runStartSeq;
        st.runId = null;
        st.runStartSeq = 0;
        break;
      case 'item.added':
        pending.position = st.nextPosition++;
        if (isOpenable(event.item)) {
          st.open.set(event.item.id, structuredClone(event.item));
          st.addedAt.set(event.item.id, event.seq);
        }
        if (event.item.type === 'user_message') st.userText.set(event.item.id, event.item.text);
        break;
      case 'text.delta': {
        const item = st.open.get(event.itemId);
        if (item?.type === 'assistant_message') item.text += event.delta;
        break;
      }
      case 'item.done': {
        const added = st.userText.get(event.item.id);
        if (added !== undefined) pending.addedText = added;
        st.userText.delete(event.item.id);
        st.open.delete(event.item.id);
        st.addedAt.delete(event.item.id);
        break;
      }
      case 'item.removed':
        pending.compactFrom = st.addedAt.get(event.itemId) ?? st.runStartSeq;
        st.open.delete(event.itemId);
        st.addedAt.delete(event.itemId);
        st.userText.delete(event.itemId);
        break;
    }
    if (this.#pending.length === 0) this.#pendingSince = performance.now();
    st.tail = pending;
    this.#pending.push(pending);
    this.#requestFlush();
    return event;
  }

  /**
   * How long (ms) the oldest queued event or write has waited for its batch; 0 when nothing
   * waits. A producer that lets this grow without yielding to the event loop starves the commit.
   * Read once per streamed token, so it allocates nothing.
   */
  get backlogAgeMs(): number {
    return this.#pending.length === 0 ? 0 : performance.now() - this.#pendingSince;
  }

  /** Queues writes that must commit atomically with the events queued around them. */
  enqueueOps(threadId: string, ops: readonly StorageOp[]): void {
    // A later delta is not moved across writes queued after its item's last one.
    const st = this.#threads.get(threadId);
    if (st) st.tail = null;
    if (this.#pending.length === 0) this.#pendingSince = performance.now();
    this.#pending.push({ kind: 'ops', threadId, ops });
    this.#requestFlush();
  }

  /** Items of the thread added but not yet done, with the text streamed so far (copies). */
  openItems(threadId: string): Item[] {
    return [...(this.#threads.get(threadId)?.open.values() ?? [])].map((i) => structuredClone(i));
  }

  /**
   * Runs `read` while no batch is being applied and none is taken: storage then holds exactly
   * the events subscribers were sent (nothing of this log is half applied), so what `read`
   * reads, and a subscription it makes, meet with no gap and no overlap. Appends keep
   * gathering meanwhile; the next batch is taken once the reads under way are done, and reads
   * that start after it wait for it, so neither side starves the other.
   */
  async snapshot<T>(read: () => Promise<T>): Promise<T> {
    while (this.#inFlight || this.#batchWaiting) await new Promise<void>((resolve) => this.#readersWaiting.push(resolve));
    this.#readers++;
    try {
      return await read();
    } finally {
      this.#readers--;
      if (this.#readers === 0 && (this.#batchWaiting || this.#pending.length > 0 || this.#waiters.length > 0)) this.#requestFlush();
    }
  }

  /** Resolves once everything appended so far is applied and published. */
  whenFlushed(): Promise<void> {
    let batch: number;
    if (this.#pending.length > 0) batch = this.#taken + 1;
    else if (this.#inFlight) batch = this.#taken;
    else return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ batch, resolve }));
  }

  /**
   * Calls `listener` with each thread of a batch that failed because one of its events was
   * already stored (StorageConflict): another writer may be writing that thread now.
   */
  onConflict(listener: (threadId: string) => void): void {
    this.#conflictListeners.push(listener);
  }

  /**
   * Drops everything queued for a thread, and its state in memory: the thread is being deleted,
   * or another instance writes it now (storage is the truth when it is acquired again).
   */
  forgetThread(threadId: string): void {
    this.#threads.delete(threadId);
    this.#pending = this.#pending.filter((p) => (p.kind === 'event' ? p.event.threadId : p.threadId) !== threadId);
  }

  /** Applies everything queued now (after the apply in flight), and resolves once it is published. */
  flush(): Promise<void> {
    const done = this.whenFlushed();
    this.#soon = true;
    this.#flush();
    return done;
  }

  #requestFlush(): void {
    if (this.#soon) return;
    this.#soon = true;
    this.#schedule(this.#flushSoon);
  }

  /** Takes the queued batch and applies it, unless an apply or a snapshot read is under way (it comes back then). */
  #flush(): void {
    this.#soon = false;
    if (this.#inFlight) return;
    if (this.#readers > 0) {
      this.#batchWaiting = true;
      return;
    }
    this.#batchWaiting = false;
    const batch = this.#pending;
    this.#pending = [];
    const number = ++this.#taken;
    if (batch.length === 0) {
      this.#settleWaiters(number);
      this.#wakeReaders();
      return;
    }
    // Serialised once, now that no later delta can be merged into it: stored and sent as is.
    for (const p of batch) {
      if (p.kind !== 'event') continue;
      p.json = JSON.stringify(p.event);
      const st = this.#threads.get(p.event.threadId);
      if (st?.tail === p) st.tail = null;
    }
    let ops = projectBatch(batch, this.#now().toISOString(), this.#openItem);
    if (this.#compactionDelayMs > 0) ops = this.#deferCompaction(ops);
    // Where each thread stands once this batch is stored (events and positions it takes).
    const reached = new Map<string, { seq: number; position: number }>();
    for (const p of batch) {
      if (p.kind !== 'event') continue;
      const at = reached.get(p.event.threadId) ?? { seq: 0, position: 0 };
      at.seq = p.event.seq;
      if (p.event.type === 'item.added') at.position = p.position + 1;
      reached.set(p.event.threadId, at);
    }
    let applied: Promise<void>;
    const started = performance.now();
    try {
      applied = this.#storage.apply(ops);
    } catch (error) {
      applied = Promise.reject(error);
    }
    // Waiters are settled in the same callback that publishes: whoever awaits the flush runs
    // right after the subscribers, as when a batch was committed synchronously.
    this.#inFlight = applied.then(
      () => {
        this.#metrics?.eventLogCommitted(batch.length, (performance.now() - started) / 1000);
        this.#published(batch, reached);
        this.#batchDone(number);
      },
      (error: unknown) => {
        this.#failed(batch, error);
        this.#batchDone(number);
      },
    );
  }

  /**
   * Takes the run compactions out of a batch and queues each again after the delay, when the
   * instances following the thread have read its deltas. A stop before then leaves them to the
   * next run's compaction, which removes every earlier event of the thread too.
   */
  #deferCompaction(ops: StorageOp[]): StorageOp[] {
    const kept: StorageOp[] = [];
    for (const op of ops) {
      if (op.op !== 'events.compact_run' || this.#deferred.has(op)) {
        kept.push(op);
        continue;
      }
      this.#deferred.add(op);
      const timer = setTimeout(() => this.enqueueOps(op.threadId, [op]), this.#compactionDelayMs);
      timer.unref?.();
    }
    return kept;
  }

  /** The apply of batch `number` has settled: the next batch may be taken. */
  #batchDone(number: number): void {
    this.#inFlight = null;
    this.#settleWaiters(number);
    this.#wakeReaders();
    if (this.#pending.length > 0 || this.#waiters.length > 0) this.#requestFlush();
  }

  #wakeReaders(): void {
    if (this.#readersWaiting.length === 0) return;
    const readers = this.#readersWaiting;
    this.#readersWaiting = [];
    for (const resolve of readers) resolve();
  }

  #published(batch: LogEntry[], reached: Map<string, { seq: number; position: number }>): void {
    this.#stats.transactions++;
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only?.kind === 'event' && only.event.type === 'text.delta') this.#stats.loneDeltas++;
    if (batch.length > this.#stats.largestBatch) this.#stats.largestBatch = batch.length;
    for (const [threadId, at] of reached) {
      const st = this.#threads.get(threadId);
      if (!st) continue;
      st.committedSeq = at.seq;
      if (at.position > 0) st.committedPosition = at.position;
      this.#forgetIfIdle(threadId, st);
    }
    for (const p of batch) {
      if (p.kind !== 'event') continue;
      this.#stats.events++;
      this.#hub.publish(p.event, p.json);
    }
  }

  /**
   * The batch is lost. Each of its threads goes back to what is stored: its events queued
   * since would follow a gap, so they are dropped too, and its counters restart from the last
   * applied batch (items it had open were not stored, so they are forgotten). Runs of these
   * threads carry on from there; their later item updates find nothing to change.
   */
  #failed(batch: LogEntry[], error: unknown): void {
    this.#log.error(`event log: a batch of ${batch.length} writes failed to commit`, error);
    const threads = new Set(batch.map((p) => (p.kind === 'event' ? p.event.threadId : p.threadId)));
    this.#pending = this.#pending.filter((p) => !(p.kind === 'event' && threads.has(p.event.threadId)));
    for (const threadId of threads) {
      const st = this.#threads.get(threadId);
      if (!st) continue;
      st.nextSeq = st.committedSeq + 1;
      st.nextPosition = st.committedPosition;
      st.open.clear();
      st.userText.clear();
      st.addedAt.clear();
      st.runId = null;
      st.runStartSeq = 0;
      st.tail = null;
      this.#forgetIfIdle(threadId, st);
    }
    if (error instanceof StorageConflict) for (const threadId of threads) for (const listener of this.#conflictListeners) listener(threadId);
  }

  /** An idle thread nobody holds needs no memory: storage is the truth for its next seq and position. */
  #forgetIfIdle(threadId: string, st: ThreadState): void {
    if (st.holds === 0 && st.open.size === 0 && st.userText.size === 0 && st.runId === null && st.nextSeq === st.committedSeq + 1) {
      this.#threads.delete(threadId);
    }
  }

  #settleWaiters(published: number): void {
    if (this.#waiters.length === 0) return;
    const due = this.#waiters.filter((w) => w.batch <= published);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.batch > published);
    for (const w of due) w.resolve();
  }
}

/** Items that change after `item.added` (streamed text, tool status). */
function isOpenable(item: Item): boolean {
  return item.type === 'assistant_message' || item.type === 'tool_call';
}
