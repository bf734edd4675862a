import type { ThreadEvent } from '@agent-chat/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type SqliteStorage, createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { StorageConflict, type StorageOp } from '../../src/store/storage.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

const NOW = '2026-03-10T12:00:00.000Z';

describe('SQLite storage', () => {
  const open: SqliteStorage[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  async function setup(dir = tempDataDir()) {
    dirs.push(dir);
    const storage = createSqliteStorage(dir);
    open.push(storage);
    if (!(await storage.threads.get('thr_1'))) {
      await storage.threads.insert({ id: 'thr_1', owner: 'o', workflow: 'support', title: '', currentAgent: 'triage', createdAt: NOW, updatedAt: NOW, lastSeq: 0 });
    }
    return storage;
  }

  const append = (event: ThreadEvent): StorageOp => ({ op: 'event.append', event, json: JSON.stringify(event), createdAt: NOW });
  const started = (seq: number, runId = `run_${seq}`): ThreadEvent => ({ type: 'run.started', threadId: 'thr_1', seq, runId, agent: 'triage' });
  const delta = (seq: number, itemId = 'itm_1'): ThreadEvent => ({ type: 'text.delta', threadId: 'thr_1', seq, itemId, delta: `d${seq}` });

  it('Should refuse a batch holding a seq another writer stored, with StorageConflict, and write nothing of it', async () => {
    const storage = await setup();
    await storage.apply([append(started(1)), { op: 'thread.touch', threadId: 'thr_1', lastSeq: 1, updatedAt: NOW }]);
    // A second writer that also counted from 0: its whole batch goes, the title change with it.
    const second = storage.apply([
      { op: 'thread.title_if_empty', threadId: 'thr_1', title: 'from the loser' },
      append(started(2, 'run_x')),
      append(started(1, 'run_y')),
      { op: 'thread.touch', threadId: 'thr_1', lastSeq: 2, updatedAt: '2026-03-10T13:00:00.000Z' },
    ]);
    await expect(second).rejects.toBeInstanceOf(StorageConflict);
    expect((await storage.events.since('thr_1', 0)).map((e) => e.type === 'run.started' && e.runId)).toEqual(['run_1']);
    expect(await storage.threads.get('thr_1')).toMatchObject({ title: '', lastSeq: 1, updatedAt: NOW });
    // Any other failure rejects as itself (here: an item id stored twice), again writing nothing.
    const item = { id: 'itm_1', type: 'user_message' as const, createdAt: NOW, text: 'hi', attachments: [] };
    const insert: StorageOp = { op: 'item.insert', threadId: 'thr_1', position: 1, item, runId: null, createdAt: NOW };
    const other = storage.apply([append(started(2)), insert, { ...insert, position: 2 }]);
    await expect(other).rejects.toThrow(/UNIQUE/);
    await expect(other).rejects.not.toBeInstanceOf(StorageConflict);
    expect(await storage.events.lastSeq('thr_1')).toBe(1);
    expect(await storage.items.all('thr_1')).toEqual([]);
  });

  it('Should never move the thread row\'s last seq back, while updated_at follows each touch', async () => {
    const storage = await setup();
    await storage.apply([{ op: 'thread.touch', threadId: 'thr_1', lastSeq: 9, updatedAt: '2026-03-10T12:00:09.000Z' }]);
    await storage.apply([{ op: 'thread.touch', threadId: 'thr_1', lastSeq: 4, updatedAt: '2026-03-10T12:00:10.000Z' }]);
    expect(await storage.threads.get('thr_1')).toMatchObject({ lastSeq: 9, updatedAt: '2026-03-10T12:00:10.000Z' });
  });

  it('Should move compacted_seq with compact_run and forget_item, and never back', async () => {
    const storage = await setup();
    const removed: ThreadEvent = { type: 'item.removed', threadId: 'thr_1', seq: 7, itemId: 'itm_2', reason: 'guardrail' };
    const added: ThreadEvent = { type: 'item.added', threadId: 'thr_1', seq: 5, item: { id: 'itm_2', type: 'assistant_message', createdAt: NOW, agent: 'triage', text: '', status: 'in_progress' } };
    await storage.apply([append(started(1)), append(delta(2)), append(delta(3)), append(started(4)), append(added), append(delta(6, 'itm_2')), append(removed)]);
    await storage.apply([{ op: 'events.forget_item', threadId: 'thr_1', itemId: 'itm_2', fromSeq: 5 }]);
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(6);
    expect((await storage.events.since('thr_1', 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 7]);
    // The first run's deltas go, and every event before the last of them: the point is 3, not back from 6.
    await storage.apply([{ op: 'events.compact_run', threadId: 'thr_1', afterSeq: 1, throughSeq: 4 }]);
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(6);
    expect((await storage.events.since('thr_1', 0)).map((e) => e.seq)).toEqual([4, 7]);
    const between = await storage.events.between('thr_1', 3, 7, 10);
    expect(between.map((e) => e.seq)).toEqual([4, 7]);
    expect(JSON.parse(between[1]!.json)).toEqual(removed);
  });

  it('Should keep approvals until cleared, agree on one meta value, and count usage atomically per day', async () => {
    const storage = await setup();
    await storage.apply([
      { op: 'approval.decide', threadId: 'thr_1', decision: { callId: 'call_1', approved: true }, decidedAt: NOW },
      { op: 'approval.decide', threadId: 'thr_1', decision: { callId: 'call_2', approved: false, reason: 'no' }, decidedAt: NOW },
    ]);
    expect([...(await storage.approvals.forThread('thr_1')).values()]).toEqual([
      { callId: 'call_1', approved: true },
      { callId: 'call_2', approved: false, reason: 'no' },
    ]);
    await storage.apply([{ op: 'approval.clear', threadId: 'thr_1' }]);
    expect((await storage.approvals.forThread('thr_1')).size).toBe(0);

    const [a, b] = await Promise.all([storage.meta.getOrCreate('k', () => 'first'), storage.meta.getOrCreate('k', () => 'second')]);
    expect([a, b]).toEqual(['first', 'first']);
    await Promise.all([1, 2, 3].map((n) => storage.usage.addTokens('identity', 'o', '2026-03-10', n)));
    await storage.usage.countThread('identity', 'o', '2026-03-10');
    expect(await storage.usage.on('identity', 'o', '2026-03-10')).toEqual({ tokens: 6, threads: 1 });
    expect(await storage.usage.pruneBefore('2026-03-11')).toBe(1);
  });

  it('Should read items newest first where the contract says so, and all of them in order', async () => {
    const storage = await setup();
    const ops: StorageOp[] = [1, 2, 3, 4].map((position) => ({
      op: 'item.insert',
      threadId: 'thr_1',
      position,
      item: { id: `itm_${position}`, type: 'user_message', createdAt: NOW, text: `m${position}`, attachments: [] },
      runId: null,
      createdAt: NOW,
    }));
    await storage.apply(ops);
    const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);
    expect(ids(await storage.items.newest('thr_1', 3))).toEqual(['itm_4', 'itm_3', 'itm_2']);
    expect(ids(await storage.items.before('thr_1', 3, 5))).toEqual(['itm_2', 'itm_1']);
    expect(ids(await storage.items.all('thr_1'))).toEqual(['itm_1', 'itm_2', 'itm_3', 'itm_4']);
    expect(await storage.items.maxPosition('thr_1')).toBe(4);
    expect(await storage.items.get('thr_1', 'itm_2')).toMatchObject({ position: 2, runId: null });
  });
});
