import type { Item, RunError, RunStatus, ThreadEvent, ThreadEventBody, Usage, UserMessageItem } from '@agent-chat/shared';
import type { RunStep } from '../agents/run-step.ts';
import type { RunAgent, RunInput } from '../agents/run-types.ts';
import type { PreparedAttachments } from '../attachments/prepared-attachment.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { RunLease } from '../quota/quota-service.ts';
import type { RunTimeline } from '../traces/run-timeline.ts';
import { toolKindsOf } from '../traces/tool-kinds.ts';
import { DEFAULT_TRACE_SETTINGS, type TraceSettings } from '../traces/trace-settings.ts';
import type { EventLog } from './event-log.ts';
import { RunRecorder } from './run-recorder.ts';
import type { AbortReason, ActiveRun, RunRegistry } from './run-registry.ts';

/** What the driver needs; bound once by the conversation service. */
export interface RunDriverDeps {
  eventLog: EventLog;
  registry: RunRegistry;
  runAgent: RunAgent;
  log: Logger;
  now: () => Date;
  /** How long a cancelled run may take to stop before it is finished for it. */
  cancelGraceMs: number;
  /**
   * Makes the history's attachments ready for the model before the run starts (absent: no
   * upload storage, and the model is told they are not available).
   */
  prepareAttachments?: ((history: readonly Item[], signal: AbortSignal) => Promise<PreparedAttachments>) | undefined;
  /** What storage kept of a run before the stop: a resumed run's trace keeps it, its steps continue their numbering. */
  storedTimeline?: ((threadId: string, runId: string) => Promise<RunTimeline>) | undefined;
  /** How run traces are written (default: provider "openai", no content). */
  traces?: TraceSettings | undefined;
}

/** The run's input with its attachments prepared; a failure leaves them out (described as not available). */
async function withAttachments(deps: RunDriverDeps, input: RunInput, signal: AbortSignal): Promise<RunInput> {
  const prepare = deps.prepareAttachments;
  if (!prepare || !input.history.some((item) => item.type === 'user_message' && item.attachments.length > 0)) return input;
  try {
    return { ...input, attachments: await prepare(input.history, signal) };
  } catch (error) {
    // Cancelled while reading files: the run loop sees the aborted signal and ends the run cancelled.
    if (!signal.aborted) deps.log.error('could not prepare the attachments of a run', error, { threadId: input.threadId, runId: input.runId });
    return input;
  }
}

/**
 * A run yields to the event loop once it has appended this many events since it last did, or
 * once what waits for the group commit is this old (ms). A model that answers in one burst (a
 * cached reply, the offline model) would otherwise be consumed in one turn: nothing could be
 * committed or sent before the whole reply was, and every other thread would wait for it. The
 * age bound is shared by all runs, so a turn stays short however many runs are busy. A paced
 * stream never reaches either bound: the commit runs between its tokens.
 */
const YIELD_AFTER_EVENTS = 256;
const YIELD_AFTER_MS = 2;

/** The error a run gets when the server stopped under it (docs/protocol.md, Opening and resuming a thread). */
/** The error of a run given up after it was continued `maxRunResumes` times (docs/protocol.md). */
export const RESUMED_TOO_OFTEN: RunError = {
  code: 'interrupted_by_restart',
  message: 'The server restarted several times while this reply was being written.',
};

export const INTERRUPTED_BY_RESTART: RunError = {
  code: 'interrupted_by_restart',
  message: 'The server restarted while this reply was being written.',
};

/**
 * Starts `input` on the run loop and feeds everything it yields into the event log, in the
 * background. The run is registered before this returns, so a second message is refused.
 * Guarantees exactly one `run.started` and one `run.finished`, whatever the run loop does.
 */
export function startRun(
  deps: RunDriverDeps,
  input: RunInput,
  request: { clientMessageId?: string; itemId?: string; lease?: RunLease; resumed?: boolean } = {},
): ActiveRun {
  // Held until the run is over: its appends need the thread's seq and position in memory.
  const release = deps.eventLog.hold(input.threadId);
  const { resumed = false, ...registered } = request;
  const run = deps.registry.add({
    threadId: input.threadId,
    runId: input.runId,
    controller: new AbortController(),
    ...registered,
  });
  run.done = drive(deps, run, input, resumed).finally(release);
  return run;
}

