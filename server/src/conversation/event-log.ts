import type { Item, ThreadEvent, ThreadEventBody } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { ThreadHub } from './thread-hub.ts';
import { threadTitle } from './thread-title.ts';

/** In-memory view of a thread that has events in flight or items still open. */
interface ThreadState {
  nextSeq: number;
  committedSeq: number;
  nextPosition: number;
  /** Items added but not yet done or removed, with the text streamed so far. */
  open: Map<string, Item>;
  /** The run whose items are being added (recorded as the items' run_id). */
  runId: string | null;
  /** Seq of that run's `run.started` (0 when unknown: a run finished after a restart). */
  runStartSeq: number;
  /** Seq of each open item's `item.added`. */
  addedAt: Map<string, number>;
  /** The thread's last appended event while it still waits for the group commit (else null). */
  tail: PendingEvent | null;
}

interface PendingEvent {
  kind: 'event';
  event: ThreadEvent;
  /** The stored and sent JSON, made at commit (a later delta may still be merged before). */
  json: string;
  position: number;
  runId: string | null;
  /** run.finished: compact the deltas after this seq. item.removed: forget the item's events from this seq. */
  compactFrom: number;
}

type Pending = PendingEvent | { kind: 'write'; threadId: string; write: () => void };

/**
 * Text deltas of one item that wait for the same group commit are merged into one event up to
 * this many characters: a frame stays small enough to render at once.
 */
const MAX_MERGED_DELTA = 4096;

/** Counters that tests and the bench use to see how events are grouped into transactions. */
export interface EventLogStats {
  /** Committed transactions. */
  transactions: number;
  /** Committed events. */
  events: number;
  /** Transactions that held nothing but one text delta (a slow stream: one token per event-loop turn). */
  loneDeltas: number;
  /** Text deltas merged into the previous delta of their item because both waited for the same commit. */
  mergedDeltas: number;
  /** The most events one transaction held. */
  largestBatch: number;
}

export interface EventLogOptions {
  store: Store;
  hub: ThreadHub;
  log: Logger;
  now?: () => Date;
  /** How the group commit is scheduled; at the end of this event-loop turn (`setImmediate`) by default. */
  schedule?: (flush: () => void) => void;
  /**
   * Merge the text deltas of one item that wait for the same commit (default true). Off, every
   * delta the model yields is its own event: the bench measures the per-event path that way.
   */
  mergeTextDeltas?: boolean;
}

/**
 * The thread event log. `append` gives each event the thread's next seq (1, 2, 3… with no
 * gaps), serialises it once and queues it; everything queued in one event-loop turn is written
 * in ONE transaction at the end of that turn (a group commit), together with the item projection
 * (text deltas coalesced into one UPDATE per item) and the thread row. Latency comes first: a
 * token waits at most for the end of the turn it was appended in, even if that costs a small
 * transaction of its own; under load one turn carries many events, so transactions grow with it.
 * Subscribers get an event only after its transaction commits (docs/protocol.md: an event is
 * written before it is sent), together with the exact JSON that was stored, which every socket
 * sends as is.
 *
 * Under load the work per event is what limits throughput, so a text delta appended while the
 * thread's previous event is a delta of the same item, still waiting for the commit, is merged
 * into it (same seq, longer text): a stream that outpaces the commit sends fewer, larger frames
 * and no token waits longer than it would have. A slow stream (one token per turn) is never
 * merged, so latency comes first when there is no load.
 *
 * The log is compacted in the same transactions: `run.finished` deletes the run's text deltas
 * (its `item.done` events hold the full text), so a thread's log grows with its items, not its
 * tokens; `item.removed` deletes every event that carried the withdrawn item's text. The
 * thread's `compacted_seq` records the highest seq no longer kept.
 */
export class EventLog {
  #store: Store;
  #hub: ThreadHub;
  #log: Logger;
  #now: () => Date;
  #schedule: (flush: () => void) => void;
  #merge: boolean;
  #threads = new Map<string, ThreadState>();
  #pending: Pending[] = [];
  /** A group commit is scheduled. */
  #soon = false;
  /** When the oldest event waiting for the group commit was appended (performance.now()). */
  #pendingSince = 0;
  #waiters: Array<() => void> = [];
  #stats: EventLogStats = { transactions: 0, events: 0, loneDeltas: 0, mergedDeltas: 0, largestBatch: 0 };
  #flushSoon = () => {
    if (this.#soon) this.flush();
  };

  constructor({ store, hub, log, now = () => new Date(), schedule = (f) => void setImmediate(f), mergeTextDeltas = true }: EventLogOptions) {
    this.#merge = mergeTextDeltas;
    this.#store = store;
    this.#hub = hub;
    this.#log = log;
    this.#now = now;
    this.#schedule = schedule;
  }

