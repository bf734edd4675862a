import type { AssistantMessageItem, Item, ThreadEvent } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { type LogEntry, type LoggedEvent, projectBatch } from '../src/conversation/event-projection.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const T = 'thr_1';

/** A logged event as the event log queues it (json made when the batch is taken). */
function logged(event: ThreadEvent, extra: Partial<LoggedEvent> = {}): LoggedEvent {
  return { kind: 'event', event, json: JSON.stringify(event), position: 0, runId: null, compactFrom: 0, ...extra };
}

const assistant = (id: string, text = ''): AssistantMessageItem => ({ id, type: 'assistant_message', createdAt: '2026-03-10T11:00:00.000Z', agent: 'triage', text, status: 'in_progress' });

describe('projectBatch (events → storage ops)', () => {
  it('Should store each event and add its item, title the thread from the first user message, and touch the row with the last seq', () => {
    const user: Item = { id: 'itm_u', type: 'user_message', createdAt: '2026-03-10T11:59:00.000Z', text: '  Where   is my\norder?  ', attachments: [] };
    const handoff: Item = { id: 'itm_h', type: 'handoff', createdAt: NOW, from: 'triage', to: 'billing' };
    const e1: ThreadEvent = { type: 'item.added', threadId: T, seq: 1, item: user };
    const e2: ThreadEvent = { type: 'run.started', threadId: T, seq: 2, runId: 'run_1', agent: 'triage' };
    const e3: ThreadEvent = { type: 'item.added', threadId: T, seq: 3, item: handoff };
    const ops = projectBatch([logged(e1, { position: 1 }), logged(e2, { runId: 'run_1' }), logged(e3, { position: 2, runId: 'run_1' })], NOW, () => undefined);
    expect(ops).toEqual([
      { op: 'event.append', event: e1, json: JSON.stringify(e1), createdAt: NOW },
      { op: 'item.insert', threadId: T, position: 1, item: user, runId: null, createdAt: user.createdAt },
      { op: 'thread.title_if_empty', threadId: T, title: 'Where is my order?' },
      { op: 'event.append', event: e2, json: JSON.stringify(e2), createdAt: NOW },
      { op: 'run.start', runId: 'run_1', threadId: T, agent: 'triage', trigger: 'message', startedAt: NOW },
      { op: 'event.append', event: e3, json: JSON.stringify(e3), createdAt: NOW },
      { op: 'item.insert', threadId: T, position: 2, item: handoff, runId: 'run_1', createdAt: NOW },
      { op: 'thread.agent', threadId: T, agent: 'billing' },
      { op: 'thread.touch', threadId: T, lastSeq: 3, updatedAt: NOW },
    ]);
  });

  it('Should coalesce an item\'s deltas into one update from its open state (a copy), and leave the row of a deltas-only batch alone', () => {
    const open = assistant('itm_1', 'Hello there');
    const batch: LogEntry[] = [
      logged({ type: 'text.delta', threadId: T, seq: 4, itemId: 'itm_1', delta: 'Hello ' }),
      logged({ type: 'text.delta', threadId: T, seq: 5, itemId: 'itm_1', delta: 'there' }),
    ];
    const ops = projectBatch(batch, NOW, (threadId, itemId) => (threadId === T && itemId === 'itm_1' ? open : undefined));
    expect(ops.map((o) => o.op)).toEqual(['event.append', 'event.append', 'item.update']);
    const update = ops[2] as Extract<(typeof ops)[number], { op: 'item.update' }>;
    expect(update.item).toEqual(open);
    open.text += ' and more'; // the stream goes on while the batch is applied
    expect(update.item).toMatchObject({ text: 'Hello there' });
  });

  it('Should write a finished item as done, once, and a later delta of the same batch does not undo it', () => {
    const done: Item = { ...assistant('itm_1', 'Hi!'), status: 'done' };
    const ops = projectBatch(
      [
        logged({ type: 'text.delta', threadId: T, seq: 4, itemId: 'itm_1', delta: 'Hi' }),
        logged({ type: 'item.done', threadId: T, seq: 5, item: done }),
        logged({ type: 'text.delta', threadId: T, seq: 6, itemId: 'itm_1', delta: '!' }),
      ],
      NOW,
      () => assistant('itm_1', 'stale open state'),
    );
    expect(ops.filter((o) => o.op === 'item.update')).toEqual([{ op: 'item.update', item: done }]);
    // A delta after a non-delta of the batch still moves the row to the batch's last seq.
    expect(ops.at(-1)).toEqual({ op: 'thread.touch', threadId: T, lastSeq: 6, updatedAt: NOW });
  });

  it('Should retitle the thread when a user message was rewritten before it was done, and not when it was not', () => {
    const redacted: Item = { id: 'itm_u', type: 'user_message', createdAt: NOW, text: 'My email is [email redacted]', attachments: [] };
    const rewritten = projectBatch([logged({ type: 'item.done', threadId: T, seq: 2, item: redacted }, { addedText: 'My email is ann@example.com' })], NOW, () => undefined);
    expect(rewritten).toContainEqual({ op: 'thread.retitle', threadId: T, from: 'My email is ann@example.com', to: 'My email is [email redacted]' });
    const same = projectBatch([logged({ type: 'item.done', threadId: T, seq: 2, item: redacted }, { addedText: redacted.text })], NOW, () => undefined);
    expect(same.some((o) => o.op === 'thread.retitle')).toBe(false);
  });

  it('Should finish and compact a run from its start, and forget a withdrawn item with no update left for it', () => {
    const ops = projectBatch(
      [
        logged({ type: 'text.delta', threadId: T, seq: 7, itemId: 'itm_bad', delta: 'secret' }),
        logged({ type: 'item.removed', threadId: T, seq: 8, itemId: 'itm_bad', reason: 'guardrail' }, { compactFrom: 5 }),
        logged({ type: 'run.finished', threadId: T, seq: 9, runId: 'run_1', status: 'blocked' }, { compactFrom: 3 }),
      ],
      NOW,
      () => assistant('itm_bad', 'secret'),
    );
    expect(ops.filter((o) => o.op !== 'event.append')).toEqual([
      { op: 'item.delete', itemId: 'itm_bad' },
      { op: 'events.forget_item', threadId: T, itemId: 'itm_bad', fromSeq: 5 },
      { op: 'run.finish', runId: 'run_1', status: 'blocked', error: undefined, finishedAt: NOW },
      { op: 'events.compact_run', threadId: T, afterSeq: 3, throughSeq: 9 },
      { op: 'thread.touch', threadId: T, lastSeq: 9, updatedAt: NOW },
    ]);
  });

  it('Should keep queued writes where they were queued among the events, and touch each thread of the batch once', () => {
    const e1: ThreadEvent = { type: 'run.started', threadId: 'thr_a', seq: 1, runId: 'run_a', agent: 'triage' };
    const e2: ThreadEvent = { type: 'run.started', threadId: 'thr_b', seq: 7, runId: 'run_b', agent: 'triage' };
    const ops = projectBatch(
      [
        logged(e1),
        { kind: 'ops', threadId: 'thr_a', ops: [{ op: 'approval.clear', threadId: 'thr_a' }] },
        logged(e2),
      ],
      NOW,
      () => undefined,
    );
    expect(ops.map((o) => (o.op === 'thread.touch' ? `${o.op}:${o.threadId}:${o.lastSeq}` : o.op))).toEqual([
      'event.append',
      'run.start',
      'approval.clear',
      'event.append',
      'run.start',
      'thread.touch:thr_a:1',
      'thread.touch:thr_b:7',
    ]);
  });
});
