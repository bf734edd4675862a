import type { AssistantMessageItem, Item, ThreadEvent } from '@agent-chat/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventLog } from '../src/conversation/event-log.ts';
import { ThreadHub } from '../src/conversation/thread-hub.ts';
import { silentLogger } from '../src/logger.ts';
import { openDatabase } from '../src/store/sqlite/database.ts';
import { MIGRATIONS } from '../src/store/sqlite/migrations.ts';
import { type SqliteStorage, createSqliteStorage } from '../src/store/sqlite/sqlite-storage.ts';
import type { StorageOp } from '../src/store/storage.ts';
import { removeDir, tempDataDir } from './helpers/temp-dir.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('EventLog', () => {
  const dirs: string[] = [];
  const stores: SqliteStorage[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  /** A log over a fresh (or `dir`'s) database with thread `thr_1`, held so it can be appended to. */
  async function setup(dir = tempDataDir(), options: { mergeTextDeltas?: boolean; compactionDelayMs?: number } = {}) {
    dirs.push(dir);
    const storage = createSqliteStorage(dir);
    stores.push(storage);
    const hub = new ThreadHub(silentLogger);
    const log = new EventLog({ storage, hub, log: silentLogger, ...options });
    const now = new Date().toISOString();
    if (!(await storage.threads.get('thr_1'))) {
      await storage.threads.insert({ id: 'thr_1', owner: 'o', workflow: 'support', title: '', currentAgent: 'triage', createdAt: now, updatedAt: now, lastSeq: 0 });
    }
    const release = await log.acquire('thr_1');
    return { storage, hub, log, dir, release };
  }

  /** What `thr_1` has stored right now (read synchronously, from inside a subscriber). */
  const storedSeqs = (storage: SqliteStorage) => storage.db.prepare<[], { seq: number }>("SELECT seq FROM events WHERE thread_id = 'thr_1'").all().map((r) => r.seq);

  /** The item updates of every batch applied since `spy` was made. */
  const itemUpdates = (spy: { mock: { calls: Array<[readonly StorageOp[]]> } }) => spy.mock.calls.flatMap(([ops]) => ops.filter((o) => o.op === 'item.update'));

  const assistant = (id: string): AssistantMessageItem => ({ id, type: 'assistant_message', createdAt: new Date().toISOString(), agent: 'triage', text: '', status: 'in_progress' });

  it('Should number events 1, 2, 3… and deliver them only after their transaction commits', async () => {
    const { storage, hub, log } = await setup();
    const seen: Array<{ event: ThreadEvent; storedAtDelivery: number }> = [];
    hub.subscribe('thr_1', (event) => {
      seen.push({ event, storedAtDelivery: storedSeqs(storage).filter((seq) => seq === event.seq).length });
    });
    const a = log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' });
    const b = log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    const c = log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'Hi' });
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(seen).toHaveLength(0); // nothing leaves before the commit
    expect(await storage.events.since('thr_1', 0)).toHaveLength(0);
    await log.whenFlushed();
    expect(seen.map((s) => s.event.seq)).toEqual([1, 2, 3]);
    expect(seen.every((s) => s.storedAtDelivery === 1)).toBe(true);
    expect((await storage.threads.get('thr_1'))?.lastSeq).toBe(3);
    expect(await storage.events.lastSeq('thr_1')).toBe(3);
  });

  it('Should commit everything appended in one turn in one transaction, the deltas of one item merged into one event and one item UPDATE', async () => {
    const { storage, hub, log } = await setup();
    const applied = vi.spyOn(storage, 'apply');
    const sent: ThreadEvent[] = [];
    hub.subscribe('thr_1', (event) => sent.push(event));
    const before = log.stats.transactions;
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    let expected = '';
    for (let t = 0; t < 4; t++) {
      for (let i = 0; i < 250; i++) {
        const delta = `w${t}.${i} `;
        expected += delta;
        log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta });
      }
      await turn();
    }
    await log.whenFlushed();
    // A group commit per turn; each turn's 250 deltas of the item went out as one event.
    expect(log.stats.transactions - before).toBe(4);
    expect(log.stats.mergedDeltas).toBe(4 * 249);
    expect(applied.mock.calls.length).toBe(4);
    expect(itemUpdates(applied)).toHaveLength(4); // one UPDATE per item per transaction
    const row = await storage.items.get('thr_1', 'itm_1');
    expect(row?.item.type === 'assistant_message' && row.item.text).toBe(expected);
    const stored = await storage.events.since('thr_1', 0);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sent).toEqual(stored); // sent exactly as stored
    expect(stored.map((e) => (e.type === 'text.delta' ? e.delta : '')).join('')).toBe(expected);
  });

  it('Should merge a delta only into the same item\'s delta that still waits for the commit, up to 4,096 characters', async () => {
    const { storage, log } = await setup();
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') }); // 1
    log.append('thr_1', { type: 'item.added', item: assistant('itm_2') }); // 2
    const a = log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'a' }); // 3
    const b = log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'b' }); // merged into 3
    expect(b).toBe(a);
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_2', delta: 'x' }); // 4: another item
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'c' }); // 5: not across itm_2's delta
    log.append('thr_1', { type: 'item.done', item: { ...assistant('itm_2'), text: 'x', status: 'done' } }); // 6
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'd' }); // 7: not across another event
    log.enqueueOps('thr_1', []);
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'e' }); // 8: not across a queued write
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'y'.repeat(4095) }); // merged into 8: exactly 4,096
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'z' }); // 9: 4,097 would be too long
    await log.whenFlushed();
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'f' }); // 10: not across a commit
    await log.whenFlushed();
    const deltas = (await storage.events.since('thr_1', 0)).flatMap((e) => (e.type === 'text.delta' ? [`${e.seq}:${e.itemId}:${e.delta.length > 8 ? e.delta.length : e.delta}`] : []));
    expect(deltas).toEqual(['3:itm_1:ab', '4:itm_2:x', '5:itm_1:c', '7:itm_1:d', '8:itm_1:4096', '9:itm_1:z', '10:itm_1:f']);
    expect((await storage.items.get('thr_1', 'itm_1'))?.item).toMatchObject({ text: `abcde${'y'.repeat(4095)}zf` });
  });

  it('Should keep one event per delta when merging is off', async () => {
    const { storage, log } = await setup(undefined, { mergeTextDeltas: false });
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    for (const delta of ['a', 'b', 'c']) log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta });
    await log.whenFlushed();
    expect((await storage.events.since('thr_1', 0)).map((e) => `${e.seq}:${e.type}`)).toEqual(['1:item.added', '2:text.delta', '3:text.delta', '4:text.delta']);
    expect(log.stats.mergedDeltas).toBe(0);
  });

  it('Should commit and deliver a lone token by the end of the turn it was appended in, never before its commit', async () => {
    const { storage, hub, log } = await setup();
    const seen: Array<{ type: string; stored: boolean }> = [];
    hub.subscribe('thr_1', (event) => seen.push({ type: event.type, stored: storedSeqs(storage).includes(event.seq) }));
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    await turn();
    expect(seen.map((e) => e.type)).toEqual(['item.added']);
    const before = log.stats;
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'a' });
    expect(seen).toHaveLength(1); // not before the commit
    await turn();
    // A slow stream's token does not wait for company: it costs a small transaction of its own.
    expect(seen.map((e) => e.type)).toEqual(['item.added', 'text.delta']);
    expect(seen.every((e) => e.stored)).toBe(true);
    expect(log.stats.transactions - before.transactions).toBe(1);
    expect(log.stats.loneDeltas - before.loneDeltas).toBe(1);
    expect((await storage.items.get('thr_1', 'itm_1'))?.item).toMatchObject({ text: 'a' });
  });

  it('Should give each subscriber the exact JSON that was stored, one string shared by all', async () => {
    const { storage, hub, log } = await setup();
    const frames: string[][] = [[], []];
    for (const list of frames) hub.subscribe('thr_1', (_event, frame) => list.push(frame));
    log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' });
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'é "quoted" \n' });
    await log.whenFlushed();
    const stored = storage.db.prepare<[], { json: string }>('SELECT json FROM events ORDER BY seq').all().map((r) => r.json);
    expect(frames[0]).toHaveLength(3);
    expect(frames[0]).toEqual(stored); // byte for byte
    expect(frames[1]).toEqual(stored);
    expect(frames[0]!.map((f) => JSON.parse(f) as ThreadEvent)).toEqual(await storage.events.since('thr_1', 0));
  });

  it('Should store what was appended even if the caller mutates its objects afterwards', async () => {
    const { storage, log } = await setup();
    const item = assistant('itm_1');
    log.append('thr_1', { type: 'item.added', item });
    item.text = 'changed later';
    await log.whenFlushed();
    const [added] = await storage.events.since('thr_1', 0);
    expect(added?.type === 'item.added' && added.item.type === 'assistant_message' && added.item.text).toBe('');
  });

  it('Should keep the projection in step: done replaces, removed deletes, user text titles the thread, handoff sets the agent', async () => {
    const { storage, log } = await setup();
    const now = new Date().toISOString();
    const user: Item = { id: 'itm_u', type: 'user_message', createdAt: now, text: '  Where   is my\norder?  ', attachments: [] };
    log.append('thr_1', { type: 'item.added', item: user });
    log.append('thr_1', { type: 'item.added', item: { id: 'itm_h', type: 'handoff', createdAt: now, from: 'triage', to: 'billing' } });
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'Sure' });
    await log.whenFlushed();
    expect(log.openItems('thr_1').map((i) => i.id)).toEqual(['itm_1']);
    log.append('thr_1', { type: 'item.done', item: { ...assistant('itm_1'), text: 'Sure thing', status: 'done' } });
    log.append('thr_1', { type: 'item.added', item: assistant('itm_2') });
    log.append('thr_1', { type: 'item.removed', itemId: 'itm_2', reason: 'guardrail' });
    await log.whenFlushed();
    expect((await storage.items.all('thr_1')).map((i) => i.id)).toEqual(['itm_u', 'itm_h', 'itm_1']);
    const done = (await storage.items.get('thr_1', 'itm_1'))?.item;
    expect(done?.type === 'assistant_message' && [done.text, done.status]).toEqual(['Sure thing', 'done']);
    const thread = await storage.threads.get('thr_1');
    expect(thread?.title).toBe('Where is my order?');
    expect(thread?.currentAgent).toBe('billing');
    expect(log.openItems('thr_1')).toEqual([]);
  });

  it('Should continue seq and item positions after the database is reopened', async () => {
    const first = await setup();
    first.log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    first.log.append('thr_1', { type: 'item.done', item: { ...assistant('itm_1'), status: 'done' } });
    await first.log.whenFlushed();
    await first.storage.close();
    const second = await setup(first.dir);
    const e = second.log.append('thr_1', { type: 'item.added', item: assistant('itm_2') });
    expect(e.seq).toBe(3);
    await second.log.whenFlushed();
    expect((await second.storage.items.all('thr_1')).map((i) => i.id)).toEqual(['itm_1', 'itm_2']);
    expect((await second.storage.items.get('thr_1', 'itm_2'))?.position).toBe(2);
  });

  it('Should continue after a crash that followed commits holding only deltas (the thread row is not written per token)', async () => {
    const first = await setup();
    first.log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' });
    first.log.append('thr_1', { type: 'item.added', item: assistant('itm_1') });
    await turn();
    for (const delta of ['a', 'b', 'c']) {
      first.log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta });
      await turn();
    }
    await first.log.whenFlushed();
    expect((await first.storage.threads.get('thr_1'))?.lastSeq).toBe(2); // deltas-only commits left the row alone
    expect(await first.storage.events.lastSeq('thr_1')).toBe(5);
    await first.storage.close(); // a crash: nothing else is written
    const second = await setup(first.dir);
    const e = second.log.append('thr_1', { type: 'run.finished', runId: 'run_1', status: 'failed' });
    expect(e.seq).toBe(6);
    await second.log.whenFlushed();
    expect((await second.storage.threads.get('thr_1'))?.lastSeq).toBe(6);
  });

  it('Should drop what is queued for a thread that is forgotten, and refuse a thread that does not exist', async () => {
    const { storage, log } = await setup();
    log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' });
    log.forgetThread('thr_1');
    await log.whenFlushed();
    expect(await storage.events.since('thr_1', 0)).toEqual([]);
    expect(() => log.append('thr_nope', { type: 'run.started', runId: 'r', agent: 'a' })).toThrow(/No such thread/);
    await expect(log.acquire('thr_nope')).rejects.toThrow(/No such thread/);
  });

  it('Should compact a finished run only after the delay when other instances follow its threads (they read the deltas first)', async () => {
    const { storage, log } = await setup(undefined, { compactionDelayMs: 150 });
    log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' }); // 1
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') }); // 2
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'Hello' }); // 3
    log.append('thr_1', { type: 'item.done', item: { ...assistant('itm_1'), text: 'Hello', status: 'done' } }); // 4
    log.append('thr_1', { type: 'run.finished', runId: 'run_1', status: 'completed' }); // 5
    await log.whenFlushed();
    expect((await storage.events.since('thr_1', 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await log.whenFlushed();
    expect((await storage.events.since('thr_1', 0)).map((e) => e.seq)).toEqual([4, 5]);
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(3);
  });

  it('Should compact a finished run: its deltas and everything before the last of them go with run.finished, item.done keeps the text, compacted_seq marks the point', async () => {
    const { storage, log } = await setup();
    log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' }); // 1
    log.append('thr_1', { type: 'item.added', item: assistant('itm_1') }); // 2
    for (const delta of ['Hello ', 'there ', 'friend']) log.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta }); // 3 (merged)
    await log.whenFlushed();
    expect((await storage.events.since('thr_1', 0)).map((e) => e.type)).toContain('text.delta'); // kept while the run is live
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(0);
    log.append('thr_1', { type: 'item.done', item: { ...assistant('itm_1'), text: 'Hello there friend', status: 'done' } }); // 4
    log.append('thr_1', { type: 'run.finished', runId: 'run_1', status: 'completed' }); // 5
    await log.whenFlushed();
    const rows = await storage.events.since('thr_1', 0);
    // A resume from behind seq 3 gets the items, so nothing before it is kept; what a client
    // that saw the last delta still needs stays.
    expect(rows.map((e) => `${e.seq}:${e.type}`)).toEqual(['4:item.done', '5:run.finished']);
    expect(rows[0]).toMatchObject({ item: { text: 'Hello there friend' } });
    expect(await storage.items.all('thr_1')).toMatchObject([{ id: 'itm_1', text: 'Hello there friend' }]);
    expect(await storage.threads.get('thr_1')).toMatchObject({ compactedSeq: 3, lastSeq: 5 });
    // The next run moves the point on to its own last delta.
    log.append('thr_1', { type: 'run.started', runId: 'run_2', agent: 'triage' }); // 6
    log.append('thr_1', { type: 'item.added', item: assistant('itm_2') }); // 7
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_2', delta: 'Bye' }); // 8
    log.append('thr_1', { type: 'run.finished', runId: 'run_2', status: 'cancelled' }); // 9
    await log.whenFlushed();
    expect((await storage.events.since('thr_1', 0)).map((e) => e.seq)).toEqual([9]);
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(8);
  });

  it('Should not keep a withdrawn answer: item.removed deletes every event that carried its text', async () => {
    const { storage, log } = await setup();
    log.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' }); // 1
    log.append('thr_1', { type: 'item.added', item: assistant('itm_ok') }); // 2
    log.append('thr_1', { type: 'item.done', item: { ...assistant('itm_ok'), text: 'Checking.', status: 'done' } }); // 3
    log.append('thr_1', { type: 'item.added', item: { ...assistant('itm_bad'), text: '' } }); // 4
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_bad', delta: 'the INTERNAL-42 ' }); // 5
    await log.whenFlushed(); // committed (and sent) before the guardrail decided
    log.append('thr_1', { type: 'text.delta', itemId: 'itm_bad', delta: 'notes say' }); // 6
    log.append('thr_1', { type: 'item.removed', itemId: 'itm_bad', reason: 'guardrail' }); // 7
    await log.whenFlushed();
    const rows = await storage.events.since('thr_1', 0);
    expect(rows.map((e) => `${e.seq}:${e.type}`)).toEqual(['1:run.started', '2:item.added', '3:item.done', '7:item.removed']);
    expect(JSON.stringify(rows)).not.toContain('INTERNAL-42');
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(6);
    expect((await storage.items.all('thr_1')).map((i) => i.id)).toEqual(['itm_ok']);
    log.append('thr_1', { type: 'run.finished', runId: 'run_1', status: 'blocked' }); // 8
    await log.whenFlushed();
    expect((await storage.events.since('thr_1', 0)).map((e) => e.seq)).toEqual([1, 2, 3, 7, 8]);
    expect((await storage.threads.get('thr_1'))?.compactedSeq).toBe(6);
  });

  it('Should compact an existing database when it migrates: deltas and withdrawn answers go, compacted_seq is set', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const old = openDatabase(dir, MIGRATIONS.filter((m) => m.version === 1));
    const now = new Date().toISOString();
    old.prepare("INSERT INTO threads (id, owner, workflow, current_agent, created_at, updated_at, last_seq) VALUES ('thr_o', 'o', 'support', 'triage', ?, ?, 6)").run(now, now);
    const rows: Array<[number, string, object]> = [
      [1, 'item.added', { item: { id: 'itm_a' } }],
      [2, 'text.delta', { itemId: 'itm_a', delta: 'hi' }],
      [3, 'item.done', { item: { id: 'itm_a' } }],
      [4, 'item.added', { item: { id: 'itm_w' } }],
      [5, 'item.removed', { itemId: 'itm_w' }],
      [6, 'run.finished', {}],
    ];
    const insert = old.prepare('INSERT INTO events (thread_id, seq, type, json, created_at) VALUES (?, ?, ?, ?, ?)');
    for (const [seq, type, body] of rows) insert.run('thr_o', seq, type, JSON.stringify({ type, seq, threadId: 'thr_o', ...body }), now);
    old.close();
    const storage = createSqliteStorage(dir);
    stores.push(storage);
    expect((await storage.events.since('thr_o', 0)).map((e) => e.seq)).toEqual([1, 3, 5, 6]);
    expect((await storage.threads.get('thr_o'))?.compactedSeq).toBe(4);
  });

  it('Should keep every event, in order and findable by thread and seq, when the log moves to append order', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const old = openDatabase(dir, MIGRATIONS.filter((m) => m.version <= 3));
    const now = new Date().toISOString();
    const thread = old.prepare("INSERT INTO threads (id, owner, workflow, current_agent, created_at, updated_at, last_seq) VALUES (?, 'o', 'support', 'triage', ?, ?, 3)");
    const insert = old.prepare('INSERT INTO events (thread_id, seq, type, json, created_at) VALUES (?, ?, ?, ?, ?)');
    for (const id of ['thr_b', 'thr_a']) {
      thread.run(id, now, now);
      for (const seq of [1, 2, 3]) insert.run(id, seq, 'run.finished', JSON.stringify({ type: 'run.finished', seq, threadId: id }), now);
    }
    old.close();
    const storage = createSqliteStorage(dir);
    stores.push(storage);
    const table = storage.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as { sql: string };
    expect(table.sql).not.toMatch(/WITHOUT ROWID/i);
    for (const id of ['thr_a', 'thr_b']) {
      expect((await storage.events.since(id, 1)).map((e) => [e.threadId, e.seq])).toEqual([[id, 2], [id, 3]]);
    }
    // The (thread, seq) key still holds: the same seq twice is refused.
    expect(() => storage.db.prepare('INSERT INTO events (thread_id, seq, type, json, created_at) VALUES (?, ?, ?, ?, ?)').run('thr_a', 3, 'x', '{}', now)).toThrow(/UNIQUE/);
    // Deleting a thread still takes its events with it.
    await storage.threads.delete('thr_a');
    expect(await storage.events.since('thr_a', 0)).toEqual([]);
    expect(await storage.events.since('thr_b', 0)).toHaveLength(3);
  });

  it('Should keep every item, in order and findable by thread, position and id, when the projection moves to append order', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const old = openDatabase(dir, MIGRATIONS.filter((m) => m.version <= 4));
    const now = new Date().toISOString();
    const thread = old.prepare("INSERT INTO threads (id, owner, workflow, current_agent, created_at, updated_at, last_seq) VALUES (?, 'o', 'support', 'triage', ?, ?, 0)");
    const insert = old.prepare('INSERT INTO items (thread_id, position, id, type, json, run_id, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)');
    for (const id of ['thr_b', 'thr_a']) {
      thread.run(id, now, now);
      for (const position of [1, 2, 3]) {
        const item = { ...assistant(`itm_${id}_${position}`), text: `${id} ${position}`, status: 'done' };
        insert.run(id, position, item.id, item.type, JSON.stringify(item), now);
      }
    }
    old.close();
    const storage = createSqliteStorage(dir);
    stores.push(storage);
    const table = storage.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'items'").get() as { sql: string };
    expect(table.sql).not.toMatch(/WITHOUT ROWID/i);
    for (const id of ['thr_a', 'thr_b']) {
      expect((await storage.items.all(id)).map((i) => (i.type === 'assistant_message' ? i.text : ''))).toEqual([`${id} 1`, `${id} 2`, `${id} 3`]);
      expect((await storage.items.get(id, `itm_${id}_2`))?.position).toBe(2);
    }
    // Both keys still hold: the same position twice, or the same id twice, is refused.
    const again = storage.db.prepare("INSERT INTO items (thread_id, position, id, type, json, created_at) VALUES (?, ?, ?, 'x', '{}', ?)");
    expect(() => again.run('thr_a', 3, 'itm_new', now)).toThrow(/UNIQUE/);
    expect(() => again.run('thr_a', 4, 'itm_thr_b_1', now)).toThrow(/UNIQUE/);
    // Deleting a thread still takes its items with it.
    await storage.threads.delete('thr_a');
    expect(await storage.items.all('thr_a')).toEqual([]);
    expect(await storage.items.all('thr_b')).toHaveLength(3);
  });
});
