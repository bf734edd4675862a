import type { Item, ThreadEventBody, Workflow } from '@agent-chat/shared';
import type { PreparedAttachments } from '../attachments/prepared-attachment.ts';
import type { GuardrailOutcome } from './guardrails/run-guardrails.ts';
import type { RunStep } from './run-step.ts';

/** A visitor's answer to a tool call that waits for approval. */
export interface ApprovalDecision {
  callId: string;
  approved: boolean;
  reason?: string;
}

/**
 * What the agent's input guardrails decided about a message before it was stored (see
 * `ScreenText`): the run does not check it again, and a trip ends it `blocked` before any model call.
 */
export interface ScreenedInput {
  tripped?: GuardrailOutcome['tripped'];
  /** What each guardrail decided then: the run records them as its first steps. */
  checks?: GuardrailOutcome['checks'];
}

/**
 * What starts a run: a new user message, approvals that continue an interrupted run, or the
 * continuation of a run whose server stopped under it (`resume`: see resume.ts).
 */
export type RunTrigger =
  | {
      kind: 'message';
      message: Extract<Item, { type: 'user_message' }>;
      /** Set when the message was screened before it was stored; absent, the run checks it itself. */
      screened?: ScreenedInput;
    }
  | { kind: 'approval'; decisions: ApprovalDecision[] }
  | { kind: 'resume' };

/** Everything a run needs to know, read from the thread by the conversation service. */
export interface RunInput {
  runId: string;
  threadId: string;
  /** The site the thread belongs to (null or absent: an open server); labels the run's metrics. */
  siteId?: string | null;
  workflow: Workflow;
  /** The agent that answers: the thread's current agent (the entry agent for a new thread). */
  agentId: string;
  /** The thread's items so far, oldest first, including the triggering user message. */
  history: Item[];
  trigger: RunTrigger;
  /**
   * The history's attachments made ready for the model, by upload id (prepared before the run:
   * the run loop does no I/O of its own for them). One missing is described as not available.
   */
  attachments?: PreparedAttachments;
}

/**
 * Per-run services. Long-lived ones (model provider, tool and guardrail registries) are bound
 * when the runner is created, so the conversation service only sees `RunAgent`.
 */
export interface RunContext {
  /** Unique ids for new items. */
  newId: () => string;
  now: () => Date;
  /** Aborted by run.cancel, the run timeout, or server shutdown. */
  signal: AbortSignal;
  /** Told of each model call and guardrail check, as it ends (the trace and the usage ledger). */
  record?: (step: RunStep) => void;
}

/**
 * The run loop: yields thread events (without threadId/seq, which the conversation assigns)
 * from `run.started` to exactly one `run.finished`. It never throws: failures end in
 * `run.finished{status:"failed"}`.
 */
export type RunAgent = (input: RunInput, ctx: RunContext) => AsyncIterable<ThreadEventBody>;
