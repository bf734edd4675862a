import type { AdminApproval, AdminRun, AdminWorkflow, Item, ThreadOwner } from '@agent-chat/shared';
import type { StoredDecision } from '../store/storage.ts';
import { callNeedsApproval } from './workflow-graph.ts';

/**
 * The approval decisions of a thread's tool calls: the recorded ones with their time and
 * reason; for a call that needed approval (by its status or the workflow's policy) with none
 * recorded, what the decision left: the call's status (denied, or it ran) and the run the
 * decision started (trigger `approval`, the first one started after the call).
 */
export function threadApprovals(
  items: readonly Item[],
  runs: readonly AdminRun[],
  recorded: ReadonlyArray<StoredDecision & { decidedAt: string }>,
  owner: ThreadOwner,
  workflow: AdminWorkflow | undefined,
): AdminApproval[] {
  const stored = new Map(recorded.map((d) => [d.callId, d]));
  const approvalRuns = runs.filter((r) => r.trigger === 'approval');
  const out: AdminApproval[] = [];
  for (const item of items) {
    if (item.type !== 'tool_call') continue;
    const decision = stored.get(item.callId);
    const waited = item.status === 'awaiting_approval' || item.status === 'denied' || decision !== undefined || callNeedsApproval(workflow, item.agent, item.name);
    if (!waited) continue;
    const base = { callId: item.callId, tool: item.name };
    if (decision) {
      out.push({ ...base, state: decision.approved ? 'approved' : 'denied', decidedBy: owner, decidedAt: decision.decidedAt, ...(decision.reason !== undefined ? { reason: decision.reason } : {}), source: 'stored' });
    } else if (item.status === 'awaiting_approval') {
      out.push({ ...base, state: 'pending', decidedBy: null, decidedAt: null, source: 'none' });
    } else {
      const run = approvalRuns.find((r) => r.startedAt >= item.createdAt);
      out.push({ ...base, state: item.status === 'denied' ? 'denied' : 'approved', decidedBy: owner, decidedAt: run?.startedAt ?? null, source: run ? 'run' : 'none' });
    }
  }
  return out;
}
