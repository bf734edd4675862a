import type { ThreadEvent } from '@agent-chat/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Storage, StorageConflict, type StorageOp } from '../../src/store/storage.ts';
import { STORAGE_ENGINES, useFreshStorage } from '../helpers/storage-engines.ts';
import { added, append, assistant, at, delta, done, insertItem, runFinished, runStarted, seqs, threadRecord, toolCall, user } from '../helpers/storage-fixtures.ts';

// The behaviour every Storage keeps (src/store/storage.ts, docs/protocol.md), whatever the engine.

describe.each(STORAGE_ENGINES)('$name storage', (engine) => {
  const fresh = useFreshStorage(engine);
  let storage: Storage;
  beforeEach(() => {
    storage = fresh();
  });

  it('names its engine', () => {
    expect(storage.engine).toBe(engine.name);
  });

  describe('threads', () => {
    it('stores a thread and reads it back; an unknown id is undefined', async () => {
      const t = threadRecord('t1', { title: 'Refund', lastSeq: 0 });
      await storage.threads.insert(t);
      expect(await storage.threads.get('t1')).toEqual({ ...t, compactedSeq: 0 });
      expect(await storage.threads.get('nope')).toBeUndefined();
    });

    it('pages an owner’s threads newest first, ties by id, strictly after the cursor', async () => {
      // t2 and t3 share an updatedAt: the id breaks the tie, so no page repeats or skips one.
      const times: Record<string, number> = { t1: 1, t2: 3, t3: 3, t4: 5, t5: 2 };
      for (const [id, minute] of Object.entries(times)) await storage.threads.insert(threadRecord(id, { updatedAt: at(minute) }));
      await storage.threads.insert(threadRecord('other', { owner: 'visitor:v2', updatedAt: at(9) }));

      const seen: string[] = [];
      let page = await storage.threads.listByOwner('visitor:v1', 2);
      while (page.length > 0) {
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...page.map((t) => t.id));
        const last = page.at(-1)!;
        page = await storage.threads.listByOwner('visitor:v1', 2, { updatedAt: last.updatedAt, id: last.id });
      }
      expect(seen).toEqual(['t4', 't3', 't2', 't5', 't1']);
      expect(await storage.threads.listByOwner('visitor:v2', 10)).toHaveLength(1);
      expect(await storage.threads.listByOwner('visitor:nobody', 10)).toEqual([]);
    });

    it('lists an owner’s ids oldest first and idle threads oldest first up to a limit', async () => {
      await storage.threads.insert(threadRecord('b', { createdAt: at(2), updatedAt: at(30) }));
      await storage.threads.insert(threadRecord('a', { createdAt: at(1), updatedAt: at(10) }));
      await storage.threads.insert(threadRecord('c', { createdAt: at(3), updatedAt: at(20), owner: 'visitor:v2' }));
      await storage.threads.insert(threadRecord('d', { createdAt: at(4), updatedAt: at(50) }));

      expect(await storage.threads.idsByOwner('visitor:v1')).toEqual(['a', 'b', 'd']);
      expect((await storage.threads.idleSince(at(40), 10)).map((t) => t.id)).toEqual(['a', 'c', 'b']);
      expect((await storage.threads.idleSince(at(40), 2)).map((t) => t.id)).toEqual(['a', 'c']);
      expect(await storage.threads.idleSince(at(10), 10)).toEqual([]);
    });

    it('sets the title only while empty, retitles only from the expected text, and changes the agent', async () => {
      await storage.threads.insert(threadRecord('t1'));
      await storage.apply([{ op: 'thread.title_if_empty', threadId: 't1', title: 'my mail is a@b.c' }]);
      await storage.apply([{ op: 'thread.title_if_empty', threadId: 't1', title: 'second message' }]);
      expect((await storage.threads.get('t1'))?.title).toBe('my mail is a@b.c');

      await storage.apply([{ op: 'thread.retitle', threadId: 't1', from: 'something else', to: 'wrong' }]);
      expect((await storage.threads.get('t1'))?.title).toBe('my mail is a@b.c');
      await storage.apply([{ op: 'thread.retitle', threadId: 't1', from: 'my mail is a@b.c', to: 'my mail is [email redacted]' }]);
      expect((await storage.threads.get('t1'))?.title).toBe('my mail is [email redacted]');

      await storage.apply([{ op: 'thread.agent', threadId: 't1', agent: 'billing' }]);
      expect((await storage.threads.get('t1'))?.currentAgent).toBe('billing');
    });

    it('touch moves last_seq forward only and bumps updated_at', async () => {
      await storage.threads.insert(threadRecord('t1'));
      await storage.apply([{ op: 'thread.touch', threadId: 't1', lastSeq: 7, updatedAt: at(5) }]);
      await storage.apply([{ op: 'thread.touch', threadId: 't1', lastSeq: 3, updatedAt: at(6) }]);
      const t = await storage.threads.get('t1');
      expect(t?.lastSeq).toBe(7);
      expect(t?.updatedAt).toBe(at(6));
    });

    it('deleting a thread deletes its items, events, runs, client messages, approvals and feedback', async () => {
      for (const id of ['gone', 'kept']) {
        await storage.threads.insert(threadRecord(id));
        await storage.apply([
          { op: 'run.start', runId: `run-${id}`, threadId: id, agent: 'triage', trigger: 'message', startedAt: at(1) },
          insertItem(id, 1, user(`item-${id}`), `run-${id}`),
          runStarted(id, 1, `run-${id}`),
          { op: 'client_message.insert', threadId: id, clientMessageId: 'c1', accepted: { itemId: `item-${id}`, runId: `run-${id}` }, createdAt: at(1) },
          { op: 'approval.decide', threadId: id, decision: { callId: 'call-1', approved: true }, decidedAt: at(1) },
        ]);
        await storage.feedback.save(id, `item-${id}`, 'up', undefined, at(1));
        await storage.usage.countThread('identity', 'visitor:v1', '2026-01-01');
      }

      await storage.threads.delete('gone');

      expect(await storage.threads.get('gone')).toBeUndefined();
      expect(await storage.items.all('gone')).toEqual([]);
      expect(await storage.items.get('gone', 'item-gone')).toBeUndefined();
      expect(await storage.events.between('gone', 0, 100, 100)).toEqual([]);
      expect(await storage.runs.get('run-gone')).toBeUndefined();
      expect(await storage.clientMessages.get('gone', 'c1')).toBeUndefined();
      expect((await storage.approvals.forThread('gone')).size).toBe(0);
      expect(await storage.feedback.forThread('gone')).toEqual([]);
      // The other thread is whole, and usage counters are not thread data.
      expect(await storage.items.all('kept')).toHaveLength(1);
      expect(await seqs(storage, 'kept')).toEqual([1]);
      expect(await storage.runs.get('run-kept')).toBeDefined();
      expect(await storage.clientMessages.get('kept', 'c1')).toEqual({ itemId: 'item-kept', runId: 'run-kept' });
      expect((await storage.approvals.forThread('kept')).size).toBe(1);
      expect(await storage.feedback.forThread('kept')).toHaveLength(1);
      expect((await storage.usage.on('identity', 'visitor:v1', '2026-01-01')).threads).toBe(2);
    });
  });

  describe('items', () => {
    beforeEach(async () => {
      await storage.threads.insert(threadRecord('t1'));
      await storage.threads.insert(threadRecord('t2'));
    });

    it('inserts, reads by id with position and run, and pages newest first', async () => {
      expect(await storage.items.maxPosition('t1')).toBe(0);
      const items = [user('u1'), assistant('a1', 'done'), user('u2'), assistant('a2', 'done'), user('u3')];
      await storage.apply(items.map((item, i) => insertItem('t1', i + 1, item, i === 0 ? null : 'r1')));
      await storage.apply([insertItem('t2', 1, user('elsewhere'))]);

      expect(await storage.items.get('t1', 'a1')).toEqual({ item: items[1], position: 2, runId: 'r1' });
      expect(await storage.items.get('t1', 'u1')).toEqual({ item: items[0], position: 1, runId: null });
      expect(await storage.items.get('t2', 'a1')).toBeUndefined();
      expect(await storage.items.maxPosition('t1')).toBe(5);
      expect(await storage.items.all('t1')).toEqual(items);
      expect((await storage.items.newest('t1', 2)).map((i) => i.id)).toEqual(['u3', 'a2']);
      expect((await storage.items.newest('t1', 10)).map((i) => i.id)).toEqual(['u3', 'a2', 'u2', 'a1', 'u1']);
      expect((await storage.items.before('t1', 4, 2)).map((i) => i.id)).toEqual(['u2', 'a1']);
      expect((await storage.items.before('t1', 2, 10)).map((i) => i.id)).toEqual(['u1']);
      expect(await storage.items.before('t1', 1, 10)).toEqual([]);
    });

    it('updates an item’s stored state and deletes it', async () => {
      await storage.apply([insertItem('t1', 1, assistant('a1', 'in_progress', '')), insertItem('t1', 2, user('u1'))]);
      const finished = assistant('a1', 'done', 'Your refund is on its way.');
      await storage.apply([{ op: 'item.update', item: finished }]);
      expect((await storage.items.get('t1', 'a1'))?.item).toEqual(finished);

      await storage.apply([{ op: 'item.delete', itemId: 'a1' }]);
      expect(await storage.items.get('t1', 'a1')).toBeUndefined();
      expect((await storage.items.all('t1')).map((i) => i.id)).toEqual(['u1']);
    });

    it('finds items by status and the ones a crash left open, in order', async () => {
      await storage.apply([
        insertItem('t1', 1, user('u1')),
        insertItem('t1', 2, toolCall('tc1', 'awaiting_approval')),
        insertItem('t1', 3, assistant('a1', 'in_progress')),
        insertItem('t1', 4, toolCall('tc2', 'running')),
        insertItem('t1', 5, assistant('a2', 'done')),
        insertItem('t1', 6, toolCall('tc3', 'awaiting_approval')),
        insertItem('t2', 1, toolCall('tc4', 'awaiting_approval')),
      ]);
      expect((await storage.items.withStatus('t1', 'awaiting_approval')).map((i) => i.id)).toEqual(['tc1', 'tc3']);
      expect((await storage.items.withStatus('t1', 'running')).map((i) => i.id)).toEqual(['tc2']);
      expect((await storage.items.withStatus('t1', 'in_progress')).map((i) => i.id)).toEqual(['a1']);
      // Being written; a call awaiting approval is not.
      expect((await storage.items.unfinished('t1')).map((i) => i.id)).toEqual(['a1', 'tc2']);
    });
  });

  describe('events', () => {
    beforeEach(async () => {
      await storage.threads.insert(threadRecord('t1'));
      await storage.threads.insert(threadRecord('t2'));
    });

    it('stores events and returns each one’s JSON exactly as it was given', async () => {
      expect(await storage.events.lastSeq('t1')).toBe(0);
      const event: ThreadEvent = { type: 'text.delta', threadId: 't1', seq: 1, itemId: 'a1', delta: 'héllo 👋 "quoted"' };
      // Key order, spacing and escapes as the writer made them: subscribers get these bytes.
      const json = '{"seq":1,  "type":"text.delta","threadId":"t1","itemId":"a1","delta":"h\\u00e9llo 👋 \\"quoted\\""}';
      await storage.apply([append(event, json), runStarted('t1', 2, 'r1'), runStarted('t2', 1, 'r9')]);
      expect(await storage.events.between('t1', 0, 2, 10)).toEqual([
        { seq: 1, json },
        { seq: 2, json: JSON.stringify({ type: 'run.started', threadId: 't1', seq: 2, runId: 'r1', agent: 'triage' }) },
      ]);
      expect(await storage.events.lastSeq('t1')).toBe(2);
      expect(await storage.events.lastSeq('t2')).toBe(1);
    });

    it('reads a bounded range in order', async () => {
      await storage.apply(Array.from({ length: 10 }, (_, i) => delta('t1', i + 1, 'a1')));
      expect((await storage.events.between('t1', 3, 8, 100)).map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
      expect((await storage.events.between('t1', 3, 8, 2)).map((e) => e.seq)).toEqual([4, 5]);
      expect(await storage.events.between('t1', 10, 20, 100)).toEqual([]);
      // Everything after a seq, parsed.
      const after7 = await storage.events.since('t1', 7);
      expect(after7.map((e) => e.seq)).toEqual([8, 9, 10]);
      expect(after7[0]).toMatchObject({ type: 'text.delta', threadId: 't1', seq: 8, itemId: 'a1' });
      expect(await storage.events.since('t2', 0)).toEqual([]);
      // With the time each was stored (a run's trace built from storage).
      const timed = await storage.events.timedSince('t1', 8);
      expect(timed.map((e) => [e.event.seq, e.createdAt])).toEqual([
        [9, at(2)],
        [10, at(2)],
      ]);
      expect(await storage.events.timedSince('t2', 0)).toEqual([]);
    });

    it('rejects an event whose (thread, seq) is stored with StorageConflict and writes nothing of the batch', async () => {
      await storage.apply([runStarted('t1', 1, 'r1'), { op: 'thread.touch', threadId: 't1', lastSeq: 1, updatedAt: at(1) }]);
      const batch: StorageOp[] = [
        insertItem('t1', 1, user('u1')),
        runStarted('t2', 1, 'r2'),
        { op: 'thread.touch', threadId: 't1', lastSeq: 2, updatedAt: at(9) },
        added('t1', 2, user('u1')),
        runStarted('t1', 1, 'r-other'),
        { op: 'thread.title_if_empty', threadId: 't1', title: 'hello' },
      ];
      await expect(storage.apply(batch)).rejects.toBeInstanceOf(StorageConflict);

      expect(await storage.items.get('t1', 'u1')).toBeUndefined();
      expect(await seqs(storage, 't1')).toEqual([1]);
      expect(await seqs(storage, 't2')).toEqual([]);
      expect(await storage.threads.get('t1')).toMatchObject({ lastSeq: 1, updatedAt: at(1), title: '' });
      const [first] = await storage.events.between('t1', 0, 1, 1);
      expect(JSON.parse(first!.json)).toMatchObject({ runId: 'r1' });
    });

    it('rejects a batch holding one (thread, seq) twice with StorageConflict', async () => {
      await expect(storage.apply([delta('t1', 1, 'a1', 'a'), delta('t1', 1, 'a1', 'b')])).rejects.toBeInstanceOf(StorageConflict);
      expect(await seqs(storage, 't1')).toEqual([]);
    });

    it('rolls the whole batch back when an op in the middle fails', async () => {
      await storage.apply([insertItem('t1', 1, user('u1'))]);
      const batch: StorageOp[] = [
        runStarted('t1', 1, 'r1'),
        { op: 'run.start', runId: 'r1', threadId: 't1', agent: 'triage', trigger: 'message', startedAt: at(1) },
        insertItem('t1', 2, user('u1')), // the item id is taken
        runFinished('t1', 2, 'r1'),
        { op: 'thread.touch', threadId: 't1', lastSeq: 2, updatedAt: at(3) },
      ];
      const failure = await storage.apply(batch).then(() => undefined, (e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(StorageConflict);

      expect(await seqs(storage, 't1')).toEqual([]);
      expect(await storage.runs.get('r1')).toBeUndefined();
      expect(await storage.threads.get('t1')).toMatchObject({ lastSeq: 0, updatedAt: at(0) });
      expect((await storage.items.all('t1')).map((i) => i.id)).toEqual(['u1']);
      // The storage is still usable after the rollback.
      await storage.apply(batch.filter((op) => op.op !== 'item.insert'));
      expect(await seqs(storage, 't1')).toEqual([1, 2]);
    });

    it('an empty batch is a no-op', async () => {
      await storage.apply([]);
      expect(await seqs(storage, 't1')).toEqual([]);
    });
  });

  describe('compaction', () => {
    beforeEach(async () => {
      await storage.threads.insert(threadRecord('t1'));
    });

    it('drops a finished run’s deltas and every earlier event, keeping what follows its last delta', async () => {
      const a1 = assistant('a1', 'done', 'ab');
      const a2 = assistant('a2', 'done', 'cd');
      await storage.apply([
        runStarted('t1', 1, 'r1'),
        added('t1', 2, a1),
        delta('t1', 3, 'a1'),
        done('t1', 4, a1),
        runFinished('t1', 5, 'r1'),
        runStarted('t1', 6, 'r2'),
        added('t1', 7, a2),
        delta('t1', 8, 'a2'),
        delta('t1', 9, 'a2'),
        done('t1', 10, a2),
        runFinished('t1', 11, 'r2'),
        delta('t1', 12, 'a3'), // a later run's delta, outside the range
        { op: 'thread.touch', threadId: 't1', lastSeq: 12, updatedAt: at(3) },
      ]);

      await storage.apply([{ op: 'events.compact_run', threadId: 't1', afterSeq: 5, throughSeq: 11 }]);

      expect(await seqs(storage, 't1')).toEqual([10, 11, 12]);
      expect(await storage.threads.get('t1')).toMatchObject({ compactedSeq: 9, lastSeq: 12 });
    });

    it('leaves everything as it is when the run had no deltas, and never moves the point back', async () => {
      await storage.apply([
        delta('t1', 1, 'a1'),
        delta('t1', 2, 'a1'),
        done('t1', 3, assistant('a1', 'done')),
        runStarted('t1', 4, 'r2'),
        added('t1', 5, toolCall('tc1', 'completed')),
        runFinished('t1', 6, 'r2'),
      ]);
      await storage.apply([{ op: 'events.compact_run', threadId: 't1', afterSeq: 3, throughSeq: 6 }]);
      expect(await seqs(storage, 't1')).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await storage.threads.get('t1'))?.compactedSeq).toBe(0);

      await storage.apply([{ op: 'events.compact_run', threadId: 't1', afterSeq: 0, throughSeq: 3 }]);
      expect(await seqs(storage, 't1')).toEqual([3, 4, 5, 6]);
      expect((await storage.threads.get('t1'))?.compactedSeq).toBe(2);
    });

    it('forgets a withdrawn item’s added, delta and done events from a seq on, keeping its removal', async () => {
      const a1 = assistant('a1', 'done', 'secret');
      await storage.apply([
        added('t1', 1, a1), // before fromSeq: kept
        runStarted('t1', 2, 'r1'),
        added('t1', 3, a1),
        delta('t1', 4, 'a1'),
        delta('t1', 5, 'b1'), // another item's delta
        done('t1', 6, a1),
        append({ type: 'item.removed', threadId: 't1', seq: 7, itemId: 'a1', reason: 'guardrail' }),
        added('t1', 8, user('u2')),
      ]);
      await storage.apply([{ op: 'events.forget_item', threadId: 't1', itemId: 'a1', fromSeq: 2 }]);

      expect(await seqs(storage, 't1')).toEqual([1, 2, 5, 7, 8]);
      expect((await storage.threads.get('t1'))?.compactedSeq).toBe(6);

      // Nothing left to forget: the point stays.
      await storage.apply([{ op: 'events.forget_item', threadId: 't1', itemId: 'a1', fromSeq: 2 }]);
      expect((await storage.threads.get('t1'))?.compactedSeq).toBe(6);
    });
  });

  describe('runs, client messages, approvals, feedback', () => {
    beforeEach(async () => {
      await storage.threads.insert(threadRecord('t1'));
    });

    it('lets one run at a time run in a thread, held by the instance that claimed it until its lease ends', async () => {
      const claim = (id: string, threadId: string, owner: string, leaseUntil = at(10)) =>
        storage.runs.claim({ id, threadId, agent: 'triage', trigger: 'message', startedAt: at(1), owner, leaseUntil });
      await storage.threads.insert(threadRecord('t2'));
      expect(await claim('r1', 't1', 'i1')).toBe(true);
      expect(await claim('r2', 't1', 'i2')).toBe(false); // the thread has a running run
      expect(await claim('r3', 't2', 'i2')).toBe(true); // another thread may
      expect(await storage.runs.get('r1')).toMatchObject({ status: 'running', owner: 'i1', leaseUntil: at(10) });
      expect(await storage.runs.get('r2')).toBeUndefined();
      // The starting batch's own run.start changes nothing.
      await storage.apply([{ op: 'run.start', runId: 'r1', threadId: 't1', agent: 'other', trigger: 'message', startedAt: at(2) }]);
      expect(await storage.runs.get('r1')).toMatchObject({ agent: 'triage', owner: 'i1' });

      // Renewed leases hold; a lease that ended can be taken over, once.
      expect(await storage.runs.renew('i1', at(20))).toEqual(['r1']); // only the runs i1 holds
      // r3's lease (to minute 10) was not renewed; r1's was, to minute 20.
      expect((await storage.runs.expired(at(15))).map((r) => r.id)).toEqual(['r3']);
      expect((await storage.runs.expired(at(21))).map((r) => r.id).sort()).toEqual(['r1', 'r3']);
      expect(await storage.runs.takeOver('r1', 'i2', at(15), at(30))).toBe(false);
      expect(await storage.runs.takeOver('r1', 'i2', at(21), at(30))).toBe(true);
      expect(await storage.runs.takeOver('r1', 'i3', at(21), at(30))).toBe(false);
      expect(await storage.runs.get('r1')).toMatchObject({ owner: 'i2', leaseUntil: at(30) });
      expect(await storage.runs.renew('i1', at(50))).toEqual([]); // i1 no longer holds it
      expect((await storage.runs.get('r1'))?.leaseUntil).toBe(at(30));

      // Once it finished, the thread takes a new run; a claim that never started can be given back.
      await storage.apply([{ op: 'run.finish', runId: 'r1', status: 'completed', error: undefined, finishedAt: at(31) }]);
      expect(await storage.runs.takeOver('r1', 'i3', at(40), at(50))).toBe(false); // finished runs are nobody's
      expect(await claim('r4', 't1', 'i3')).toBe(true);
      await storage.runs.unclaim('r4');
      expect(await storage.runs.get('r4')).toBeUndefined();
      expect(await claim('r5', 't1', 'i3')).toBe(true);
    });

    it('names a thread\'s latest run: the last started, or within one millisecond the one still running', async () => {
      expect(await storage.runs.latest('t1')).toBeUndefined();
      await storage.apply([{ op: 'run.start', runId: 'rb', threadId: 't1', agent: 'triage', trigger: 'message', startedAt: at(1) }]);
      await storage.apply([{ op: 'run.finish', runId: 'rb', status: 'failed', error: undefined, finishedAt: at(2) }]);
      expect((await storage.runs.latest('t1'))?.id).toBe('rb');
      await storage.apply([{ op: 'run.start', runId: 'ra', threadId: 't1', agent: 'triage', trigger: 'retry', startedAt: at(2) }]);
      expect(await storage.runs.latest('t1')).toMatchObject({ id: 'ra', trigger: 'retry', status: 'running' });
      await storage.apply([{ op: 'run.finish', runId: 'ra', status: 'completed', error: undefined, finishedAt: at(3) }]);
      // Same start time as the next one, which finished later (ids sort the other way on purpose).
      await storage.apply([{ op: 'run.start', runId: 'r0', threadId: 't1', agent: 'triage', trigger: 'message', startedAt: at(3) }]);
      expect((await storage.runs.latest('t1'))?.id).toBe('r0');
      await storage.threads.insert(threadRecord('t2'));
      expect(await storage.runs.latest('t2')).toBeUndefined();
    });

    it('records a run as running once and finishes it', async () => {
      await storage.apply([{ op: 'run.start', runId: 'r1', threadId: 't1', agent: 'triage', trigger: 'message', startedAt: at(1) }]);
      await storage.threads.insert(threadRecord('t2'));
      await storage.apply([{ op: 'run.start', runId: 'r2', threadId: 't2', agent: 'billing', trigger: 'approval', startedAt: at(2) }]);
      // Starting a recorded run again changes nothing.
      await storage.apply([{ op: 'run.start', runId: 'r1', threadId: 't1', agent: 'other', trigger: 'approval', startedAt: at(5) }]);
      expect(await storage.runs.get('r1')).toEqual({
        id: 'r1',
        threadId: 't1',
        status: 'running',
        agent: 'triage',
        trigger: 'message',
        error: null,
        startedAt: at(1),
        finishedAt: null,
        resumes: 0,
        owner: null,
        leaseUntil: null,
      });
      expect((await storage.runs.running()).map((r) => r.id)).toEqual(['r1', 'r2']);
      // Each continuation after a stop is counted.
      await storage.apply([{ op: 'run.resume', runId: 'r1' }]);
      await storage.apply([{ op: 'run.resume', runId: 'r1' }]);
      expect(await storage.runs.get('r1')).toMatchObject({ status: 'running', resumes: 2 });

      const error = { code: 'interrupted_by_restart', message: 'The server restarted.' } as const;
      await storage.apply([{ op: 'run.finish', runId: 'r1', status: 'failed', error, finishedAt: at(3) }]);
      await storage.apply([{ op: 'run.finish', runId: 'r2', status: 'completed', error: undefined, finishedAt: at(4) }]);
      expect(await storage.runs.get('r1')).toMatchObject({ status: 'failed', error, finishedAt: at(3) });
      expect(await storage.runs.get('r2')).toMatchObject({ status: 'completed', error: null, finishedAt: at(4) });
      expect(await storage.runs.running()).toEqual([]);
      expect(await storage.runs.get('nope')).toBeUndefined();
    });

    it('remembers which item and run a client message created', async () => {
      await storage.apply([
        { op: 'client_message.insert', threadId: 't1', clientMessageId: 'm1', accepted: { itemId: 'u1', runId: 'r1' }, createdAt: at(1) },
      ]);
      expect(await storage.clientMessages.get('t1', 'm1')).toEqual({ itemId: 'u1', runId: 'r1' });
      expect(await storage.clientMessages.get('t1', 'm2')).toBeUndefined();
      // The same client message id again is a conflict of the batch, not a silent overwrite.
      await expect(
        storage.apply([
          { op: 'client_message.insert', threadId: 't1', clientMessageId: 'm1', accepted: { itemId: 'u9', runId: 'r9' }, createdAt: at(2) },
        ]),
      ).rejects.toThrow();
      expect(await storage.clientMessages.get('t1', 'm1')).toEqual({ itemId: 'u1', runId: 'r1' });
    });

    it('keeps one decision per call (the last) until the thread’s decisions are cleared', async () => {
      await storage.apply([
        { op: 'approval.decide', threadId: 't1', decision: { callId: 'c1', approved: false, reason: 'too much' }, decidedAt: at(1) },
        { op: 'approval.decide', threadId: 't1', decision: { callId: 'c2', approved: true }, decidedAt: at(1) },
      ]);
      await storage.apply([{ op: 'approval.decide', threadId: 't1', decision: { callId: 'c1', approved: true }, decidedAt: at(2) }]);
      const decisions = await storage.approvals.forThread('t1');
      expect(decisions).toEqual(
        new Map([
          ['c1', { callId: 'c1', approved: true }],
          ['c2', { callId: 'c2', approved: true }],
        ]),
      );
      await storage.apply([{ op: 'approval.decide', threadId: 't1', decision: { callId: 'c2', approved: false, reason: 'no' }, decidedAt: at(3) }]);
      expect((await storage.approvals.forThread('t1')).get('c2')).toEqual({ callId: 'c2', approved: false, reason: 'no' });

      await storage.apply([{ op: 'approval.clear', threadId: 't1' }]);
      expect((await storage.approvals.forThread('t1')).size).toBe(0);
    });

    it('keeps one rating per item (the last), oldest first', async () => {
      await storage.feedback.save('t1', 'a2', 'up', undefined, at(2));
      await storage.feedback.save('t1', 'a1', 'up', 'great', at(1));
      await storage.feedback.save('t1', 'a1', 'down', 'wrong order', at(3));
      expect(await storage.feedback.forThread('t1')).toEqual([
        { itemId: 'a2', rating: 'up', createdAt: at(2) },
        { itemId: 'a1', rating: 'down', comment: 'wrong order', createdAt: at(3) },
      ]);
    });

    it('lists the threads with an item rated so, most recently rated first, up to a limit', async () => {
      for (const id of ['t2', 't3', 't4']) await storage.threads.insert(threadRecord(id));
      await storage.feedback.save('t1', 'a1', 'down', undefined, at(1));
      await storage.feedback.save('t2', 'a1', 'down', undefined, at(5));
      await storage.feedback.save('t3', 'a1', 'up', undefined, at(6));
      await storage.feedback.save('t4', 'a1', 'up', undefined, at(2));
      await storage.feedback.save('t4', 'a2', 'down', undefined, at(3));
      await storage.feedback.save('t1', 'a2', 'up', undefined, at(9));
      expect(await storage.feedback.threadsRated('down', 10)).toEqual(['t2', 't4', 't1']);
      expect(await storage.feedback.threadsRated('down', 2)).toEqual(['t2', 't4']);
      expect(await storage.feedback.threadsRated('up', 10)).toEqual(['t1', 't3', 't4']);
      // A rating changed from down to up no longer counts as down.
      await storage.feedback.save('t2', 'a1', 'up', undefined, at(7));
      expect(await storage.feedback.threadsRated('down', 10)).toEqual(['t4', 't1']);
    });
  });

  describe('meta', () => {
    it('creates a value once and returns the stored one afterwards', async () => {
      expect(await storage.meta.get('secret')).toBeUndefined();
      expect(await storage.meta.getOrCreate('secret', () => 'first')).toBe('first');
      let called = false;
      const again = await storage.meta.getOrCreate('secret', () => {
        called = true;
        return 'second';
      });
      expect(again).toBe('first');
      expect(called).toBe(false);
      expect(await storage.meta.get('secret')).toBe('first');
    });

    it('two racing getOrCreate calls agree on one stored value', async () => {
      const values = await Promise.all([storage.meta.getOrCreate('secret', () => 'a'), storage.meta.getOrCreate('secret', () => 'b')]);
      const stored = await storage.meta.get('secret');
      expect(['a', 'b']).toContain(stored);
      expect(values).toEqual([stored, stored]);
    });

    it('checkWritable writes its own row each time and leaves the other settings alone; a closed storage throws', async () => {
      await storage.meta.getOrCreate('secret', () => 'kept');
      await storage.meta.checkWritable('2026-01-01T00:00:00.000Z');
      await storage.meta.checkWritable('2026-01-01T00:00:01.000Z');
      expect(await storage.meta.get('ready_check')).toBe('2026-01-01T00:00:01.000Z');
      expect(await storage.meta.get('secret')).toBe('kept');
      await storage.close();
      await expect(storage.meta.checkWritable('2026-01-01T00:00:02.000Z')).rejects.toThrow();
    });
  });

  describe('usage', () => {
    it('adds tokens and threads per scope, key and day; unknown ones are zero', async () => {
      await storage.usage.addTokens('identity', 'visitor:v1', '2026-01-01', 100);
      await storage.usage.addTokens('identity', 'visitor:v1', '2026-01-01', 20.4);
      await storage.usage.addTokens('identity', 'visitor:v1', '2026-01-01', 0);
      await storage.usage.countThread('identity', 'visitor:v1', '2026-01-01');
      await storage.usage.countThread('identity', 'visitor:v1', '2026-01-01');
      await storage.usage.countThread('site', 'visitor:v1', '2026-01-01');
      await storage.usage.addTokens('identity', 'visitor:v1', '2026-01-02', 5);

      expect(await storage.usage.on('identity', 'visitor:v1', '2026-01-01')).toEqual({ tokens: 120, threads: 2 });
      expect(await storage.usage.on('site', 'visitor:v1', '2026-01-01')).toEqual({ tokens: 0, threads: 1 });
      expect(await storage.usage.on('identity', 'visitor:v1', '2026-01-02')).toEqual({ tokens: 5, threads: 0 });
      expect(await storage.usage.on('identity', 'visitor:v2', '2026-01-01')).toEqual({ tokens: 0, threads: 0 });
    });

    it('loses no increment when many land at once', async () => {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          i % 2 === 0 ? storage.usage.addTokens('site', 's1', '2026-01-01', 10) : storage.usage.countThread('site', 's1', '2026-01-01'),
        ),
      );
      expect(await storage.usage.on('site', 's1', '2026-01-01')).toEqual({ tokens: 130, threads: 12 });
    });

    it('prunes days before a day and says how many counters went', async () => {
      await storage.usage.addTokens('identity', 'a', '2025-12-30', 1);
      await storage.usage.addTokens('site', 'b', '2025-12-31', 1);
      await storage.usage.addTokens('identity', 'a', '2026-01-01', 1);
      expect(await storage.usage.pruneBefore('2026-01-01')).toBe(2);
      expect(await storage.usage.on('identity', 'a', '2025-12-30')).toEqual({ tokens: 0, threads: 0 });
      expect(await storage.usage.on('identity', 'a', '2026-01-01')).toEqual({ tokens: 1, threads: 0 });
      expect(await storage.usage.pruneBefore('2026-01-01')).toBe(0);
    });
  });

  describe('run steps, usage ledger, traces', () => {
    const step = (runId: string, n: number, model: string | null, tokens: [number, number], threadId = 't1'): StorageOp => ({
      op: 'run_step.insert',
      step: { threadId, runId, step: n, afterSeq: n * 2, type: model ? 'model_call' : 'guardrail_check', agent: 'triage', model, inputTokens: tokens[0], outputTokens: tokens[1], startedAt: at(n), json: JSON.stringify({ n, provider: 'openai' }) },
    });
    const ledger = (day: string, site: string, agent: string, model: string, input: number, output: number, provider = 'openai'): StorageOp => ({
      op: 'ledger.add',
      entry: { day, site, workflow: 'support', agent, model, provider, inputTokens: input, outputTokens: output },
    });

    it('stores a run’s steps in order and sums a thread’s tokens per run and model', async () => {
      await storage.threads.insert(threadRecord('t1'));
      await storage.apply([step('r1', 1, 'gpt-a', [100, 10]), step('r1', 2, null, [0, 0]), step('r1', 3, 'gpt-a', [50, 5]), step('r2', 1, 'gpt-b', [7, 1])]);
      const steps = await storage.runSteps.ofRun('r1');
      expect(steps.map((x) => [x.step, x.afterSeq])).toEqual([[1, 2], [2, 4], [3, 6]]);
      expect(JSON.parse(steps[0]!.json)).toEqual({ n: 1, provider: 'openai' });
      expect(await storage.runSteps.usageOfThread('t1')).toEqual([
        { runId: 'r1', model: 'gpt-a', provider: 'openai', calls: 2, inputTokens: 150, outputTokens: 15 },
        { runId: 'r2', model: 'gpt-b', provider: 'openai', calls: 1, inputTokens: 7, outputTokens: 1 },
      ]);
      // A step is stored once: the same (run, step) again rejects the whole batch.
      await expect(storage.apply([step('r1', 1, 'gpt-a', [1, 1])])).rejects.toThrow();
      await storage.threads.delete('t1');
      expect(await storage.runSteps.ofRun('r1')).toEqual([]);
    });

    it('adds model calls to the ledger and groups it by any dimensions within days', async () => {
      await storage.apply([
        ledger('2026-01-01', 'shop', 'triage', 'gpt-a', 10, 1),
        ledger('2026-01-01', 'shop', 'triage', 'gpt-a', 20, 2),
        ledger('2026-01-01', 'shop', 'billing', 'gpt-a', 5, 5),
        ledger('2026-01-02', 'blog', 'triage', 'gpt-b', 1, 1, 'offline'),
        ledger('2026-01-03', 'shop', 'triage', 'gpt-a', 100, 100),
      ]);
      expect(await storage.ledger.query({ from: '2026-01-01', to: '2026-01-02', groupBy: ['day', 'site'] })).toEqual([
        { day: '2026-01-01', site: 'shop', calls: 3, inputTokens: 35, outputTokens: 8 },
        { day: '2026-01-02', site: 'blog', calls: 1, inputTokens: 1, outputTokens: 1 },
      ]);
      expect(await storage.ledger.query({ from: '2026-01-01', to: '2026-01-03', site: 'shop', groupBy: ['agent'] })).toEqual([
        { agent: 'billing', calls: 1, inputTokens: 5, outputTokens: 5 },
        { agent: 'triage', calls: 3, inputTokens: 130, outputTokens: 103 },
      ]);
      expect(await storage.ledger.query({ from: '2026-01-01', to: '2026-01-03', groupBy: ['provider'] })).toEqual([
        { provider: 'offline', calls: 1, inputTokens: 1, outputTokens: 1 },
        { provider: 'openai', calls: 4, inputTokens: 135, outputTokens: 108 },
      ]);
      expect(await storage.ledger.query({ from: '2027-01-01', to: '2027-01-31', groupBy: [] })).toEqual([{ calls: 0, inputTokens: 0, outputTokens: 0 }]);
    });

    it('keeps a run’s trace until exported; saving it again makes it due again', async () => {
      await storage.threads.insert(threadRecord('t1'));
      const trace = (runId: string, minute: number, json = '[]') => ({ op: 'trace.save', trace: { runId, threadId: 't1', startedAt: at(minute), json } }) as const;
      await storage.apply([trace('r2', 2), trace('r1', 1)]);
      expect((await storage.traces.unexported(10)).map((t) => t.runId)).toEqual(['r1', 'r2']);
      await storage.traces.markExported(['r1'], at(5));
      expect(await storage.traces.get('r1')).toEqual({ runId: 'r1', threadId: 't1', startedAt: at(1), json: '[]', exportedAt: at(5) });
      expect((await storage.traces.unexported(10)).map((t) => t.runId)).toEqual(['r2']);
      await storage.apply([trace('r1', 1, '[1]')]);
      expect((await storage.traces.unexported(1)).map((t) => [t.runId, t.json])).toEqual([['r1', '[1]']]);
      expect((await storage.traces.ofThread('t1')).map((t) => t.runId)).toEqual(['r1', 'r2']);
      await storage.threads.delete('t1');
      expect(await storage.traces.get('r1')).toBeUndefined();
    });
  });
});
