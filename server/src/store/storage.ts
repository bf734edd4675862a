/*
 * The storage seam: everything the conversation layer persists, behind intent-named,
 * asynchronous interfaces with two implementations — SQLite (better-sqlite3, the embedded
 * default) and PostgreSQL (`pg`, several instances on one database).
 *
 * Rules every implementation keeps:
 * - Reads are single queries and see only committed data.
 * - `apply` runs a whole batch of writes in ONE transaction, in order, or none of it (it
 *   rejects and nothing is written). The event log gathers a batch while the previous one is
 *   being applied: one `apply` in flight at a time per event log.
 * - An event's `seq` is checked inside that transaction: `(thread_id, seq)` is unique, and
 *   `threads.last_seq` only moves forward, so two writers can never store two events with one
 *   `seq` in a thread (the second `apply` rejects with StorageConflict). Seqs are numbered by
 *   the one writer of a thread: the instance holding its running run (`runs.claim`,
 *   `runs.takeOver`); the key makes any mistake a rejected batch, never a duplicate.
 * - Times are ISO 8601 strings (they sort as text in both engines).
 */
import type { Item, RunError, RunStatus, ThreadEvent } from '@agent-chat/shared';
import type { AcceptedMessage, DailyUsage, RunRecord, StoredDecision, StoredFeedback, ThreadCursor, ThreadRecord, UploadRecord, UsageScope } from './records.ts';
import type { LedgerDimension, LedgerEntry, LedgerQuery, LedgerRow, NewRunStep, NewRunTrace, RunUsageRow, StoredRunStep, StoredRunTrace } from './run-records.ts';
import type { EvalRunStore } from './eval-runs.ts';
import type { ThreadSearch, ThreadSearchCursor, ThreadSearchRow } from './thread-search.ts';

export type { AcceptedMessage, DailyUsage, RunRecord, StoredDecision, StoredFeedback, ThreadCursor, ThreadRecord, UploadRecord, UsageScope };
export type { ThreadSearch, ThreadSearchCursor, ThreadSearchRow };
export type { LedgerDimension, LedgerEntry, LedgerQuery, LedgerRow, NewRunStep, NewRunTrace, RunUsageRow, StoredRunStep, StoredRunTrace };

/** A stored item with where it sits in its thread. */
export interface StoredItem {
  item: Item;
  position: number;
  runId: string | null;
}

/**
 * One write of a batch. The event log turns its events into these (the projection: what an
 * event means for items, runs and the thread row); the storage only executes them.
 */
/** What started a run: a visitor's message, an approval decision, or a retry of a failed reply. */
export type RunTriggerName = 'message' | 'approval' | 'retry';

export type StorageOp =
  /** Stores one event; `json` is exactly what subscribers are sent. */
  | { op: 'event.append'; event: ThreadEvent; json: string; createdAt: string }
  | { op: 'item.insert'; threadId: string; position: number; item: Item; runId: string | null; createdAt: string }
  /** Replaces the item's stored state (matched by id). */
  | { op: 'item.update'; item: Item }
  | { op: 'item.delete'; itemId: string }
  /** Replaces the title only if it is still `from` (the first message was rewritten, e.g. redacted). */
  | { op: 'thread.retitle'; threadId: string; from: string; to: string }
  | { op: 'thread.title_if_empty'; threadId: string; title: string }
  | { op: 'thread.agent'; threadId: string; agent: string }
  /** Records the newest committed seq (never moves back) and bumps `updated_at`. */
  | { op: 'thread.touch'; threadId: string; lastSeq: number; updatedAt: string }
  | { op: 'run.start'; runId: string; threadId: string; agent: string; trigger: RunTriggerName; startedAt: string }
  | { op: 'run.finish'; runId: string; status: RunStatus; error: RunError | undefined; finishedAt: string }
  /** The run is being continued after the server running it stopped: counts one more resume. */
  | { op: 'run.resume'; runId: string }
  /**
   * Compacts a finished run (docs/protocol.md, Compaction): deletes its text deltas
   * (`afterSeq < seq ≤ throughSeq`) and every event of the thread before the last of them, and
   * moves the thread's `compacted_seq` to that point.
   */
  | { op: 'events.compact_run'; threadId: string; afterSeq: number; throughSeq: number }
  /**
   * Deletes every event that carried a withdrawn item's text (item.added, text.delta,
   * item.done) from `fromSeq` on, and moves `compacted_seq` to the highest one deleted.
   */
  | { op: 'events.forget_item'; threadId: string; itemId: string; fromSeq: number }
  | { op: 'client_message.insert'; threadId: string; clientMessageId: string; accepted: AcceptedMessage; createdAt: string }
  | { op: 'approval.decide'; threadId: string; decision: StoredDecision; decidedAt: string }
  /** Forgets the thread's decisions once every pending call of it is decided and acted on. */
  | { op: 'approval.clear'; threadId: string }
  /** Marks uploads as sent with the user message `itemId` (only those not sent yet). */
  | { op: 'upload.attach'; ids: readonly string[]; itemId: string }
  /** Stores a model call or guardrail check of a run (its `step`-th), beside the events up to `afterSeq`. */
  | { op: 'run_step.insert'; step: NewRunStep }
  /** Adds a model call's tokens to the usage ledger's day. */
  | { op: 'ledger.add'; entry: LedgerEntry }
  /** Stores (or replaces) a run's trace, which is then due for export again. */
  | { op: 'trace.save'; trace: NewRunTrace };

