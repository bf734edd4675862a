import type {
  FeedbackSaved,
  Item,
  MessageAccepted,
  RunRetried,
  ThreadDeleted,
  ThreadEvent,
  ThreadItems,
  ThreadOpened,
  Threads,
  ThreadsDeleted,
  Workflow,
} from '@agent-chat/shared';
import type { ScreenText } from '../agents/guardrails/screen-text.ts';
import type { GuardrailOutcome } from '../agents/guardrails/run-guardrails.ts';
import type { RunAgent, RunTrigger } from '../agents/run-types.ts';
import { AttachmentPreparer } from '../attachments/attachment-preparer.ts';
import type { ReadUpload } from '../attachments/read-upload.ts';
import type { MessageLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import { siteOfOwner } from '../identity/owner-key.ts';
import { newId } from '../ids.ts';
import { KeyedLock } from '../keyed-lock.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { QuotaService, RunLease } from '../quota/quota-service.ts';
import type { RunRecord, ThreadRecord } from '../store/records.ts';
import type { RunClaim } from '../store/storage.ts';
import type { Storage, StorageOp } from '../store/storage.ts';
import { assertAwaitingApproval, decisionsWith } from './approvals.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { feedbackFor } from './item-feedback.ts';
import type { EventLog } from './event-log.ts';
import { storedRunTimeline } from '../traces/stored-run-timeline.ts';
import { toolKindsOf } from '../traces/tool-kinds.ts';
import { DEFAULT_TRACE_SETTINGS, type TraceSettings } from '../traces/trace-settings.ts';
import { INTERRUPTED_BY_RESTART, RESUMED_TOO_OFTEN, type RunDriverDeps, abortRun, detachAndFinish, detachRun, finishRun, lastUserMessage, startRun } from './run-driver.ts';
import { RunRecorder } from './run-recorder.ts';
import { type ActiveRun, RunRegistry } from './run-registry.ts';
import { screenWithDeadline } from './screen-deadline.ts';
import { readThreadOpening } from './thread-opening.ts';
import type { Subscriber, ThreadHub } from './thread-hub.ts';
import { checkMessage, resolveAttachments, threadInfo, workflowInfo } from './thread-views.ts';

/** A reply as the service builds it; the transport adds `replyTo`. */
type Reply<T> = Omit<T, 'replyTo'>;

/** Where a request comes from, beyond its owner: what per-IP quotas count. */
export interface RequestOrigin {
  ip?: string;
}

/** What `openThread` gives: the reply, the missed events to send right after it, and how to stop listening. */
export interface OpenedThread {
  opened: Reply<ThreadOpened>;
  /**
   * Events with `afterSeq < seq ≤ lastSeq`, in order: at most `maxReplayEvents` of them (empty
   * without `afterSeq`, and on a reset).
   */
  events: ThreadEvent[];
  /** Stops live events; a no-op when no subscriber was given. */
  unsubscribe: () => void;
}

export interface ConversationServiceOptions {
  storage: Storage;
  eventLog: EventLog;
  hub: ThreadHub;
  workflows: ReadonlyMap<string, Workflow>;
  runAgent: RunAgent;
  /**
   * The current agent's input guardrails, run on a visitor's message, denial reason or feedback
   * comment BEFORE it is stored: what is stored, replayed and sent to a model is the screened text.
   */
  screenText: ScreenText;
  limits: MessageLimits;
  log: Logger;
  /** Admits new threads and runs and counts their tokens; without one nothing is limited. */
  quota?: QuotaService;
  now?: () => Date;
  /** How long a cancelled run may take to stop before the service finishes it. */
  cancelGraceMs?: number;
  /**
   * The most events a `thread.open{afterSeq}` replays; a client further behind (or behind the
   * compaction point) gets `reset: true` with the newest items instead.
   */
  maxReplayEvents?: number;
  /**
   * At start-up, continue the runs a stop left in flight (default) instead of ending them as
   * interrupted; each at most `maxRunResumes` times.
   */
  resumeInterruptedRuns?: boolean;
  maxRunResumes?: number;
  /** This instance's id in run leases (random by default). */
  instanceId?: string;
  /** How long a run stays held by its instance without a renewal (ms). */
  runLeaseMs?: number;
  /** Where runs in flight and replay sizes are measured (none by default). */
  metrics?: Metrics;
  /**
   * Reads an uploaded file's bytes, so the model sees the attachments of a thread (images as
   * images, text and PDFs as text). Absent: the model is told each attachment is not available.
   */
  readUpload?: ReadUpload;
  /** How run traces are written (default: provider "openai", no message content). */
  traces?: TraceSettings;
}

/** The reply to an accepted message. */
function accepted(threadId: string, clientMessageId: string, itemId: string, runId: string): Reply<MessageAccepted> {
  return { type: 'message.accepted', threadId, clientMessageId, itemId, runId };
}

/** Default of `runLeaseMs`: a dead instance's runs are taken over within about this long. */
export const DEFAULT_RUN_LEASE_MS = 3000;

/** Default of `maxRunResumes`. */
export const DEFAULT_MAX_RUN_RESUMES = 2;

/** Default of `maxReplayEvents`. */
export const DEFAULT_MAX_REPLAY_EVENTS = 1000;

/** Items sent with `thread.opened`; older ones come through `thread.history`. */
export const OPEN_ITEMS = 50;
const DEFAULT_PAGE = 20;
const DEFAULT_HISTORY = 50;

/**
 * Owns threads: creates, lists, opens and deletes them, accepts messages, starts and cancels
 * runs, records approvals and feedback. `owner` is the caller's identity key; a thread it does
 * not own is `not_found`, exactly like one that does not exist. Knows nothing about sockets.
 */
export class ConversationService {
  #o: Required<Omit<ConversationServiceOptions, 'quota' | 'metrics' | 'readUpload' | 'traces'>> & Pick<ConversationServiceOptions, 'quota' | 'metrics' | 'readUpload' | 'traces'>;
  #registry = new RunRegistry();
  #leaseTimers: Array<ReturnType<typeof setInterval>> = [];
  #sweeping: Promise<void> | null = null;
  #driver: RunDriverDeps;
  #closed = false;
  /** Messages whose guardrails are running, per thread: they count as the thread's run. */
  #screening = new Map<string, { clientMessageId: string; reply: Promise<Reply<MessageAccepted>> }>();
  /** Aborts guardrail checks in flight at shutdown. */
  #shutdown = new AbortController();
  /** One approval decision at a time per thread: each sees the ones before it. */
  #deciding = new KeyedLock();

  constructor(options: ConversationServiceOptions) {
    this.#o = {
      now: () => new Date(),
      cancelGraceMs: 5_000,
      maxReplayEvents: DEFAULT_MAX_REPLAY_EVENTS,
      resumeInterruptedRuns: true,
      maxRunResumes: DEFAULT_MAX_RUN_RESUMES,
      instanceId: newId('run').replace('run_', 'inst_'),
      runLeaseMs: DEFAULT_RUN_LEASE_MS,
      ...options,
    };
    const preparer = options.readUpload ? new AttachmentPreparer({ readUpload: options.readUpload, log: options.log }) : undefined;
    this.#driver = {
      prepareAttachments: preparer && ((history, signal) => preparer.forHistory(history, signal)),
      eventLog: options.eventLog,
      registry: this.#registry,
      runAgent: options.runAgent,
      log: options.log,
      now: this.#o.now,
      cancelGraceMs: this.#o.cancelGraceMs,
      storedTimeline: (threadId, runId) => storedRunTimeline(options.storage, threadId, runId),
      traces: options.traces,
    };
    options.metrics?.trackActiveRuns(() => this.#registry.size);
    // A write refused because the thread's event is already stored: another instance may have
    // taken the thread's run over (this one stalled past its lease).
    options.eventLog.onConflict((threadId) => {
      const run = this.#registry.get(threadId);
      if (run) void this.#stopIfTakenOver(run);
    });
  }

  /**
   * Creates an empty thread on `workflowId`, answered as `thread.opened` with no items and `lastSeq: 0`.
   * @throws AppError rate_limited past the owner's threads per day.
   */
  async createThread(owner: string, workflowId: string, origin: RequestOrigin = {}): Promise<Reply<ThreadOpened>> {
    const workflow = this.#workflow(workflowId);
    await this.#o.quota?.newThread(owner, origin.ip);
    const now = this.#o.now().toISOString();
    const thread: ThreadRecord = {
      id: newId('thr'),
      owner,
      workflow: workflow.id,
      title: '',
      currentAgent: workflow.entryAgent,
      createdAt: now,
      updatedAt: now,
      lastSeq: 0,
    };
    await this.#o.storage.threads.insert(thread);
    return { type: 'thread.opened', thread: threadInfo(thread), workflow: workflowInfo(workflow, thread), lastSeq: 0, items: [], hasMore: false };
  }

  /** Starts delivering a thread's committed events to `subscriber`. */
  async subscribe(owner: string, threadId: string, subscriber: Subscriber): Promise<() => void> {
    await this.#owned(owner, threadId);
    return this.#o.hub.subscribe(threadId, subscriber);
  }

  /** The owner's threads, newest `updatedAt` first. */
  async listThreads(owner: string, request: { cursor?: string; limit?: number } = {}): Promise<Reply<Threads>> {
    const limit = request.limit ?? DEFAULT_PAGE;
    const rows = await this.#o.storage.threads.listByOwner(owner, limit + 1, request.cursor ? decodeCursor(request.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      type: 'threads',
      threads: page.map((t) => ({ id: t.id, title: t.title, workflow: t.workflow, updatedAt: t.updatedAt })),
      nextCursor: rows.length > limit && last ? encodeCursor({ updatedAt: last.updatedAt, id: last.id }) : null,
    };
  }

  /**
   * Opens a thread: the newest items, or with `afterSeq` the events missed since. A client
   * behind the compaction point (some of its missed events are no longer kept) or more than
   * `maxReplayEvents` behind gets `reset: true` and the newest items instead. The subscription
   * and the reads happen inside one event-log snapshot (`readThreadOpening`), so every event is
   * either in what was read (seq ≤ `lastSeq`) or delivered live, never both. Live events may reach `subscriber` before this resolves: the
   * caller holds them and sends `opened`, then `events`, then the live events, in that order.
   */
  async openThread(owner: string, request: { threadId: string; afterSeq?: number }, subscriber?: Subscriber): Promise<OpenedThread> {
    // Checked first on its own: a thread that is not the owner's costs no snapshot.
    await this.#owned(owner, request.threadId);
    const { thread, lastSeq, reset, newest, missed, unsubscribe } = await readThreadOpening(
      this.#o,
      owner,
      { threadId: request.threadId, items: OPEN_ITEMS + 1, ...(request.afterSeq !== undefined ? { afterSeq: request.afterSeq } : {}) },
      subscriber,
    );
    const opened: Reply<ThreadOpened> = {
      type: 'thread.opened',
      thread: threadInfo(thread),
      workflow: workflowInfo(this.#o.workflows.get(thread.workflow), thread),
      lastSeq,
    };
    // Read at the snapshot, before the ratings are read below.
    const active = this.#registry.get(thread.id);
    if (active) opened.activeRunId = active.runId;
    if (newest) {
      opened.hasMore = newest.length > OPEN_ITEMS;
      opened.items = newest.slice(0, OPEN_ITEMS).reverse();
      const feedback = await feedbackFor(this.#o.storage, thread.id, opened.items);
      if (feedback) opened.feedback = feedback;
      if (reset) opened.reset = true;
    }
    if (request.afterSeq !== undefined) this.#o.metrics?.replayed(missed.length);
    return { opened, events: missed.map((e) => JSON.parse(e.json) as ThreadEvent), unsubscribe };
  }

  /** Items older than `beforeItemId`, oldest first. */
  async history(owner: string, request: { threadId: string; beforeItemId: string; limit?: number }): Promise<Reply<ThreadItems>> {
    const thread = await this.#owned(owner, request.threadId);
    const anchor = await this.#o.storage.items.get(thread.id, request.beforeItemId);
    if (!anchor) throw new AppError('not_found', 'No such item.');
    const limit = request.limit ?? DEFAULT_HISTORY;
    const items = await this.#o.storage.items.before(thread.id, anchor.position, limit + 1);
    const hasMore = items.length > limit;
    const page = items.slice(0, limit).reverse();
    const feedback = await feedbackFor(this.#o.storage, thread.id, page);
    return { type: 'thread.items', threadId: thread.id, items: page, ...(feedback ? { feedback } : {}), hasMore };
  }

  /** Deletes a thread with everything in it; a run in flight is stopped and forgotten. */
  async deleteThread(owner: string, threadId: string): Promise<Reply<ThreadDeleted>> {
    const thread = await this.#owned(owner, threadId);
    const active = this.#registry.get(thread.id);
    if (active) {
      active.detached = true;
      this.#registry.abort(active, 'deleted');
      this.#registry.remove(active);
    }
    this.#o.eventLog.forgetThread(thread.id);
    this.#o.hub.drop(thread.id);
    await this.#o.storage.threads.delete(thread.id);
    return { type: 'thread.deleted', threadId: thread.id };
  }

  /** Deletes every thread of `owner` (runs in flight stopped); returns how many there were. */
  async deleteAllThreads(owner: string): Promise<Reply<ThreadsDeleted>> {
    const ids = await this.#o.storage.threads.idsByOwner(owner);
    for (const id of ids) await this.deleteThread(owner, id);
    return { type: 'threads.deleted', count: ids.length };
  }

  /**
   * Screens the visitor's message with the current agent's input guardrails, then adds it
   * (`item.added` + `item.done`, already redacted) and starts a run. A message a guardrail
   * blocks is added too (the visitor sees it and the notice) but its run ends `blocked` and no
   * model ever reads it. Idempotent on `clientMessageId`: a repeat, even one that arrives while
   * the first is being screened, gets the original answer and changes nothing.
   * @throws AppError rate_limited when a quota refuses the run (checked before the guardrails
   *   run, so a refused message costs nothing and nothing is added).
   */
  async sendMessage(
    owner: string,
    request: { threadId: string; clientMessageId: string; text: string; attachments?: string[] },
    origin: RequestOrigin = {},
  ): Promise<Reply<MessageAccepted>> {
    const thread = await this.#owned(owner, request.threadId);
    const { clientMessageId } = request;
    await this.#letFinish(thread.id);
    const previous = await this.#o.storage.clientMessages.get(thread.id, clientMessageId);
    // From here to registering the screening, nothing awaits: a second send sees one or the other.
    const active = this.#registry.get(thread.id);
    if (active?.clientMessageId === clientMessageId && active.itemId) return accepted(thread.id, clientMessageId, active.itemId, active.runId);
    const screening = this.#screening.get(thread.id);
    if (screening?.clientMessageId === clientMessageId) return screening.reply;
    if (previous) return accepted(thread.id, clientMessageId, previous.itemId, previous.runId);
    if (active || screening) throw new AppError('run_in_progress', 'Wait for the current reply to finish, or stop it.');
    this.#assertOpen();
    const uploadIds = request.attachments ?? [];
    checkMessage(this.#o.limits, request.text, uploadIds);
    const workflow = this.#workflow(thread.workflow);
    const agentId = this.#currentAgent(thread, workflow);
    const runId = newId('run');
    const entry = { clientMessageId, reply: undefined as unknown as Promise<Reply<MessageAccepted>> };
    entry.reply = (async () => {
      // The files are checked before any cost (quota, guardrails), and again when the message is added.
      if (uploadIds.length > 0) await resolveAttachments(this.#o.storage.uploads, owner, uploadIds);
      // Admitted before the guardrails run: a refused message costs no guardrail call. The lease
      // goes back if the message is not added after all.
      const lease = await this.#o.quota?.beginRun(owner, origin.ip);
      try {
        const outcome = await this.#screen(workflow, agentId, thread.id, runId, request.text);
        return await this.#addMessage(owner, thread.id, clientMessageId, runId, agentId, outcome, lease, uploadIds);
      } catch (error) {
        lease?.release();
        throw error;
      }
    })().finally(() => {
      if (this.#screening.get(thread.id) === entry) this.#screening.delete(thread.id);
    });
    // Registered before the first await settles: a second send of this thread waits for or is refused by it.
    this.#screening.set(thread.id, entry);
    return entry.reply;
  }

  /** The second half of `sendMessage`, once the guardrails have spoken; synchronous from its last read to the run start. */
  async #addMessage(
    owner: string,
    threadId: string,
    clientMessageId: string,
    runId: string,
    agentId: string,
    outcome: GuardrailOutcome,
    lease: RunLease | undefined,
    uploadIds: readonly string[],
  ): Promise<Reply<MessageAccepted>> {
    // The thread may have been deleted, or the server may be stopping, while the guardrails ran.
    const thread = await this.#owned(owner, threadId);
    const { eventLog, storage } = this.#o;
    const stored = await storage.items.all(thread.id);
    const attachments = uploadIds.length > 0 ? await resolveAttachments(storage.uploads, owner, uploadIds) : [];
    const release = await eventLog.acquire(thread.id);
    try {
      this.#assertOpen();
      if (this.#registry.get(thread.id)) throw new AppError('run_in_progress', 'Wait for the current reply to finish, or stop it.');
      const workflow = this.#workflow(thread.workflow);
      const now = this.#o.now().toISOString();
      // The database decides, across every instance: one running run per thread.
      await this.#claim({ id: runId, threadId: thread.id, agent: agentId, trigger: 'message', startedAt: now });
      try {
        const item: Extract<Item, { type: 'user_message' }> = {
          id: newId('itm'),
          type: 'user_message',
          createdAt: now,
          text: outcome.text,
          attachments,
        };
        eventLog.append(thread.id, { type: 'item.added', item });
        eventLog.append(thread.id, { type: 'item.done', item });
        // Committed with the message itself: a repeat after a crash finds it, and so does recovery.
        eventLog.enqueueOps(thread.id, [
          { op: 'client_message.insert', threadId: thread.id, clientMessageId, accepted: { itemId: item.id, runId }, createdAt: now },
          { op: 'run.start', runId, threadId: thread.id, agent: agentId, trigger: 'message', startedAt: now },
          ...(attachments.length > 0 ? [{ op: 'upload.attach' as const, ids: attachments.map((a) => a.id), itemId: item.id }] : []),
        ]);
        const trigger: RunTrigger = { kind: 'message', message: item, screened: { ...(outcome.tripped ? { tripped: outcome.tripped } : {}), checks: outcome.checks } };
        startRun(
          this.#driver,
          { runId, threadId: thread.id, siteId: siteOfOwner(thread.owner), workflow, agentId, history: [...stored, item], trigger },
          { clientMessageId, itemId: item.id, ...(lease ? { lease } : {}) },
        );
        return accepted(thread.id, clientMessageId, item.id, runId);
      } catch (error) {
        await this.#o.storage.runs.unclaim(runId);
        throw error;
      }
    } finally {
      release();
    }
  }

  /** Cancels the thread's active run; it ends `run.finished{status:"cancelled"}`. A finished run is a no-op. */
  async cancelRun(owner: string, request: { threadId: string; runId: string }): Promise<void> {
    const thread = await this.#owned(owner, request.threadId);
    const active = this.#registry.get(thread.id);
    if (active?.runId === request.runId) {
      abortRun(this.#driver, active, 'cancelled');
      return;
    }
    const run = await this.#o.storage.runs.get(request.runId);
    if (!run || run.threadId !== thread.id) throw new AppError('not_found', 'No such run.');
  }

  /**
   * Records a decision on a tool call waiting for approval. Once every waiting call of the
   * thread is decided, a new run continues the interrupted one; its id is returned. A `reason`
   * passes the current agent's input guardrails first: redacted, it is stored redacted; blocked,
   * the decision stands and the reason is dropped, so no model ever reads it.
   * @throws AppError rate_limited when a quota refuses that run; the decision is then not
   *   recorded, so the same approval can be sent again later.
   */
  async approveTool(
    owner: string,
    request: { threadId: string; callId: string; approved: boolean; reason?: string },
    origin: RequestOrigin = {},
  ): Promise<{ runId: string | null }> {
    let thread = await this.#owned(owner, request.threadId);
    await this.#letFinish(thread.id);
    this.#assertIdle(thread.id);
    this.#assertOpen();
    const { storage, eventLog } = this.#o;
    const { callId, approved } = request;
    // Checked before the guardrails run, so a wrong call id costs no guardrail call.
    await assertAwaitingApproval(storage, thread.id, callId);
    const runId = newId('run');
    let reason = request.reason?.trim() ? request.reason : undefined;
    if (reason !== undefined) {
      const workflow = this.#workflow(thread.workflow);
      const outcome = await this.#screen(workflow, this.#currentAgent(thread, workflow), thread.id, runId, reason);
      if (outcome.tripped) this.#o.log.warn(`thread ${thread.id}: a ${approved ? 'approval' : 'denial'} reason tripped the ${outcome.tripped.name} guardrail and was dropped`);
      reason = outcome.tripped ? undefined : outcome.text;
      thread = await this.#owned(owner, thread.id);
      this.#assertIdle(thread.id);
      this.#assertOpen();
    }
    const threadId = thread.id;
    const decision = { callId, approved, ...(reason !== undefined ? { reason } : {}) };
    return this.#deciding.run(threadId, async () => {
      const decisions = await decisionsWith(storage, threadId, decision);
      const decide: StorageOp = { op: 'approval.decide', threadId, decision, decidedAt: this.#o.now().toISOString() };
      if (!decisions) {
        await storage.apply([decide]);
        return { runId: null };
      }
      // The last decision and the run it starts go together: a refused run leaves no decision behind.
      const lease = await this.#o.quota?.beginRun(owner, origin.ip);
      let release: (() => void) | undefined;
      try {
        const history = await storage.items.all(threadId);
        release = await eventLog.acquire(threadId);
        this.#assertIdle(threadId);
        this.#assertOpen();
        const workflow = this.#workflow(thread.workflow);
        const agentId = this.#currentAgent(thread, workflow);
        const now = this.#o.now().toISOString();
        await this.#claim({ id: runId, threadId, agent: agentId, trigger: 'approval', startedAt: now });
        eventLog.enqueueOps(threadId, [decide, { op: 'run.start', runId, threadId, agent: agentId, trigger: 'approval', startedAt: now }]);
        startRun(this.#driver, { runId, threadId, siteId: siteOfOwner(thread.owner), workflow, agentId, history, trigger: { kind: 'approval', decisions } }, lease ? { lease } : {});
      } catch (error) {
        lease?.release();
        throw error;
      } finally {
        release?.();
      }
      return { runId };
    });
  }

  /**
   * Runs a failed reply again: a new run over the thread's items as they are, so the visitor's
   * message is not added twice. Only the thread's last run, and only when it ended `failed` or
   * `max_turns`, with no run active. Idempotent on the failed run's id: asking again (after a
   * reconnect, say) answers with the run the first retry started and starts nothing.
   * @throws AppError not_found for a run that is not the thread's; invalid_request when the run
   *   did not fail or is not the last one; run_in_progress while a run is active; rate_limited
   *   when a quota refuses the run.
   */
  async retryRun(owner: string, request: { threadId: string; runId: string }, origin: RequestOrigin = {}): Promise<Reply<RunRetried>> {
    const thread = await this.#owned(owner, request.threadId);
    await this.#letFinish(thread.id);
    const { storage, eventLog } = this.#o;
    const key = retryKey(request.runId);
    const retried = (runId: string): Reply<RunRetried> => ({ type: 'run.retried', threadId: thread.id, retriedRunId: request.runId, runId });
    const previous = await storage.clientMessages.get(thread.id, key);
    // The retry's own run, still going (its record may not be committed yet): the same answer.
    const active = this.#registry.get(thread.id);
    if (active?.clientMessageId === key) return retried(active.runId);
    if (previous) return retried(previous.runId);
    this.#assertIdle(thread.id);
    this.#assertOpen();
    await this.#assertRetryable(thread.id, request.runId);
    const lease = await this.#o.quota?.beginRun(owner, origin.ip);
    let release: (() => void) | undefined;
    try {
      const history = await storage.items.all(thread.id);
      release = await eventLog.acquire(thread.id);
      // A retry that raced this one may have started while we waited for the lock.
      const raced = await storage.clientMessages.get(thread.id, key);
      if (raced) {
        lease?.release();
        return retried(raced.runId);
      }
      this.#assertIdle(thread.id);
      this.#assertOpen();
      await this.#assertRetryable(thread.id, request.runId);
      const workflow = this.#workflow(thread.workflow);
      const agentId = this.#currentAgent(thread, workflow);
      const runId = newId('run');
      const now = this.#o.now().toISOString();
      await this.#claim({ id: runId, threadId: thread.id, agent: agentId, trigger: 'retry', startedAt: now });
      const anchor = history.at(-1)?.id ?? runId;
      eventLog.enqueueOps(thread.id, [
        // Remembered with the run itself: a repeated retry finds the run it started.
        { op: 'client_message.insert', threadId: thread.id, clientMessageId: key, accepted: { itemId: anchor, runId }, createdAt: now },
        { op: 'run.start', runId, threadId: thread.id, agent: agentId, trigger: 'retry', startedAt: now },
      ]);
      // A retry goes on from the items alone, exactly as a run continued after a restart does.
      startRun(
        this.#driver,
        { runId, threadId: thread.id, siteId: siteOfOwner(thread.owner), workflow, agentId, history, trigger: { kind: 'resume' } },
        { clientMessageId: key, ...(lease ? { lease } : {}) },
      );
      return retried(runId);
    } catch (error) {
      lease?.release();
      throw error;
    } finally {
      release?.();
    }
  }

  /** The run exists in the thread, is its last one, and ended failed or max_turns. */
  async #assertRetryable(threadId: string, runId: string): Promise<void> {
    const run = await this.#o.storage.runs.get(runId);
    if (!run || run.threadId !== threadId) throw new AppError('not_found', 'No such run.');
    if (run.status !== 'failed' && run.status !== 'max_turns') throw new AppError('invalid_request', 'Only a reply that failed can be retried.');
    const latest = await this.#o.storage.runs.latest(threadId);
    if (latest?.id !== run.id) throw new AppError('invalid_request', 'Only the last reply can be retried.');
  }

  /**
   * Saves a rating of an item of the thread. A `comment` passes the current agent's input
   * guardrails first: redacted, it is saved redacted; blocked, the rating is saved without it
   * (the reply does not say so: it would tell a prober which text trips the guardrail).
   */
  async feedback(
    owner: string,
    request: { threadId: string; itemId: string; rating: 'up' | 'down'; comment?: string },
  ): Promise<Reply<FeedbackSaved>> {
    let thread = await this.#owned(owner, request.threadId);
    if (!(await this.#o.storage.items.get(thread.id, request.itemId))) throw new AppError('not_found', 'No such item.');
    let comment = request.comment?.trim() ? request.comment : undefined;
    if (comment !== undefined) {
      const workflow = this.#workflow(thread.workflow);
      const outcome = await this.#screen(workflow, this.#currentAgent(thread, workflow), thread.id, newId('run'), comment);
      if (outcome.tripped) this.#o.log.warn(`thread ${thread.id}: a feedback comment tripped the ${outcome.tripped.name} guardrail and was dropped`);
      comment = outcome.tripped ? undefined : outcome.text;
      thread = await this.#owned(owner, thread.id);
      if (!(await this.#o.storage.items.get(thread.id, request.itemId))) throw new AppError('not_found', 'No such item.');
    }
    await this.#o.storage.feedback.save(thread.id, request.itemId, request.rating, comment, this.#o.now().toISOString());
    return { type: 'feedback.saved', threadId: thread.id, itemId: request.itemId };
  }

  /**
   * Finishes every run left in flight by a crash or a kill: partial text kept `incomplete`,
   * running tool calls `failed`, then `run.finished{status:"failed", error:{code:"interrupted_by_restart"}}`.
   * Call once at start-up, before accepting connections. Returns how many runs it finished.
   */
  async recoverInterruptedRuns(): Promise<{ resumed: number; ended: number }> {
    const { storage, eventLog } = this.#o;
    const now = this.#o.now().toISOString();
    // With one instance (no commit feed) every run in flight was this server's before it
    // stopped; with several, only runs whose lease ended are free to take.
    const horizon = storage.commits ? now : '9999-12-31T23:59:59.999Z';
    const stale: RunRecord[] = [];
    for (const run of await (storage.commits ? storage.runs.expired(now) : storage.runs.running())) {
      if (this.#registry.get(run.threadId)?.runId === run.id) continue; // ours, running
      if (await storage.runs.takeOver(run.id, this.#o.instanceId, horizon, this.#leaseUntil())) stale.push(run);
    }
    let resumed = 0;
    for (const run of stale) {
      if (await this.#resume(run)) {
        resumed++;
        continue;
      }
      const unfinished = await storage.items.unfinished(run.threadId);
      const recorder = await this.#storedRecorder(run);
      const release = await eventLog.acquire(run.threadId);
      try {
        const error = this.#o.resumeInterruptedRuns ? RESUMED_TOO_OFTEN : INTERRUPTED_BY_RESTART;
        finishRun(eventLog, { threadId: run.threadId, runId: run.id, recorder }, 'failed', error, undefined, unfinished);
      } finally {
        release();
      }
    }
    await eventLog.flush();
    return { resumed, ended: stale.length - resumed };
  }

  /** A recorder holding what storage kept of a run a stop left in flight, to write its trace as it is finished. */
  async #storedRecorder(run: RunRecord): Promise<RunRecorder> {
    const { storage, eventLog, log } = this.#o;
    const thread = await storage.threads.get(run.threadId);
    const workflow = thread ? this.#o.workflows.get(thread.workflow) : undefined;
    const [items, timeline] = await Promise.all([storage.items.all(run.threadId), storedRunTimeline(storage, run.threadId, run.id)]);
    const settings = this.#o.traces ?? DEFAULT_TRACE_SETTINGS;
    const recorder = new RunRecorder(
      eventLog,
      { threadId: run.threadId, runId: run.id, siteId: thread ? siteOfOwner(thread.owner) : null, workflowId: thread?.workflow ?? '' },
      { labels: { ...settings, toolKind: toolKindsOf(workflow), userMessage: lastUserMessage(items) }, now: this.#o.now, log },
    );
    recorder.restore(timeline);
    return recorder;
  }

  /**
   * Continues a run a stop left in flight, from the thread's items (the run loop's `resume`:
   * the partial answer is closed as incomplete and continued as a new item, finished tool calls
   * are not run again). False when it may not be: resuming is off, the run was continued too
   * often already, or its thread or workflow is gone.
   */
  async #resume(run: RunRecord): Promise<boolean> {
    const { storage, eventLog } = this.#o;
    if (!this.#o.resumeInterruptedRuns || run.resumes >= this.#o.maxRunResumes) return false;
    const thread = await storage.threads.get(run.threadId);
    const workflow = thread && this.#o.workflows.get(thread.workflow);
    if (!thread || !workflow) return false;
    const history = await storage.items.all(thread.id);
    const release = await eventLog.acquire(thread.id);
    try {
      eventLog.enqueueOps(thread.id, [{ op: 'run.resume', runId: run.id }]);
      const agentId = this.#currentAgent(thread, workflow);
      startRun(this.#driver, { runId: run.id, threadId: thread.id, siteId: siteOfOwner(thread.owner), workflow, agentId, history, trigger: { kind: 'resume' } }, { resumed: true });
    } finally {
      release();
    }
    this.#o.log.info('continuing a run the last stop left in flight', { threadId: thread.id, runId: run.id, resumes: run.resumes + 1 });
    return true;
  }

  /** How many runs are in flight. */
  get activeRuns(): number {
    return this.#registry.size;
  }

  /** The thread's active run id, if any (tests and diagnostics). */
  activeRunId(threadId: string): string | undefined {
    return this.#registry.get(threadId)?.runId;
  }

  /**
   * The first half of a graceful stop: no new run starts from here on (a message is refused as
   * "restarting", which the client may retry elsewhere or later) and no run of another instance
   * is taken over, while the runs in flight get up to `graceMs` to finish on their own.
   * Resolves with how many are still running then; `shutdown` ends those.
   */
  async drain(graceMs: number): Promise<number> {
    this.#closed = true;
    const deadline = Date.now() + graceMs;
    // A shutdown is rare and short: polling keeps this apart from the run driver.
    while ((this.#registry.size > 0 || this.#screening.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.#registry.size;
  }

  /**
   * Stops for shutdown: every run still in flight ends now as `interrupted_by_restart` (the
   * same as after a crash), and everything is committed and delivered. `drain` first lets
   * them finish.
   */
  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#leaseTimers.splice(0)) clearInterval(timer);
    await this.#sweeping;
    this.#shutdown.abort();
    for (const run of this.#registry.all()) detachAndFinish(this.#driver, run, 'failed', INTERRUPTED_BY_RESTART);
    await this.#o.eventLog.flush();
  }

  /** Holds a new run for this instance in the database; run_in_progress when the thread has one (anywhere). */
  async #claim(run: Omit<RunClaim, 'owner' | 'leaseUntil'>): Promise<void> {
    const claimed = await this.#o.storage.runs.claim({ ...run, owner: this.#o.instanceId, leaseUntil: this.#leaseUntil() });
    if (!claimed) throw new AppError('run_in_progress', 'Wait for the current reply to finish, or stop it.');
  }

  #leaseUntil(): string {
    return new Date(this.#o.now().getTime() + this.#o.runLeaseMs).toISOString();
  }

  /**
   * Where other instances share the database (it has a commit feed): keeps this instance's runs
   * held (renewing their leases several times per lease) and takes over the runs of one that
   * died, whose leases ended, continuing them here (see `recoverInterruptedRuns`). Stopped by
   * `shutdown`.
   */
  startLeases(): void {
    const { storage, runLeaseMs, log } = this.#o;
    // One instance (SQLite: one process) takes every run in flight back at start-up whatever
    // its lease: renewing there would be a write every quarter lease for nothing.
    if (this.#leaseTimers.length > 0 || !storage.commits) return;
    const renew = setInterval(() => {
      if (this.#registry.size === 0) return;
      // Claimed before the renewal started: each is renewed unless another instance holds it now.
      const held = this.#registry.all();
      storage.runs
        .renew(this.#o.instanceId, this.#leaseUntil())
        .then((renewed) => {
          const ids = new Set(renewed);
          for (const run of held) if (!ids.has(run.runId)) void this.#stopIfTakenOver(run);
        })
        .catch((error: unknown) => log.error('could not renew the run leases', error));
    }, Math.max(50, Math.floor(runLeaseMs / 4)));
    renew.unref();
    this.#leaseTimers.push(renew);
    const sweep = setInterval(() => {
      if (this.#sweeping || this.#closed) return;
      this.#sweeping = this.recoverInterruptedRuns()
        .then(({ resumed, ended }) => {
          if (resumed + ended > 0) log.info('took over the runs of an instance that stopped', { resumed, ended });
        })
        .catch((error: unknown) => log.error('could not take over expired runs', error))
        .finally(() => (this.#sweeping = null));
    }, Math.max(50, Math.floor(runLeaseMs / 2)));
    sweep.unref();
    this.#leaseTimers.push(sweep);
  }

  /**
   * Stops `run` here, silently, if another instance holds it now (this one stalled past its
   * lease and the run was taken over): the new owner continues it and writes its end, so
   * nothing more of it is written here. A run that just finished here is left alone.
   */
  async #stopIfTakenOver(run: ActiveRun): Promise<void> {
    if (run.detached || this.#registry.get(run.threadId) !== run) return;
    let record: RunRecord | undefined;
    try {
      record = await this.#o.storage.runs.get(run.runId);
    } catch (error) {
      this.#o.log.error('could not read the owner of a run', error, { threadId: run.threadId, runId: run.runId });
      return;
    }
    if (!record?.owner || record.owner === this.#o.instanceId) return;
    if (run.detached || this.#registry.get(run.threadId) !== run) return;
    detachRun(this.#driver, run);
    this.#o.log.warn('run taken over by another instance; stopped here', undefined, { threadId: run.threadId, runId: run.runId, owner: record.owner });
  }

  /** No new run starts once shutdown has begun; the client retries after reconnecting. */
  #assertOpen(): void {
    if (this.#closed) throw new AppError('internal', 'The server is restarting; try again in a moment.');
  }

  /**
   * Waits for the thread's run if its reply is over and it is only counting its usage: a request
   * sent the moment `run.finished` arrives is taken, not refused with run_in_progress.
   */
  async #letFinish(threadId: string): Promise<void> {
    const run = this.#registry.get(threadId);
    if (run?.finishing) await run.done.catch(() => {});
  }

  /** A thread whose run is active, or whose message is being screened, takes no new run. */
  #assertIdle(threadId: string): void {
    if (this.#registry.get(threadId) || this.#screening.has(threadId)) {
      throw new AppError('run_in_progress', 'Wait for the current reply to finish.');
    }
  }

  /** The current agent's input guardrails on visitor text (see `screenWithDeadline`). */
  #screen(workflow: Workflow, agentId: string, threadId: string, runId: string, text: string): Promise<GuardrailOutcome> {
    return screenWithDeadline(this.#o.screenText, this.#shutdown.signal, { workflow, agentId, threadId, runId, text });
  }

  async #owned(owner: string, threadId: string): Promise<ThreadRecord> {
    const thread = await this.#o.storage.threads.get(threadId);
    if (!thread || thread.owner !== owner) throw new AppError('not_found', 'No such thread.');
    return thread;
  }

  #workflow(id: string): Workflow {
    const workflow = this.#o.workflows.get(id);
    if (!workflow) throw new AppError('not_found', `No such workflow: "${id.slice(0, 64)}".`);
    return workflow;
  }

  /** The thread's current agent, or the entry agent if the workflow no longer has it. */
  #currentAgent(thread: ThreadRecord, workflow: Workflow): string {
    return workflow.agents.some((a) => a.id === thread.currentAgent) ? thread.currentAgent : workflow.entryAgent;
  }
}

/** The idempotency key a retry of `runId` is remembered under, beside the thread's message ids. */
function retryKey(runId: string): string {
  return `retry:${runId}`;
}
