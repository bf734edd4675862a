import type { ThreadEvent } from '@agent-chat/shared';
import type { RunStep } from '../agents/run-step.ts';
import type { Logger } from '../logger.ts';
import type { StorageOp } from '../store/storage.ts';
import { type TraceLabels, buildRunTrace } from '../traces/build-run-trace.ts';
import type { RunTimeline } from '../traces/run-timeline.ts';
import type { EventLog } from './event-log.ts';

/** Who a run belongs to, for the usage ledger. */
export interface RunLabels {
  threadId: string;
  runId: string;
  /** null on an open server. */
  siteId: string | null;
  workflowId: string;
}

/** What the recorder needs to write the run's trace when it ends. */
export interface RunTraceContext {
  labels: Omit<TraceLabels, 'threadId' | 'runId' | 'workflowId' | 'siteId'>;
  now: () => Date;
  log: Logger;
}

/**
 * Stores what a run did beyond its events. Each model call and guardrail check the run loop
 * reports becomes a `run_steps` row queued with the events around it (so it commits in the same
 * transactions, and a crash keeps exactly the steps whose events were kept); each model call
 * also adds its tokens to the usage ledger's day. It keeps the run's timeline (each event it
 * appended, text deltas aside, with when, and each step) and, when the run ends, queues the
 * run's trace right after `run.finished`: the same transaction, before compaction deletes the
 * events it is built from.
 */
export class RunRecorder {
  #eventLog: EventLog;
  #labels: RunLabels;
  /** The thread's last seq this run appended (0 until it appends one). */
  #lastSeq = 0;

  #steps = 0;
  #trace: RunTraceContext | undefined;
  #timeline: RunTimeline = { events: [], steps: [] };
  #saved = false;

  constructor(eventLog: EventLog, labels: RunLabels, trace?: RunTraceContext) {
    this.#eventLog = eventLog;
    this.#labels = labels;
    this.#trace = trace;
  }

  /**
   * Takes what storage kept of the run before it stopped (a resumed run, or one finished after a
   * restart): its trace keeps that part, with the same span ids.
   */
  restore(stored: RunTimeline): void {
    const seen = new Set(this.#timeline.events.map((e) => e.event.seq));
    this.#timeline.events = [...stored.events.filter((e) => !seen.has(e.event.seq)), ...this.#timeline.events];
    this.#timeline.steps = [...stored.steps, ...this.#timeline.steps];
    // Its steps are numbered after the stored ones, and sit after the last stored event until it appends one.
    this.#steps = stored.steps.reduce((max, s) => Math.max(max, s.step), this.#steps);
    this.#lastSeq = stored.events.reduce((max, e) => Math.max(max, e.event.seq), this.#lastSeq);
  }

  /** Notes an event the run appended: steps after it sit after its seq. */
  appended(event: ThreadEvent): void {
    this.#lastSeq = event.seq;
    if (this.#trace && event.type !== 'text.delta') this.#timeline.events.push({ event, at: this.#trace.now().toISOString() });
  }

  /**
   * Queues the run's trace (call right after its `run.finished` is appended: the same batch).
   * Once per run; a trace that cannot be built is logged, never fails the run.
   */
  saveTrace(): void {
    if (!this.#trace || this.#saved) return;
    this.#saved = true;
    const { threadId, runId, siteId, workflowId } = this.#labels;
    try {
      const trace = buildRunTrace(this.#timeline, { ...this.#trace.labels, threadId, runId, siteId, workflowId });
      if (!trace) return;
      this.#eventLog.enqueueOps(threadId, [{ op: 'trace.save', trace: { runId, threadId, startedAt: trace.startedAt, json: JSON.stringify(trace) } }]);
    } catch (error) {
      this.#trace.log.error('could not build the trace of a run', error, { threadId, runId });
    }
  }

  /** Queues one step (and, for a model call, its ledger entry) with the run's next events. */
  record = (step: RunStep): void => {
    const { threadId, runId, siteId, workflowId } = this.#labels;
    const model = step.type === 'model_call' ? step : undefined;
    const number = ++this.#steps;
    if (this.#trace) this.#timeline.steps.push({ step: number, afterSeq: this.#lastSeq, data: step });
    const ops: StorageOp[] = [
      {
        op: 'run_step.insert',
        step: {
          threadId,
          runId,
          step: number,
          afterSeq: this.#lastSeq,
          type: step.type,
          agent: step.agent,
          model: model?.model ?? null,
          inputTokens: model?.inputTokens ?? 0,
          outputTokens: model?.outputTokens ?? 0,
          startedAt: step.startedAt,
          json: JSON.stringify(step),
        },
      },
    ];
    if (model) {
      ops.push({
        op: 'ledger.add',
        entry: {
          day: model.startedAt.slice(0, 10),
          site: siteId ?? '',
          workflow: workflowId,
          agent: model.agent,
          model: model.model,
          provider: model.provider,
          inputTokens: model.inputTokens,
          outputTokens: model.outputTokens,
        },
      });
    }
    this.#eventLog.enqueueOps(threadId, ops);
  };
}