/** `apply` found an event whose `(thread, seq)` is already stored (another writer got there first). */
export class StorageConflict extends Error {
  override readonly name = 'StorageConflict';
}

export interface ThreadReads {
  get(id: string): Promise<ThreadRecord | undefined>;
  /** The owner's threads, newest `updatedAt` first, strictly after `cursor`. */
  listByOwner(owner: string, limit: number, cursor?: ThreadCursor): Promise<ThreadRecord[]>;
  /** Every thread id of one owner, oldest first. */
  idsByOwner(owner: string): Promise<string[]>;
  /** Threads not updated since `cutoff`, oldest first, at most `limit` (retention). */
  idleSince(cutoff: string, limit: number): Promise<ThreadRecord[]>;
}

export interface ItemReads {
  get(threadId: string, itemId: string): Promise<StoredItem | undefined>;
  /** The highest position in the thread, 0 when it has no items. */
  maxPosition(threadId: string): Promise<number>;
  /** The newest `limit` items, newest first (a page can ask one more to learn if there are more). */
  newest(threadId: string, limit: number): Promise<Item[]>;
  /** At most `limit` items just before `position`, newest first. */
  before(threadId: string, position: number, limit: number): Promise<Item[]>;
  /** Every item of the thread, in order. */
  all(threadId: string): Promise<Item[]>;
  withStatus(threadId: string, status: 'in_progress' | 'running' | 'awaiting_approval'): Promise<Item[]>;
  /**
   * Items still being written, which a crash leaves open: assistant messages `in_progress` and
   * tool calls `running`, in order. (A call `awaiting_approval` is not being written: it waits.)
   */
  unfinished(threadId: string): Promise<Item[]>;
}

export interface EventReads {
  /** The highest stored seq of the thread (0 when none is stored). */
  lastSeq(threadId: string): Promise<number>;
  /** At most `limit` stored events with `afterSeq < seq ≤ throughSeq`, in order, as stored JSON. */
  between(threadId: string, afterSeq: number, throughSeq: number, limit: number): Promise<Array<{ seq: number; json: string }>>;
  /** Every stored event with `seq > afterSeq`, in order, parsed (exports, tools and tests; unbounded). */
  since(threadId: string, afterSeq: number): Promise<ThreadEvent[]>;
  /** Like `since`, each with the time its batch was stored (a run's trace, when built from storage). */
  timedSince(threadId: string, afterSeq: number): Promise<Array<{ event: ThreadEvent; createdAt: string }>>;
}

export interface RunReads {
  get(id: string): Promise<RunRecord | undefined>;
  /** Runs not finished (after a restart, these were interrupted). */
  running(): Promise<RunRecord[]>;
  /** The thread's most recently started run (a retry may only follow the last one). */
  latest(threadId: string): Promise<RunRecord | undefined>;
}

