/**
 * One valid and one invalid example of every frame in protocol v1, keyed by `type`.
 * The tests below check that each valid frame decodes and each invalid one is refused.
 */
const at = '2026-11-22T09:00:00.000Z';

export const userItem = { id: 'itm_1', type: 'user_message', createdAt: at, text: 'Hi', attachments: [] };
export const assistantItem = { id: 'itm_2', type: 'assistant_message', createdAt: at, agent: 'triage', text: 'Hello', status: 'done' };
export const toolItem = {
  id: 'itm_3', type: 'tool_call', createdAt: at, agent: 'billing', callId: 'call_1', name: 'lookup_order',
  arguments: { order_id: '1234' }, status: 'completed', output: { id: '1234' },
};
export const handoffItem = { id: 'itm_4', type: 'handoff', createdAt: at, from: 'triage', to: 'billing' };
export const guardrailItem = { id: 'itm_5', type: 'guardrail', createdAt: at, agent: 'triage', name: 'pii', stage: 'input', message: 'Blocked' };

export const clientFixtures: Record<string, { valid: object; invalid: object }> = {
  hello: { valid: { type: 'hello', protocol: 1, visitorToken: 'v.t' }, invalid: { type: 'hello', protocol: '1' } },
  'thread.create': { valid: { type: 'thread.create', id: 'r1', workflow: 'support' }, invalid: { type: 'thread.create', id: 'r1' } },
  'thread.list': { valid: { type: 'thread.list', limit: 20 }, invalid: { type: 'thread.list', limit: 500 } },
  'thread.open': { valid: { type: 'thread.open', threadId: 'thr_1', afterSeq: 0 }, invalid: { type: 'thread.open', threadId: 'thr_1', afterSeq: -1 } },
  'thread.history': {
    valid: { type: 'thread.history', threadId: 'thr_1', beforeItemId: 'itm_9', limit: 10 },
    invalid: { type: 'thread.history', threadId: 'thr_1' },
  },
  'thread.delete': { valid: { type: 'thread.delete', threadId: 'thr_1' }, invalid: { type: 'thread.delete', threadId: '' } },
  'thread.delete_all': { valid: { type: 'thread.delete_all', id: 'r1' }, invalid: { type: 'thread.delete_all', id: '' } },
  'message.send': {
    valid: { type: 'message.send', threadId: 'thr_1', clientMessageId: 'c1', text: 'Hello', attachments: ['upl_1'] },
    invalid: { type: 'message.send', threadId: 'thr_1', text: 'Hello' },
  },
  'run.cancel': { valid: { type: 'run.cancel', threadId: 'thr_1', runId: 'run_1' }, invalid: { type: 'run.cancel', threadId: 'thr_1' } },
  'run.retry': { valid: { type: 'run.retry', threadId: 'thr_1', runId: 'run_1' }, invalid: { type: 'run.retry', threadId: 'thr_1', runId: '' } },
  'tool.approval': {
    valid: { type: 'tool.approval', threadId: 'thr_1', callId: 'call_1', approved: false, reason: 'no' },
    invalid: { type: 'tool.approval', threadId: 'thr_1', callId: 'call_1', approved: 'yes' },
  },
  feedback: {
    valid: { type: 'feedback', threadId: 'thr_1', itemId: 'itm_2', rating: 'up' },
    invalid: { type: 'feedback', threadId: 'thr_1', itemId: 'itm_2', rating: 'meh' },
  },
  ping: { valid: { type: 'ping', id: 'p1' }, invalid: { type: 'ping', id: 42 } },
};

const thread = { id: 'thr_1', title: 'Hi', workflow: 'support', currentAgent: 'triage' };
const workflow = { id: 'support', name: 'Support', agents: [{ id: 'triage', name: 'Triage' }] };

