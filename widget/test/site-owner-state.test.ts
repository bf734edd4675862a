import { expect } from '@open-wc/testing';
import type { ServerMessage, ThreadOpened } from '@agent-chat/shared';
import { parseServerFrame } from '../src/connection/frame-check.ts';
import { reduce, type Action } from '../src/state/reducer.ts';
import { initialViewModel, retryableRun, type ViewModel } from '../src/state/view-model.ts';
import { parseDensity, parseFont, parsePosition, parseRadius, parseStarters } from '../src/state/look-attributes.ts';
import { relativeTime } from '../src/views/thread-list.ts';
import { formatTime } from '../src/views/timestamp.ts';

const T = 'th_1';
const createdAt = '2025-01-01T00:00:00.000Z';
const workflow = { id: 'support', name: 'Support', agents: [{ id: 'triage', name: 'Triage' }] };
const answer = (id: string) => ({ id, type: 'assistant_message' as const, createdAt, agent: 'triage', text: 'Hi', status: 'done' as const });
function opened(extra: Partial<ThreadOpened> = {}): ThreadOpened {
  return { type: 'thread.opened', thread: { id: T, title: '', workflow: 'support', currentAgent: 'triage' }, workflow, lastSeq: 0, ...extra };
}
const parseFrameForTest = (frame: unknown) => parseServerFrame(JSON.stringify(frame));

function run(...actions: Action[]): ViewModel {
  return actions.reduce(reduce, { ...initialViewModel(), connection: 'connected' });
}