/** A run about to start, held by one instance until its lease ends unless renewed. */
export interface RunClaim {
  id: string;
  threadId: string;
  agent: string;
  trigger: RunTriggerName;
  startedAt: string;
  /** The instance that runs it. */
  owner: string;
  leaseUntil: string;
}

/**
 * Which instance runs which run. A thread has at most one running run, across every instance on
 * the database; the instance running it renews its lease, and when an instance dies its leases
 * end and another one takes its runs over.
 */
export interface RunLeases extends RunReads {
  /** Records the run as running, held by `owner`; false when the thread already has a running run. */
  claim(run: RunClaim): Promise<boolean>;
  /** Forgets a claimed run that never started (the message was refused after the claim). */
  unclaim(id: string): Promise<void>;
  /**
   * Extends the lease of every running run `owner` holds; returns their ids. A run `owner`
   * started before this call and missing from them was taken over by another instance (or ended).
   */
  renew(owner: string, leaseUntil: string): Promise<string[]>;
  /** Running runs whose lease ended before `now` (or that have none), oldest first: free to take over. */
  expired(now: string): Promise<RunRecord[]>;
  /** Takes a running run over if its lease ended before `now` (or it has none); false otherwise. */
  takeOver(id: string, owner: string, now: string, leaseUntil: string): Promise<boolean>;
  /** How many runs the threads of one identity (`threads.owner`) have running, across every instance (quotas). */
  runningOf(threadOwner: string): Promise<number>;
}

/**
 * One writer's commit, announced to the others: events of `threadId` up to `seq` are stored.
 * `null` means announcements may have been missed (the feed reconnected): catch up from storage.
 */
export type CommitNotice = { threadId: string; seq: number } | null;

/**
 * Where the commits of OTHER writers sharing the database are announced (several instances on
 * one Postgres). Announcements are hints: small, possibly lost on a restart; the events table
 * stays the truth, and a listener reads what it has not sent from it.
 */
export interface CommitFeed {
  /** Calls `listener` for each commit of another writer; returns the unsubscribe. */
  subscribe(listener: (notice: CommitNotice) => void): () => void;
}

