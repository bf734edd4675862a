import type { ThreadEvent } from '@agent-chat/shared';
import type { RunStep } from '../agents/run-step.ts';
import type { StorageOp } from '../store/storage.ts';
import type { EventLog } from './event-log.ts';

/** Who a run belongs to, for the usage ledger. */
export interface RunLabels {
  threadId: string;
  runId: string;
  /** null on an open server. */
  siteId: string | null;
  workflowId: string;
}

/**
 * Stores what a run did beyond its events. Each model call and guardrail check the run loop
 * reports becomes a `run_steps` row queued with the events around it (so it commits in the same
 * transactions, and a crash keeps exactly the steps whose events were kept); each model call
 * also adds its tokens to the usage ledger's day.
 */
export class RunRecorder {
  #eventLog: EventLog;
  #labels: RunLabels;
  /** The thread's last seq this run appended (0 until it appends one). */
  #lastSeq = 0;

  #steps = 0;

  constructor(eventLog: EventLog, labels: RunLabels) {
    this.#eventLog = eventLog;
    this.#labels = labels;
  }

  /** A resumed run numbers its steps after the `stored` ones kept from before the stop. */
  continueAfter(stored: number): void {
    this.#steps = Math.max(this.#steps, stored);
  }

  /** Notes an event the run appended: steps after it sit after its seq. */
  appended(event: ThreadEvent): void {
    this.#lastSeq = event.seq;
  }

  /** Queues one step (and, for a model call, its ledger entry) with the run's next events. */
  record = (step: RunStep): void => {
    const { threadId, runId, siteId, workflowId } = this.#labels;
    const model = step.type === 'model_call' ? step : undefined;
    const ops: StorageOp[] = [
      {
        op: 'run_step.insert',
        step: {
          threadId,
          runId,
          step: ++this.#steps,
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