export const serverFixtures: Record<string, { valid: object; invalid: object }> = {
  ready: {
    valid: {
      type: 'ready', protocol: 1, connectionId: 'con_1', user: { id: 'vis_1', kind: 'visitor' }, visitorToken: 't', uploadToken: 'u',
      limits: { maxMessageChars: 8000, maxFileBytes: 10_000_000, maxFilesPerMessage: 5, acceptedTypes: ['image/png'] },
    },
    invalid: { type: 'ready', protocol: 1, connectionId: 'con_1', user: { id: 'vis_1', kind: 'robot' }, visitorToken: 't', uploadToken: 'u' },
  },
  'thread.opened': {
    valid: { type: 'thread.opened', replyTo: 'r1', thread, workflow, lastSeq: 3, items: [userItem, assistantItem], hasMore: false },
    invalid: { type: 'thread.opened', thread, workflow, lastSeq: -1 },
  },
  threads: {
    valid: { type: 'threads', threads: [{ id: 'thr_1', title: 'Hi', workflow: 'support', updatedAt: at }], nextCursor: null },
    invalid: { type: 'threads', threads: [{ id: 'thr_1' }] },
  },
  'thread.items': {
    valid: { type: 'thread.items', threadId: 'thr_1', items: [toolItem, handoffItem, guardrailItem], hasMore: true },
    invalid: { type: 'thread.items', threadId: 'thr_1', items: [{ ...toolItem, status: 'exploded' }], hasMore: true },
  },
  'thread.deleted': { valid: { type: 'thread.deleted', threadId: 'thr_1' }, invalid: { type: 'thread.deleted' } },
  'threads.deleted': { valid: { type: 'threads.deleted', count: 3 }, invalid: { type: 'threads.deleted', count: -1 } },
  'message.accepted': {
    valid: { type: 'message.accepted', threadId: 'thr_1', clientMessageId: 'c1', itemId: 'itm_1', runId: 'run_1' },
    invalid: { type: 'message.accepted', clientMessageId: 'c1', itemId: 'itm_1' },
  },
  'feedback.saved': { valid: { type: 'feedback.saved', threadId: 'thr_1', itemId: 'itm_2' }, invalid: { type: 'feedback.saved', threadId: 'thr_1' } },
  'run.retried': { valid: { type: 'run.retried', threadId: 'thr_1', retriedRunId: 'run_1', runId: 'run_2' }, invalid: { type: 'run.retried', threadId: 'thr_1', runId: 'run_2' } },
  pong: { valid: { type: 'pong', replyTo: 'p1' }, invalid: { type: 'pong', replyTo: 7 } },
  error: {
    valid: { type: 'error', code: 'bad_frame', message: 'frame is not valid JSON', retryable: false },
    invalid: { type: 'error', code: 'kaboom', message: 'x', retryable: false },
  },
  'run.started': { valid: { type: 'run.started', threadId: 'thr_1', seq: 3, runId: 'run_1', agent: 'triage' }, invalid: { type: 'run.started', threadId: 'thr_1', seq: 0, runId: 'run_1', agent: 'triage' } },
  'item.added': { valid: { type: 'item.added', threadId: 'thr_1', seq: 1, item: userItem }, invalid: { type: 'item.added', threadId: 'thr_1', seq: 1, item: { ...userItem, type: 'note' } } },
  'text.delta': { valid: { type: 'text.delta', threadId: 'thr_1', seq: 5, itemId: 'itm_2', delta: 'Hel' }, invalid: { type: 'text.delta', threadId: 'thr_1', seq: 5, delta: 'Hel' } },
  'item.done': { valid: { type: 'item.done', threadId: 'thr_1', seq: 6, item: assistantItem }, invalid: { type: 'item.done', threadId: 'thr_1', seq: 6, item: { ...assistantItem, status: 'maybe' } } },
  'item.removed': { valid: { type: 'item.removed', threadId: 'thr_1', seq: 7, itemId: 'itm_2', reason: 'output_guardrail' }, invalid: { type: 'item.removed', threadId: 'thr_1', seq: 7, itemId: 'itm_2' } },
  'run.finished': {
    valid: { type: 'run.finished', threadId: 'thr_1', seq: 8, runId: 'run_1', status: 'failed', error: { code: 'interrupted_by_restart', message: 'x' }, usage: { inputTokens: 1, outputTokens: 2 } },
    invalid: { type: 'run.finished', threadId: 'thr_1', seq: 8, runId: 'run_1', status: 'exploded' },
  },
};
