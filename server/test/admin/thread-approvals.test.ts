import type { AdminRun, AdminWorkflow, Item } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { threadApprovals } from '../../src/admin/thread-approvals.ts';

const call = (callId: string, name: string, status: 'completed' | 'denied' | 'awaiting_approval', minute: number): Item => ({
  id: `i_${callId}`,
  type: 'tool_call',
  agent: 'triage',
  callId,
  name,
  arguments: {},
  status,
  createdAt: `2026-01-01T00:0${minute}:00.000Z`,
});
const run = (id: string, trigger: string, minute: number): AdminRun => ({
  id,
  status: 'completed',
  agent: 'triage',
  trigger,
  error: null,
  startedAt: `2026-01-01T00:0${minute}:00.000Z`,
  finishedAt: null,
  resumes: 0,
});
const graph = {
  agents: [{ id: 'triage', tools: [{ name: 'refund', kind: 'function', approval: 'always' }, { name: 'inv', kind: 'mcp', approval: ['reserve'] }] }],
} as unknown as AdminWorkflow;
const alice = { kind: 'user', id: 'alice' } as const;

describe('threadApprovals', () => {
  it('reads a decision no longer recorded from the call’s status and the approval run after it; skips calls that never needed one', () => {
    const items = [call('a', 'refund', 'completed', 1), call('b', 'inv__reserve', 'denied', 3), call('c', 'inv__stock', 'completed', 3), call('d', 'refund', 'awaiting_approval', 6)];
    const runs = [run('r1', 'message', 0), run('r2', 'approval', 2), run('r3', 'message', 3), run('r4', 'approval', 4)];
    expect(threadApprovals(items, runs, [], alice, graph)).toEqual([
      { callId: 'a', tool: 'refund', state: 'approved', decidedBy: alice, decidedAt: runs[1]!.startedAt, source: 'run' },
      { callId: 'b', tool: 'inv__reserve', state: 'denied', decidedBy: alice, decidedAt: runs[3]!.startedAt, source: 'run' },
      { callId: 'd', tool: 'refund', state: 'pending', decidedBy: null, decidedAt: null, source: 'none' },
    ]);
  });

  it('prefers a recorded decision, with its time and reason', () => {
    const items = [call('a', 'refund', 'denied', 1)];
    const recorded = [{ callId: 'a', approved: false, reason: 'too much', decidedAt: '2026-01-01T00:01:30.000Z' }];
    expect(threadApprovals(items, [run('r2', 'approval', 2)], recorded, alice, undefined)).toEqual([
      { callId: 'a', tool: 'refund', state: 'denied', decidedBy: alice, decidedAt: '2026-01-01T00:01:30.000Z', reason: 'too much', source: 'stored' },
    ]);
  });
});