  get stats(): Readonly<EventLogStats> {
    return { ...this.#stats };
  }

  /**
   * Numbers and queues one event. The body is copied, so the caller may reuse its objects.
   * @throws AppError not_found when the thread does not exist (e.g. it was just deleted).
   */
  append(threadId: string, body: ThreadEventBody): ThreadEvent {
    const st = this.#state(threadId);
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
    let position = 0;
    let compactFrom = 0;
    switch (event.type) {
      case 'run.started':
        st.runId = event.runId;
        st.runStartSeq = event.seq;
        break;
      case 'run.finished':
        compactFrom = st.runStartSeq;
        st.runId = null;
        st.runStartSeq = 0;
        break;
      case 'item.added':
        position = st.nextPosition++;
        if (isOpenable(event.item)) {
          st.open.set(event.item.id, structuredClone(event.item));
          st.addedAt.set(event.item.id, event.seq);
        }
        break;
      case 'text.delta': {
        const item = st.open.get(event.itemId);
        if (item?.type === 'assistant_message') item.text += event.delta;
        break;
      }
      case 'item.done':
        st.open.delete(event.item.id);
        st.addedAt.delete(event.item.id);
        break;
      case 'item.removed':
        compactFrom = st.addedAt.get(event.itemId) ?? st.runStartSeq;
        st.open.delete(event.itemId);
        st.addedAt.delete(event.itemId);
        break;
    }
    if (this.#pending.length === 0) this.#pendingSince = performance.now();
    const pending: PendingEvent = { kind: 'event', event, json: '', position, runId: st.runId, compactFrom };
    st.tail = pending;
    this.#pending.push(pending);
    this.#requestFlush();
    return event;
  }

  /**
   * How long (ms) the oldest event or write has waited for the group commit; 0 when nothing
   * waits. A producer that lets this grow without yielding to the event loop starves the commit.
   * Read once per streamed token, so it allocates nothing.
   */
  get backlogAgeMs(): number {
    return this.#pending.length === 0 ? 0 : performance.now() - this.#pendingSince;
  }

  /** Queues a write that must commit atomically with the events queued around it. */
  enqueueWrite(threadId: string, write: () => void): void {
    // A later delta is not moved across a write queued after its item's last one.
    const st = this.#threads.get(threadId);
    if (st) st.tail = null;
    if (this.#pending.length === 0) this.#pendingSince = performance.now();
    this.#pending.push({ kind: 'write', threadId, write });
    this.#requestFlush();
  }

  /** The thread's highest committed seq (what `thread.opened.lastSeq` reports). */
  committedSeq(threadId: string): number {
    return this.#threads.get(threadId)?.committedSeq ?? this.#storedSeq(threadId, this.#store.threads.get(threadId)?.lastSeq ?? 0);
  }

  /**
   * The thread's highest stored seq. The thread row's `last_seq` is only written with events other
   * than text deltas (a row update per token would double what each one costs to commit), so
   * deltas committed after it count too.
   */
  #storedSeq(threadId: string, rowSeq: number): number {
    return Math.max(rowSeq, this.#store.events.lastSeq(threadId));
  }

  /** Items of the thread added but not yet done, with the text streamed so far (copies). */
  openItems(threadId: string): Item[] {
    return [...(this.#threads.get(threadId)?.open.values() ?? [])].map((i) => structuredClone(i));
  }

  /** Resolves once everything appended so far is committed and delivered. */
  whenFlushed(): Promise<void> {
    if (this.#pending.length === 0 && !this.#soon) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Drops everything queued for a thread that is being deleted. */
  forgetThread(threadId: string): void {
    this.#threads.delete(threadId);
    this.#pending = this.#pending.filter((p) => (p.kind === 'event' ? p.event.threadId : p.threadId) !== threadId);
  }

  /** Commits everything queued now, in one transaction, then delivers it. */
  flush(): void {
    this.#soon = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) this.#commit(batch);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  #requestFlush(): void {
    if (this.#soon) return;
    this.#soon = true;
    this.#schedule(this.#flushSoon);
  }

  #state(threadId: string): ThreadState {
    let st = this.#threads.get(threadId);
    if (st) return st;
    const thread = this.#store.threads.get(threadId);
    if (!thread) throw new AppError('not_found', 'No such thread.');
    const lastSeq = this.#storedSeq(threadId, thread.lastSeq);
    st = {
      nextSeq: lastSeq + 1,
      committedSeq: lastSeq,
      nextPosition: this.#store.items.maxPosition(threadId) + 1,
      open: new Map(),
      runId: null,
      runStartSeq: 0,
      addedAt: new Map(),
      tail: null,
    };
    this.#threads.set(threadId, st);
    return st;
  }

  #commit(batch: Pending[]): void {
    const now = this.#now().toISOString();
    const lastSeqs = new Map<string, number>();
    // Serialised once, now that no later delta can be merged into it: stored and sent as is.
    for (const p of batch) {
      if (p.kind !== 'event') continue;
      p.json = JSON.stringify(p.event);
      const st = this.#threads.get(p.event.threadId);
      if (st?.tail === p) st.tail = null;
    }
    try {
      this.#store.transaction(() => this.#project(batch, now, lastSeqs));
    } catch (error) {
      // The batch is lost; forget the in-memory counters so the next append continues from
      // what is committed and the log keeps no gap. Runs of these threads will fail visibly.
      this.#log.error(`event log: a batch of ${batch.length} writes failed to commit`, error);
      for (const p of batch) this.#threads.delete(p.kind === 'event' ? p.event.threadId : p.threadId);
      return;
    }
    this.#stats.transactions++;
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only?.kind === 'event' && only.event.type === 'text.delta') this.#stats.loneDeltas++;
    if (batch.length > this.#stats.largestBatch) this.#stats.largestBatch = batch.length;
    for (const [threadId, seq] of lastSeqs) {
      const st = this.#threads.get(threadId);
      if (!st) continue;
      st.committedSeq = seq;
      // An idle thread needs no memory: the database is the truth for its next seq and position.
      if (st.open.size === 0 && st.runId === null && st.nextSeq === seq + 1) this.#threads.delete(threadId);
    }
    for (const p of batch) {
      if (p.kind !== 'event') continue;
      this.#stats.events++;
      this.#hub.publish(p.event, p.json);
    }
  }

  /** Records a compaction that deleted events up to `seq` (0: nothing was deleted). */
  #compacted(threadId: string, seq: number): void {
    if (seq > 0) this.#store.threads.markCompacted(threadId, seq);
  }

  /** Writes a batch: events, the item projection, runs and thread rows. Runs inside a transaction. */
  #project(batch: Pending[], now: string, lastSeqs: Map<string, number>): void {
    const { events, items, runs, threads } = this.#store;
    const dirty = new Map<string, Item | null>(); // item id → final state (null: take the open state)
    const dirtyThread = new Map<string, string>(); // item id → thread id
    const touched = new Set<string>(); // threads whose row is updated: those with more than deltas
    for (const p of batch) {
      if (p.kind === 'write') {
        p.write();
        continue;
      }
      const e = p.event;
      events.append(e, p.json, now);
      lastSeqs.set(e.threadId, e.seq);
      if (e.type !== 'text.delta') touched.add(e.threadId);
      switch (e.type) {
        case 'run.started':
          runs.start({ id: e.runId, threadId: e.threadId, agent: e.agent, trigger: 'message', startedAt: now });
          break;
        case 'run.finished':
          runs.finish(e.runId, e.status, e.error, now);
          this.#compacted(e.threadId, events.compactRun(e.threadId, p.compactFrom, e.seq));
          break;
        case 'item.added':
          items.insert(e.threadId, p.position, e.item, p.runId);
          if (e.item.type === 'user_message') threads.setTitleIfEmpty(e.threadId, threadTitle(e.item.text));
          if (e.item.type === 'handoff') threads.setCurrentAgent(e.threadId, e.item.to);
          break;
        case 'text.delta':
          if (!dirty.has(e.itemId)) dirty.set(e.itemId, null);
          dirtyThread.set(e.itemId, e.threadId);
          break;
        case 'item.done':
          if (e.item.type === 'user_message') {
            // A rewritten message (a PII guardrail redacts it) must not leave its old text in the title.
            const before = items.get(e.threadId, e.item.id)?.item;
            if (before?.type === 'user_message' && before.text !== e.item.text) {
              threads.retitle(e.threadId, threadTitle(before.text), threadTitle(e.item.text));
            }
          }
          dirty.set(e.item.id, e.item);
          dirtyThread.set(e.item.id, e.threadId);
          break;
        case 'item.removed':
          items.delete(e.itemId);
          dirty.delete(e.itemId);
          // Withdrawn text is not kept: a resume from before this point gets the items instead.
          this.#compacted(e.threadId, events.forgetItem(e.threadId, e.itemId, p.compactFrom));
          break;
      }
    }
    // Coalesced: one UPDATE per touched item per batch, however many deltas it received.
    for (const [itemId, final] of dirty) {
      const state = final ?? this.#threads.get(dirtyThread.get(itemId) ?? '')?.open.get(itemId);
      if (state) items.update(state);
    }
    for (const threadId of touched) threads.touch(threadId, lastSeqs.get(threadId)!, now);
  }
}

/** Items that change after `item.added` (streamed text, tool status). */
function isOpenable(item: Item): boolean {
  return item.type === 'assistant_message' || item.type === 'tool_call';
}
