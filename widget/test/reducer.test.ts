import { expect } from '@open-wc/testing';
import type { AssistantMessageItem, Item, ServerMessage, ThreadEventBody, ThreadOpened, ToolCallItem } from '@agent-chat/shared';
import { reduce, type Action } from '../src/state/reducer.ts';
import { canSend, initialViewModel, isStreaming, pendingApprovals, type ViewModel } from '../src/state/view-model.ts';

const T = 'th_1';
const createdAt = '2025-01-01T00:00:00.000Z';
const workflow = { id: 'support', name: 'Support', agents: [{ id: 'triage', name: 'Triage' }, { id: 'billing', name: 'Billing' }] };

function opened(extra: Partial<ThreadOpened> = {}): ThreadOpened {
  return { type: 'thread.opened', thread: { id: T, title: '', workflow: 'support', currentAgent: 'triage' }, workflow, lastSeq: 0, ...extra };
}
const assistant = (id: string, text = '', status: AssistantMessageItem['status'] = 'in_progress'): AssistantMessageItem => ({
  id,
  type: 'assistant_message',
  createdAt,
  agent: 'triage',
  text,
  status,
});
const user = (id: string, text: string): Item => ({ id, type: 'user_message', createdAt, text, attachments: [] });

function run(...actions: Action[]): ViewModel {
  return actions.reduce(reduce, initialViewModel());
}

/** A thread event frame with this seq. */
function ev(seq: number, body: ThreadEventBody): ServerMessage {
  return { ...body, threadId: T, seq } as ServerMessage;
}

