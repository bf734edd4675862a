import type { EvalCase, Item, ThreadEventBody, ToolCallItem, Workflow } from '@agent-chat/shared';
import type { ApprovalDecision, RunAgent, RunInput } from '../agents/run-types.ts';

/** One turn of a case as it ran: its events, from `run.started` to `run.finished`. */
export interface TurnRun {
  /** Index into the case's `turns`. */
  turn: number;
  events: ThreadEventBody[];
  /** Wall clock from the run's start to its `run.finished`. */
  latencyMs: number;
}

/** A case played as a thread: every run, and the items the thread holds at the end. */
export interface Transcript {
  runs: TurnRun[];
  items: Item[];
  /** Set when a turn could not be played (nothing to approve, a run that threw): the case fails with it. */
  error?: string;
}

/** Applies a run's events to the thread's items the way the conversation service stores them. */
export function applyEvents(items: Item[], events: readonly ThreadEventBody[]): Item[] {
  const out = [...items];
  for (const event of events) {
    if (event.type === 'item.added' || event.type === 'item.done') {
      const index = out.findIndex((item) => item.id === event.item.id);
      if (index >= 0) out[index] = event.item;
      else out.push(event.item);
    } else if (event.type === 'item.removed') {
      const index = out.findIndex((item) => item.id === event.itemId);
      if (index >= 0) out.splice(index, 1);
    } else if (event.type === 'text.delta') {
      const index = out.findIndex((item) => item.id === event.itemId);
      const item = out[index];
      if (item?.type === 'assistant_message') out[index] = { ...item, text: item.text + event.delta };
    }
  }
  return out;
}

/** Whether a tool call's name is `name`, also as a connector's tool (`inventory__reserve_item` for `reserve_item`). */
export function toolNameMatches(actual: string, name: string): boolean {
  return actual === name || actual.endsWith(`__${name}`);
}

/** The decision an approval turn makes: on the call named by `tool`, or on the only call waiting. */
function decide(items: readonly Item[], turn: { approve: boolean; tool?: string | undefined; reason?: string | undefined }): ApprovalDecision {
  const waiting = items.filter((item): item is ToolCallItem => item.type === 'tool_call' && item.status === 'awaiting_approval');
  const candidates = turn.tool ? waiting.filter((call) => toolNameMatches(call.name, turn.tool!)) : waiting;
  if (candidates.length === 0) {
    throw new Error(turn.tool ? `no call of ${turn.tool} awaits approval` : 'no tool call awaits approval');
  }
  if (candidates.length > 1) throw new Error(`${candidates.length} calls await approval: name one with "tool"`);
  return { callId: candidates[0]!.callId, approved: turn.approve, ...(turn.reason ? { reason: turn.reason } : {}) };
}

/**
 * Plays a case's turns as a fresh thread through the run loop: each user turn starts a run with
 * the thread's current agent (the last handoff's target), each approval turn continues the
 * interrupted run. Never throws: a turn that cannot be played ends the case with `error`.
 */
export async function playCase(evalCase: EvalCase, workflow: Workflow, runAgent: RunAgent, signal: AbortSignal): Promise<Transcript> {
  let counter = 0;
  const newId = (prefix = 'itm') => `${prefix}_${evalCase.id}_${++counter}`;
  const ctx = { newId: () => newId(), now: () => new Date(), signal };
  const threadId = newId('thr');
  let items: Item[] = [];
  let agentId = workflow.entryAgent;
  const runs: TurnRun[] = [];
  try {
    for (const [index, turn] of evalCase.turns.entries()) {
      let input: RunInput;
      if ('user' in turn) {
        const message = { id: newId('usr'), type: 'user_message' as const, text: turn.user, attachments: [], createdAt: new Date().toISOString() };
        items = [...items, message];
        input = { runId: newId('run'), threadId, workflow, agentId, history: items, trigger: { kind: 'message', message } };
      } else {
        input = { runId: newId('run'), threadId, workflow, agentId, history: items, trigger: { kind: 'approval', decisions: [decide(items, turn)] } };
      }
      const started = performance.now();
      const events: ThreadEventBody[] = [];
      for await (const event of runAgent(input, ctx)) events.push(event);
      runs.push({ turn: index, events, latencyMs: performance.now() - started });
      items = applyEvents(items, events);
      for (const event of events) if (event.type === 'item.done' && event.item.type === 'handoff') agentId = event.item.to;
    }
    return { runs, items };
  } catch (error) {
    return { runs, items, error: error instanceof Error ? error.message : String(error) };
  }
}
