import type { ThreadEventBody, ToolCallItem } from '@agent-chat/shared';
import type { ApprovalDecision } from './run-types.ts';
import { done, remember, type RunState } from './run-state.ts';
import { callAgain, settleConcurrently } from './tool-execution.ts';

/** What resolving the visitor's decisions left. */
export interface ApprovalOutcome {
  /** Calls decided now (run or denied). */
  resolved: number;
  /** Calls still awaiting approval (no decision given). */
  remaining: number;
}

/** The error a denied call carries; the model reads it too (history.ts). */
export function deniedMessage(reason: string | undefined): string {
  const trimmed = reason?.trim();
  return trimmed ? `Denied by the user: ${trimmed.slice(0, 500)}` : 'Denied by the user.';
}

/**
 * Continues an interrupted run from the thread alone (no state outside the items, so it works
 * after a restart): approved calls run (concurrently), denied ones become `denied`, calls without
 * a decision stay `awaiting_approval`. Each call runs with the tools of the agent that made it.
 */
export async function* resolveApprovals(state: RunState, decisions: readonly ApprovalDecision[]): AsyncGenerator<ThreadEventBody, ApprovalOutcome> {
  const byCallId = new Map(decisions.map((d) => [d.callId, d]));
  const awaiting = state.items.filter((item): item is ToolCallItem => item.type === 'tool_call' && item.status === 'awaiting_approval');
  const tasks: Promise<ToolCallItem>[] = [];
  let resolved = 0;
  for (const item of awaiting) {
    const decision = byCallId.get(item.callId);
    if (!decision) continue;
    resolved++;
    if (!decision.approved) {
      const denied: ToolCallItem = { ...item, status: 'denied', error: deniedMessage(decision.reason) };
      remember(state, denied);
      yield done(denied);
      continue;
    }
    yield* callAgain(state, item, tasks);
  }
  state.toolCalls += tasks.length;
  yield* settleConcurrently(state, tasks);
  return { resolved, remaining: awaiting.length - resolved };
}