/** An uploaded file's bytes with what a reader needs to use them. */
export interface UploadContent {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/**
 * Uploaded files: a row each, the bytes kept once per content hash (in the database, or in the
 * uploads directory when one is configured; reads look in both, so instances configured either
 * way read each other's files). Bytes no row refers to any more are removed with the last row.
 */
export interface UploadStore {
  /** Stores the row and its bytes; the row is visible only once the bytes are stored. */
  create(upload: Omit<UploadRecord, 'itemId'>, bytes: Uint8Array): Promise<void>;
  get(id: string): Promise<UploadRecord | undefined>;
  /** The file's name, type and bytes; undefined when the upload (or its bytes) is gone. */
  read(id: string): Promise<UploadContent | undefined>;
  /** The sum of the sizes of the owner's uploads (the storage quota). */
  usedBytes(owner: string): Promise<number>;
  /** Every upload of one owner, oldest first (exports). */
  ofOwner(owner: string): Promise<UploadRecord[]>;
  /** Uploads never sent with a message and created before `cutoff`, oldest first, at most `limit`. */
  unattachedBefore(cutoff: string, limit: number): Promise<UploadRecord[]>;
  /**
   * Deletes these uploads (with `unattachedOnly`, only those still not sent: a sweep racing a
   * send leaves the sent one alone); returns how many rows went.
   */
  delete(ids: readonly string[], options?: { unattachedOnly?: boolean }): Promise<number>;
  /** Deletes every upload of one owner (a user's data is deleted); returns how many. */
  deleteOfOwner(owner: string): Promise<number>;
}

/** Everything the conversation layer persists. */
export interface Storage {
  readonly engine: 'sqlite' | 'postgres';
  /** Other writers' commits; absent where there is only one writer (SQLite: one process). */
  readonly commits?: CommitFeed;
  readonly threads: ThreadReads & {
    insert(thread: ThreadRecord): Promise<void>;
    /** Deletes the thread and with it (cascade) its items, events, runs, approvals, feedback and the files sent in it. */
    delete(id: string): Promise<void>;
  };
  readonly items: ItemReads;
  readonly events: EventReads;
  readonly runs: RunLeases;
  readonly clientMessages: { get(threadId: string, clientMessageId: string): Promise<AcceptedMessage | undefined> };
  readonly approvals: { forThread(threadId: string): Promise<Map<string, StoredDecision>> };
  readonly feedback: {
    /** A second rating of the same item replaces the first. */
    save(threadId: string, itemId: string, rating: 'up' | 'down', comment: string | undefined, createdAt: string): Promise<void>;
    forThread(threadId: string): Promise<StoredFeedback[]>;
    /** The threads with at least one item rated so, most recently rated first (`agent-chat eval export --feedback`). */
    threadsRated(rating: 'up' | 'down', limit: number): Promise<string[]>;
  };
  readonly uploads: UploadStore;
  /** Small server-wide settings (e.g. the generated token secret). */
  readonly meta: {
    get(key: string): Promise<string | undefined>;
    /** The stored value, or `create()`'s stored now; two instances starting together agree on one. */
    getOrCreate(key: string, create: () => string): Promise<string>;
    /**
     * Writes `at` to a row of its own and reads it back: the database takes writes now
     * (readiness). Every instance writes the same row.
     * @throws the engine's error when it does not (read-only, closed, unreachable).
     */
    checkWritable(at: string): Promise<void>;
  };
  /** Daily counters behind quotas and budgets; atomic increments, so they hold across instances. */
  readonly usage: {
    addTokens(scope: UsageScope, key: string, day: string, tokens: number): Promise<void>;
    countThread(scope: UsageScope, key: string, day: string): Promise<void>;
    on(scope: UsageScope, key: string, day: string): Promise<DailyUsage>;
    pruneBefore(day: string): Promise<number>;
    /** Records that each of `keys` (an identity, an IP) started a run at `at`. */
    countRunStart(keys: readonly string[], at: string): Promise<void>;
    /** When `key` started runs after `since`, oldest first. */
    runStarts(key: string, since: string): Promise<string[]>;
    /** Forgets the run starts before `before`. */
    pruneRunStartsBefore(before: string): Promise<number>;
  };
  /** What runs did beyond their events: model calls and guardrail checks (see `run_step.insert`). */
  readonly runSteps: {
    /** A run's steps, in order. */
    ofRun(runId: string): Promise<StoredRunStep[]>;
    /** Tokens of a thread's model calls, a row per run and model, oldest run first. */
    usageOfThread(threadId: string): Promise<RunUsageRow[]>;
  };
  /** Tokens per day, site, workflow, agent and model; kept when threads are deleted. */
  readonly ledger: {
    query(query: LedgerQuery): Promise<LedgerRow[]>;
  };
  /** Each finished run's trace, and whether it was exported yet. */
  readonly traces: {
    get(runId: string): Promise<StoredRunTrace | undefined>;
    /** The thread's traces, oldest run first. */
    ofThread(threadId: string): Promise<StoredRunTrace[]>;
    /** Traces not exported yet, oldest first. */
    unexported(limit: number): Promise<StoredRunTrace[]>;
    markExported(runIds: readonly string[], at: string): Promise<void>;
  };
  /** What the admin console reads across threads and owners (never the widget: it sees one owner's). */
  readonly review: {
    /** Threads matching every filter of `search`, in its order, at most `search.limit`. */
    searchThreads(search: ThreadSearch): Promise<ThreadSearchRow[]>;
    /** The thread's recorded approval decisions with when each was made (kept until acted on), oldest first. */
    decisions(threadId: string): Promise<Array<StoredDecision & { decidedAt: string }>>;
    /** Every run of the thread, oldest started first. */
    runsOf(threadId: string): Promise<RunRecord[]>;
  };
  /** `agent-chat eval` runs with their case results; only the newest are kept (`EVAL_RUNS_KEPT`). */
  readonly evalRuns: EvalRunStore;
  /** Applies a batch in one transaction, in order (see the rules above). */
  apply(ops: readonly StorageOp[]): Promise<void>;
  close(): Promise<void>;
}