describe('reduce', () => {
  it('opens a new thread empty and tracks its agent and workflow', () => {
    const vm = run(opened());
    expect(vm.thread?.id).to.equal(T);
    expect(vm.items).to.deep.equal([]);
    expect(vm.currentAgent).to.equal('triage');
    expect(vm.workflow?.name).to.equal('Support');
  });

  it('streams text deltas into the assistant message and replaces it on item.done', () => {
    let vm = run(
      opened(),
      ev(1, { type: 'run.started', runId: 'r1', agent: 'triage' }),
      ev(2, { type: 'item.added', item: assistant('a1') }),
      ev(3, { type: 'text.delta', itemId: 'a1', delta: 'Hel' }),
      ev(4, { type: 'text.delta', itemId: 'a1', delta: 'lo' }),
    );
    expect((vm.items[0] as AssistantMessageItem).text).to.equal('Hello');
    expect(isStreaming(vm)).to.equal(true);
    expect(vm.activeRunId).to.equal('r1');
    vm = reduce(vm, ev(5, { type: 'item.done', item: assistant('a1', 'Hello!', 'done') }));
    expect(vm.items).to.have.length(1);
    expect((vm.items[0] as AssistantMessageItem).text).to.equal('Hello!');
    expect(isStreaming(vm)).to.equal(false);
    vm = reduce(vm, ev(6, { type: 'run.finished', runId: 'r1', status: 'completed' }));
    expect(vm.activeRunId).to.equal(null);
    expect(vm.lastRun?.status).to.equal('completed');
    expect(vm.lastSeq).to.equal(6);
  });

  it('ignores events at or below the last applied seq (replay overlap)', () => {
    const start = run(opened(), ev(1, { type: 'item.added', item: assistant('a1') }), ev(2, { type: 'text.delta', itemId: 'a1', delta: 'ab' }));
    const again = reduce(start, ev(2, { type: 'text.delta', itemId: 'a1', delta: 'ab' }));
    expect(again).to.equal(start); // the same object: nothing changed
    const older = reduce(start, ev(1, { type: 'item.added', item: assistant('a1') }));
    expect(older).to.equal(start);
    expect((start.items[0] as AssistantMessageItem).text).to.equal('ab');
  });

  it('holds back an event past a gap and asks for a resync', () => {
    const vm = run(opened(), ev(1, { type: 'item.added', item: assistant('a1') }), ev(3, { type: 'text.delta', itemId: 'a1', delta: 'x' }));
    expect(vm.needsResync).to.equal(true);
    expect(vm.lastSeq).to.equal(1);
    expect((vm.items[0] as AssistantMessageItem).text).to.equal('');
    // The resume reply clears the flag; the replay then applies from seq 2.
    const resumed = run(...[opened(), ev(1, { type: 'item.added', item: assistant('a1') }), ev(3, { type: 'text.delta', itemId: 'a1', delta: 'x' }), opened({ lastSeq: 3 }), ev(2, { type: 'text.delta', itemId: 'a1', delta: 'w' }), ev(3, { type: 'text.delta', itemId: 'a1', delta: 'x' })]);
    expect(resumed.needsResync).to.equal(false);
    expect((resumed.items[0] as AssistantMessageItem).text).to.equal('wx');
  });

  it('ignores events of another thread', () => {
    const vm = run(opened());
    const other = reduce(vm, { type: 'item.added', threadId: 'th_other', seq: 1, item: assistant('zz') });
    expect(other).to.equal(vm);
  });

  it('a resume (same thread, no items) keeps what we have and the last seq', () => {
    const before = run(opened(), ev(1, { type: 'item.added', item: user('u1', 'hi') }));
    const after = reduce(before, opened({ lastSeq: 5 }));
    expect(after.items).to.equal(before.items);
    expect(after.lastSeq).to.equal(1);
  });

  it('a reset (or a full open) replaces the items and jumps to lastSeq', () => {
    const before = run(opened(), ev(1, { type: 'item.added', item: assistant('a1', 'partial') }));
    const after = reduce(before, opened({ lastSeq: 9, reset: true, items: [user('u1', 'hi'), assistant('a1', 'whole', 'done')], activeRunId: 'r2' }));
    expect(after.items.map((i) => i.id)).to.deep.equal(['u1', 'a1']);
    expect((after.items[1] as AssistantMessageItem).text).to.equal('whole');
    expect(after.lastSeq).to.equal(9);
    expect(after.activeRunId).to.equal('r2');
    // Events up to 9 are now duplicates.
    expect(reduce(after, ev(9, { type: 'text.delta', itemId: 'a1', delta: '!!' }))).to.equal(after);
  });

  it('removes an item on item.removed', () => {
    const vm = run(opened(), ev(1, { type: 'item.added', item: assistant('a1', 'oops') }), ev(2, { type: 'item.removed', itemId: 'a1', reason: 'guardrail' }));
    expect(vm.items).to.deep.equal([]);
  });

  it('follows the current agent through run.started and handoffs', () => {
    const vm = run(
      opened(),
      ev(1, { type: 'run.started', runId: 'r1', agent: 'triage' }),
      ev(2, { type: 'item.added', item: { id: 'h1', type: 'handoff', createdAt, from: 'triage', to: 'billing' } }),
    );
    expect(vm.currentAgent).to.equal('billing');
  });

  it('shows a pending message at once and reconciles it with message.accepted and the item', () => {
    let vm = run(opened(), { type: 'local.send', clientMessageId: 'c1', text: 'hi', createdAt });
    expect(vm.pending.map((p) => p.status)).to.deep.equal(['sending']);
    vm = reduce(vm, { type: 'message.accepted', threadId: T, clientMessageId: 'c1', itemId: 'u1', runId: 'r1' });
    expect(vm.pending[0]?.status).to.equal('accepted');
    vm = reduce(vm, ev(1, { type: 'item.added', item: user('u1', 'hi') }));
    expect(vm.pending).to.deep.equal([]);
    expect(vm.items.map((i) => i.id)).to.deep.equal(['u1']);
  });

  it('drops a pending message when message.accepted arrives after its item', () => {
    const vm = run(
      opened(),
      { type: 'local.send', clientMessageId: 'c1', text: 'hi', createdAt },
      ev(1, { type: 'item.added', item: user('u1', 'hi') }),
      { type: 'message.accepted', threadId: T, clientMessageId: 'c1', itemId: 'u1', runId: 'r1' },
    );
    expect(vm.pending).to.deep.equal([]);
  });

  it('marks a pending message failed when its request errors, and retry makes it sending again', () => {
    let vm = run(opened(), { type: 'local.send', clientMessageId: 'c1', text: 'hi', createdAt });
    vm = reduce(vm, { type: 'error', code: 'run_in_progress', message: 'busy', retryable: false, replyTo: 'c1' });
    expect(vm.pending[0]?.status).to.equal('failed');
    expect(vm.error?.code).to.equal('run_in_progress');
    vm = reduce(vm, { type: 'local.retry', clientMessageId: 'c1' });
    expect(vm.pending[0]?.status).to.equal('sending');
    expect(vm.error).to.equal(null);
  });

  it('lists approvals and forgets a sent answer once the call changes', () => {
    const call: ToolCallItem = { id: 't1', type: 'tool_call', createdAt, agent: 'billing', callId: 'call_1', name: 'refund_order', arguments: { order_id: '1' }, status: 'awaiting_approval' };
    let vm = run(opened(), ev(1, { type: 'item.added', item: call }));
    expect(pendingApprovals(vm).map((c) => c.callId)).to.deep.equal(['call_1']);
    vm = reduce(vm, { type: 'local.approval', callId: 'call_1' });
    expect(vm.approvalsSent).to.deep.equal({ call_1: true });
    vm = reduce(vm, ev(2, { type: 'item.done', item: { ...call, status: 'completed', output: { ok: true } } }));
    expect(pendingApprovals(vm)).to.deep.equal([]);
    expect(vm.approvalsSent).to.deep.equal({});
  });

  it('a cancel request lasts until the run finishes', () => {
    let vm = run(opened(), ev(1, { type: 'run.started', runId: 'r1', agent: 'triage' }), { type: 'local.cancel' });
    expect(vm.cancelRequested).to.equal(true);
    vm = reduce(vm, ev(2, { type: 'run.finished', runId: 'r1', status: 'cancelled' }));
    expect(vm.cancelRequested).to.equal(false);
    expect(vm.lastRun?.status).to.equal('cancelled');
    // Without an active run there is nothing to cancel.
    expect(reduce(vm, { type: 'local.cancel' })).to.equal(vm);
  });

  it('prepends older items from thread.history without duplicates', () => {
    const vm = run(
      opened({ items: [user('u2', 'b')], hasMore: true, lastSeq: 4 }),
      { type: 'thread.items', threadId: T, items: [user('u1', 'a'), user('u2', 'b')], hasMore: false },
    );
    expect(vm.items.map((i) => i.id)).to.deep.equal(['u1', 'u2']);
    expect(vm.hasMore).to.equal(false);
  });

  it('new thread clears the conversation but keeps the connection', () => {
    const vm = run(opened(), { type: 'local.connection', status: 'connected' }, ev(1, { type: 'item.added', item: user('u1', 'x') }), { type: 'local.new-thread' });
    expect(vm.thread).to.equal(null);
    expect(vm.items).to.deep.equal([]);
    expect(vm.lastSeq).to.equal(0);
    expect(vm.connection).to.equal('connected');
    expect(canSend(vm)).to.equal(false);
  });

  it('records frame errors and a failed run', () => {
    let vm = run(opened(), { type: 'error', code: 'rate_limited', message: 'slow down', retryable: true });
    expect(vm.error).to.deep.equal({ code: 'rate_limited', message: 'slow down' });
    vm = reduce(vm, { type: 'local.dismiss-error' });
    expect(vm.error).to.equal(null);
    vm = reduce(vm, ev(1, { type: 'run.started', runId: 'r1', agent: 'triage' }));
    vm = reduce(vm, ev(2, { type: 'run.finished', runId: 'r1', status: 'failed', error: { code: 'upstream_error', message: 'down' } }));
    expect(vm.lastRun).to.deep.equal({ runId: 'r1', status: 'failed', error: { code: 'upstream_error', message: 'down' } });
  });

  it('never mutates the previous view model', () => {
    const vm = run(opened(), ev(1, { type: 'item.added', item: assistant('a1', 'x') }));
    const frozen = JSON.stringify(vm);
    reduce(vm, ev(2, { type: 'text.delta', itemId: 'a1', delta: 'y' }));
    reduce(vm, ev(2, { type: 'item.removed', itemId: 'a1', reason: 'r' }));
    expect(JSON.stringify(vm)).to.equal(frozen);
  });

  it('a wait turns sending off, survives a new thread, and its end clears only its own error', () => {
    const connected: Action = { type: 'local.connection', status: 'connected' };
    const wait = { until: 2_000, ms: 1500, message: 'slow down', long: false };
    let vm = run(opened(), connected, { type: 'error', code: 'rate_limited', message: 'slow down', retryable: true, retryAfterMs: 1500 });
    expect(canSend(vm)).to.equal(true);
    vm = reduce(vm, { type: 'local.wait', wait });
    expect(canSend(vm)).to.equal(false);
    vm = reduce(reduce(vm, { type: 'local.new-thread' }), opened());
    expect(vm.wait).to.deep.equal(wait);
    vm = reduce(vm, { type: 'local.wait', wait: null });
    expect(vm.wait).to.equal(null);
    expect(vm.error).to.equal(null);
    expect(canSend(vm)).to.equal(true);
    const other = reduce(reduce(vm, { type: 'local.wait', wait }), { type: 'error', code: 'internal', message: 'boom', retryable: true });
    expect(reduce(other, { type: 'local.wait', wait: null }).error).to.deep.equal({ code: 'internal', message: 'boom' });
    expect(reduce(vm, { type: 'local.wait', wait: null }), 'no wait: unchanged').to.equal(vm);
  });

  it('thread.deleted resets only the open thread; threads.deleted resets any', () => {
    const connected: Action = { type: 'local.connection', status: 'connected' };
    const vm = run(opened(), connected, ev(1, { type: 'item.added', item: user('u1', 'hi') }));
    expect(reduce(vm, { type: 'thread.deleted', threadId: 'th_other' })).to.equal(vm);
    for (const action of [{ type: 'thread.deleted', threadId: T }, { type: 'threads.deleted', count: 3 }] as Action[]) {
      const after = reduce(vm, action);
      expect(after.thread).to.equal(null);
      expect(after.items).to.deep.equal([]);
      expect(after.connection).to.equal('connected');
      expect(after.workflow).to.deep.equal(workflow);
    }
  });

  it('forgets why the connection gave up once it tries again, and keeps other refusals', () => {
    const gaveUp = run(
      opened(),
      { type: 'local.connection', status: 'failed' },
      { type: 'error', code: 'connection_failed' as 'internal', message: 'Could not connect to ws://x/v1/ws after 5 attempts', retryable: false },
    );
    expect(gaveUp.error?.code).to.equal('connection_failed');
    const retrying = reduce(gaveUp, { type: 'local.connection', status: 'connecting' });
    expect(retrying.error).to.equal(null);
    expect(retrying.thread?.id, 'the thread is kept for the resume').to.equal(T);
    const refused = run({ type: 'local.connection', status: 'failed' }, { type: 'error', code: 'unauthorized', message: 'no', retryable: false });
    expect(reduce(refused, { type: 'local.connection', status: 'idle' }).error?.code).to.equal('unauthorized');
  });
});
