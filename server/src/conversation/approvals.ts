import type { ApprovalDecision } from '../agents/run-types.ts';
import { AppError } from '../errors.ts';
import type { Storage } from '../store/storage.ts';

/**
 * @throws AppError not_found for a call the thread never made; invalid_request for one that
 *   is not waiting (already completed, denied…).
 */
export async function assertAwaitingApproval(storage: Storage, threadId: string, callId: string): Promise<void> {
  const waiting = await storage.items.withStatus(threadId, 'awaiting_approval');
  if (waiting.some((i) => i.type === 'tool_call' && i.callId === callId)) return;
  const known = (await storage.items.all(threadId)).some((i) => i.type === 'tool_call' && i.callId === callId);
  if (known) throw new AppError('invalid_request', 'That tool call is not waiting for approval.');
  throw new AppError('not_found', 'No such tool call.');
}

/**
 * What recording `decision` would mean, without writing it: every decision of the thread's
 * waiting calls once this one completes them (time to continue the run), else null. The caller
 * stores the decision (with the run it starts, when there is one); one caller per thread at a time.
 *
 * @throws AppError not_found for a call the thread never made; invalid_request for one that
 *   is not waiting (already completed, denied…).
 */
export async function decisionsWith(storage: Storage, threadId: string, decision: ApprovalDecision): Promise<ApprovalDecision[] | null> {
  await assertAwaitingApproval(storage, threadId, decision.callId);
  const waiting = (await storage.items.withStatus(threadId, 'awaiting_approval')).filter((i) => i.type === 'tool_call');
  const recorded = await storage.approvals.forThread(threadId);
  recorded.set(decision.callId, decision);
  const decisions: ApprovalDecision[] = [];
  for (const call of waiting) {
    const d = recorded.get(call.callId);
    if (!d) return null; // other calls still wait for the visitor
    decisions.push(d);
  }
  return decisions;
}