async function drive(deps: RunDriverDeps, run: ActiveRun, input: RunInput, resumed: boolean): Promise<void> {
  const { eventLog, log } = deps;
  const { threadId, runId } = run;
  // A resumed run's run.started is in the log already: exactly one per run.
  let started = resumed;
  let finished = false;
  const settings = deps.traces ?? DEFAULT_TRACE_SETTINGS;
  const recorder = new RunRecorder(
    eventLog,
    { threadId, runId, siteId: input.siteId ?? null, workflowId: input.workflow.id },
    { labels: { ...settings, toolKind: toolKindsOf(input.workflow), userMessage: lastUserMessage(input.history) }, now: deps.now, log },
  );
  run.recorder = recorder;
  const append = (body: ThreadEventBody) => recorder.appended(eventLog.append(threadId, body));
  const ensureStarted = () => {
    if (!started) append({ type: 'run.started', runId, agent: input.agentId });
    started = true;
  };
  let iterator: AsyncIterator<ThreadEventBody> | undefined;
  let usage: Usage | undefined;
  try {
    if (resumed && deps.storedTimeline) recorder.restore(await deps.storedTimeline(threadId, runId));
    const prepared = await withAttachments(deps, input, run.controller.signal);
    const record = (step: RunStep) => {
      if (!run.detached) recorder.record(step);
    };
    iterator = deps
      .runAgent(prepared, { newId: () => newId('itm'), now: deps.now, signal: run.controller.signal, record })
      [Symbol.asyncIterator]();
    let appended = 0;
    for (;;) {
      if (appended > 0 && (appended >= YIELD_AFTER_EVENTS || eventLog.backlogAgeMs >= YIELD_AFTER_MS)) {
        await nextTurn();
        appended = 0;
      }
      const step = await iterator.next();
      if (step.done || run.detached) break;
      const body = step.value;
      appended++;
      if (body.type === 'run.started') {
        if (!started) append({ ...body, runId });
        started = true;
      } else if (body.type === 'run.finished') {
        ensureStarted();
        append({ ...body, runId });
        recorder.saveTrace();
        finished = true;
        run.finishing = true;
        // Cancelled and failed runs spent tokens too.
        if (body.usage) usage = body.usage;
        break;
      } else {
        ensureStarted();
        append(body);
      }
    }
  } catch (error) {
    if (!run.detached) log.error('the run loop threw', error, { threadId, runId, agentId: input.agentId });
  }
  // Stop a run loop we left early (it may hold a model stream open); do not wait for it.
  if (iterator?.return && (finished || run.detached)) iterator.return().catch(() => {});
  if (!finished && !run.detached) {
    const cancelled = run.controller.signal.reason === 'cancelled';
    finishRun(eventLog, run, cancelled ? 'cancelled' : 'failed', cancelled ? undefined : {
      code: 'internal',
      message: 'The reply stopped unexpectedly.',
    }, started ? undefined : input.agentId);
    run.finishing = true;
  }
  if (usage) await countUsage(deps, run, usage);
  await eventLog.whenFlushed();
  deps.registry.remove(run);
}

/** Resolves on the next event-loop turn, after I/O and the group commit already scheduled. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Tells the run's quota lease what it spent; a storage failure is logged, never fails the run. */
async function countUsage(deps: RunDriverDeps, run: ActiveRun, usage: Usage): Promise<void> {
  try {
    await run.lease?.addUsage(usage);
  } catch (error) {
    deps.log.error(`run ${run.runId}: could not count its token usage`, error);
  }
}

/**
 * Aborts a run and makes sure it ends: a cancelled run normally finishes itself (keeping its
 * partial text); one that has not after `cancelGraceMs` is finished for it.
 */
export function abortRun(deps: RunDriverDeps, run: ActiveRun, reason: AbortReason): void {
  deps.registry.abort(run, reason);
  if (reason !== 'cancelled') return;
  const timer = setTimeout(() => {
    if (run.detached || deps.registry.get(run.threadId) !== run) return;
    deps.log.warn(`run did not stop ${deps.cancelGraceMs} ms after cancel; finishing it`, undefined, { threadId: run.threadId, runId: run.runId });
    detachAndFinish(deps, run, 'cancelled');
  }, deps.cancelGraceMs);
  timer.unref();
  void run.done.finally(() => clearTimeout(timer));
}

/** Ends a run from outside its driver (shutdown, a stuck cancel); later events of its loop are ignored. */
export function detachAndFinish(deps: RunDriverDeps, run: ActiveRun, status: RunStatus, error?: RunError): void {
  run.detached = true;
  deps.registry.abort(run, status === 'cancelled' ? 'cancelled' : 'shutdown');
  finishRun(deps.eventLog, run, status, error);
  deps.registry.remove(run);
}

/**
 * Stops a run here WITHOUT finishing it, for a run another instance took over (that one writes
 * its end): its loop is aborted, its later events are ignored, what it appended that waits for a
 * batch is dropped with the thread's state in memory (the thread is written elsewhere now:
 * storage is the truth), and its quota slot is freed.
 */
export function detachRun(deps: RunDriverDeps, run: ActiveRun): void {
  run.detached = true;
  deps.registry.abort(run, 'taken_over');
  deps.eventLog.forgetThread(run.threadId);
  deps.registry.remove(run);
}

/**
 * Appends the end of a run: its unfinished items closed (partial text kept as `incomplete`,
 * running tool calls `failed`), then `run.finished`. `startAgent` first emits `run.started`.
 */
export function finishRun(
  eventLog: EventLog,
  run: { threadId: string; runId: string; recorder?: RunRecorder | undefined },
  status: RunStatus,
  error?: RunError,
  startAgent?: string,
  unfinished: Item[] = eventLog.openItems(run.threadId),
): void {
  const append = (body: ThreadEventBody): ThreadEvent => {
    const event = eventLog.append(run.threadId, body);
    run.recorder?.appended(event);
    return event;
  };
  if (startAgent !== undefined) append({ type: 'run.started', runId: run.runId, agent: startAgent });
  for (const item of unfinished) {
    const closed = closeItem(item, status);
    if (closed) append({ type: 'item.done', item: closed });
  }
  append({
    type: 'run.finished',
    runId: run.runId,
    status,
    ...(error ? { error } : {}),
  });
  // Right after run.finished: the same batch, before compaction deletes what the trace is built from.
  run.recorder?.saveTrace();
}

/** The visitor's last message in the history (the one the run answers, for its trace). */
export function lastUserMessage(history: readonly Item[]): UserMessageItem | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const item = history[i]!;
    if (item.type === 'user_message') return item;
  }
  return undefined;
}

/** The final state of an item its run could not finish. */
function closeItem(item: Item, status: RunStatus): Item | undefined {
  if (item.type === 'assistant_message' && item.status === 'in_progress') return { ...item, status: 'incomplete' };
  if (item.type === 'tool_call' && item.status === 'running') {
    return { ...item, status: 'failed', error: status === 'cancelled' ? 'Cancelled.' : 'Interrupted before it finished.' };
  }
  return undefined;
}
