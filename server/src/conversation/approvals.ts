import type { ApprovalDecision } from '../agents/run-types.ts';
import { AppError } from '../errors.ts';
import type { Store } from '../store/store.ts';

/**
 * @throws AppError not_found for a call the thread never made; invalid_request for one that
 *   is not waiting (already completed, denied…).
 */
export function assertAwaitingApproval(store: Store, threadId: string, callId: string): void {
  const waiting = store.items.withStatus(threadId, 'awaiting_approval');
  if (waiting.some((i) => i.type === 'tool_call' && i.callId === callId)) return;
  const known = store.items.all(threadId).some((i) => i.type === 'tool_call' && i.callId === callId);
  if (known) throw new AppError('invalid_request', 'That tool call is not waiting for approval.');
  throw new AppError('not_found', 'No such tool call.');
}

/**
 * Records a visitor's decision on a tool call waiting for approval. Returns every decision of
 * the thread's waiting calls once all are decided (time to continue the run), else null.
 *
 * @throws AppError not_found for a call the thread never made; invalid_request for one that
 *   is not waiting (already completed, denied…).
 */
export function recordDecision(
  store: Store,
  threadId: string,
  decision: ApprovalDecision,
  decidedAt: string,
): ApprovalDecision[] | null {
  assertAwaitingApproval(store, threadId, decision.callId);
  const waiting = store.items.withStatus(threadId, 'awaiting_approval').filter((i) => i.type === 'tool_call');
  store.approvals.decide(threadId, decision, decidedAt);
  const recorded = store.approvals.forThread(threadId);
  const decisions: ApprovalDecision[] = [];
  for (const call of waiting) {
    const d = recorded.get(call.callId);
    if (!d) return null; // other calls still wait for the visitor
    decisions.push(d);
  }
  return decisions;
}