describe('site-owner state', () => {
  it('takes ratings from thread.opened and thread.items, marks a local rating saved on feedback.saved, and forgets them with the thread', () => {
    let vm = run(opened({ items: [answer('a2')], feedback: [{ itemId: 'a2', rating: 'down' }], hasMore: true }));
    expect(vm.feedback).to.deep.equal({ a2: { rating: 'down', saved: true } });
    vm = reduce(vm, { type: 'thread.items', threadId: T, items: [answer('a1')], feedback: [{ itemId: 'a1', rating: 'up' }], hasMore: false });
    expect(vm.feedback.a1).to.deep.equal({ rating: 'up', saved: true });
    vm = reduce(vm, { type: 'local.feedback', itemId: 'a2', rating: 'up', commented: false });
    expect(vm.feedback.a2).to.deep.include({ rating: 'up', saved: false });
    vm = reduce(vm, { type: 'feedback.saved', threadId: T, itemId: 'a2' });
    expect(vm.feedback.a2).to.deep.include({ rating: 'up', saved: true });
    // A confirmation for an item we never rated changes nothing.
    expect(reduce(vm, { type: 'feedback.saved', threadId: T, itemId: 'zz' })).to.equal(vm);
    expect(reduce(vm, { type: 'local.new-thread' }).feedback).to.deep.equal({});
  });

  it('keeps the thread list across a new thread and drops a deleted thread from it', () => {
    let vm = run(opened(), { type: 'local.list-threads' });
    expect(vm.threadList).to.deep.equal({ threads: [], loading: true });
    const threads = [
      { id: T, title: 'Now', workflow: 'support', updatedAt: createdAt },
      { id: 'th_0', title: 'Before', workflow: 'support', updatedAt: createdAt },
    ];
    vm = reduce(vm, { type: 'threads', threads, nextCursor: null });
    expect(vm.threadList).to.deep.equal({ threads, loading: false });
    vm = reduce(vm, { type: 'thread.deleted', threadId: 'th_0' });
    expect(vm.thread?.id).to.equal(T);
    expect(vm.threadList!.threads.map((t) => t.id)).to.deep.equal([T]);
    vm = reduce(vm, { type: 'thread.deleted', threadId: T });
    expect(vm.thread).to.equal(null);
    expect(vm.threadList!.threads).to.deep.equal([]);
  });

  it('offers a retry only for a failed or max_turns last run with nothing running, and clears "retrying" on start or refusal', () => {
    const finished = (status: 'failed' | 'max_turns' | 'completed' | 'cancelled'): ServerMessage => ({ type: 'run.finished', threadId: T, seq: 2, runId: 'run_1', status });
    const started: ServerMessage = { type: 'run.started', threadId: T, seq: 1, runId: 'run_1', agent: 'triage' };
    for (const status of ['failed', 'max_turns'] as const) expect(retryableRun(run(opened(), started, finished(status)))).to.equal('run_1');
    for (const status of ['completed', 'cancelled'] as const) expect(retryableRun(run(opened(), started, finished(status)))).to.equal(null);
    expect(retryableRun(run(opened(), started))).to.equal(null);
    let vm = run(opened(), started, finished('failed'), { type: 'local.retry-run' });
    expect(vm.retrying).to.equal(true);
    const refused = reduce(vm, { type: 'error', code: 'invalid_request', message: 'Only a reply that failed can be retried.', retryable: false, replyTo: 'retry:7' });
    expect(refused.retrying).to.equal(false);
    expect(refused.error?.code).to.equal('invalid_request');
    vm = reduce(vm, { type: 'run.started', threadId: T, seq: 3, runId: 'run_2', agent: 'triage' });
    expect(vm.retrying).to.equal(false);
    expect(retryableRun(vm)).to.equal(null);
  });

  it('checks server frames it reads: ratings and thread summaries', () => {
    expect(parseFrameForTest({ type: 'threads', threads: [{ id: 't', title: 'x', workflow: 'w', updatedAt: createdAt }], nextCursor: null })).to.not.equal(null);
    expect(parseFrameForTest({ type: 'threads', threads: [{ id: 't', title: 5 }], nextCursor: null })).to.equal(null);
    expect(parseFrameForTest({ ...opened(), items: [], feedback: [{ itemId: 'a', rating: 'meh' }] })).to.equal(null);
    expect(parseFrameForTest({ type: 'run.retried', threadId: T, retriedRunId: 'r1', runId: 'r2' })).to.not.equal(null);
  });

  it('parses the look attributes and says why a value is refused', () => {
    expect(parseStarters('["  a ", "", "b"]')).to.deep.equal({ value: ['a', 'b'] });
    expect(parseStarters('["x"').problem).to.match(/not valid JSON/);
    expect(parseStarters('"x"').value).to.deep.equal([]);
    expect(parseStarters(JSON.stringify(['y'.repeat(500)])).value[0]).to.have.length(200);
    expect(parsePosition('bottom-left')).to.deep.equal({ value: 'bottom-left' });
    expect(parsePosition('left').value).to.equal('bottom-right');
    expect(parseDensity('compact')).to.deep.equal({ value: 'compact' });
    expect(parseDensity('dense').problem).to.contain('dense');
    expect(parseRadius('0')).to.deep.equal({ value: '0' });
    expect(parseRadius('0.5rem')).to.deep.equal({ value: '0.5rem' });
    for (const bad of ['round', '50%', 'var(--x)', 'inherit', '4px; color: red']) expect(parseRadius(bad).value, bad).to.equal(undefined);
    expect(parseFont('"Inter", sans-serif')).to.deep.equal({ value: '"Inter", sans-serif' });
    for (const bad of ['12px', 'initial', 'var(--f)', 'a; b']) expect(parseFont(bad).value, bad).to.equal(undefined);
  });

  it('formats times in the given language: short time today, date and time on another day; relative times for the list', () => {
    const now = new Date('2026-03-03T15:00:00');
    expect(formatTime(new Date('2026-03-03T09:05:00'), 'en', now)).to.equal(new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date('2026-03-03T09:05:00')));
    expect(formatTime(new Date('2026-03-01T09:05:00'), 'en', now)).to.equal(
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-03-01T09:05:00')),
    );
    expect(formatTime(new Date('2026-03-01T09:05:00'), 'es', now)).to.contain('mar');
    const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    const at = now.getTime();
    expect(relativeTime(new Date(at - 5 * 60_000).toISOString(), 'en', at)).to.equal(rtf.format(-5, 'minute'));
    expect(relativeTime(new Date(at - 26 * 3600_000).toISOString(), 'en', at)).to.equal('yesterday');
    expect(relativeTime(new Date(at - 10_000).toISOString(), 'en', at)).to.equal(rtf.format(0, 'second'));
    expect(relativeTime(new Date(at - 5 * 60_000).toISOString(), 'es', at)).to.equal('hace 5 minutos');
    expect(relativeTime(new Date(at - 26 * 3600_000).toISOString(), 'ja', at)).to.equal('昨日');
    expect(relativeTime('not a date', 'en', at)).to.equal('');
  });
});
