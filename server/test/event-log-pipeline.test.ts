import type { AssistantMessageItem, ThreadEvent } from '@agent-chat/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../src/conversation/event-log.ts';
import { ThreadHub } from '../src/conversation/thread-hub.ts';
import { type Logger, silentLogger } from '../src/logger.ts';
import { type SqliteStorage, createSqliteStorage } from '../src/store/sqlite/sqlite-storage.ts';
import type { StorageOp } from '../src/store/storage.ts';
import { removeDir, tempDataDir } from './helpers/temp-dir.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One call of `apply`, held until the test lets it through (to the real SQLite file) or fails it. */
interface HeldApply {
  ops: readonly StorageOp[];
  pass(): void;
  fail(error: Error): void;
}

/** Event seqs a batch stores, in order. */
const seqsOf = (ops: readonly StorageOp[]) => ops.flatMap((o) => (o.op === 'event.append' ? [o.event.seq] : []));

describe('EventLog over an asynchronous storage', () => {
  const dirs: string[] = [];
  const stores: SqliteStorage[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  /** A real SQLite storage whose `apply` waits for the test: an apply in flight for as long as it likes. */
  async function setup(log: Logger = silentLogger) {
    const dir = tempDataDir();
    dirs.push(dir);
    const real = createSqliteStorage(dir);
    stores.push(real);
    const now = new Date().toISOString();
    await real.threads.insert({ id: 'thr_1', owner: 'o', workflow: 'support', title: '', currentAgent: 'triage', createdAt: now, updatedAt: now, lastSeq: 0 });
    const held: HeldApply[] = [];
    const storage: SqliteStorage = {
      ...real,
      apply: (ops) =>
        new Promise<void>((resolve, reject) => {
          held.push({ ops, pass: () => void real.apply(ops).then(resolve, reject), fail: reject });
        }),
    };
    const hub = new ThreadHub(silentLogger);
    const eventLog = new EventLog({ storage, hub, log, mergeTextDeltas: false });
    const release = await eventLog.acquire('thr_1');
    const published: number[] = [];
    hub.subscribe('thr_1', (event) => published.push(event.seq));
    const stored = () => real.db.prepare<[], { seq: number }>("SELECT seq FROM events WHERE thread_id = 'thr_1' ORDER BY seq").all().map((r) => r.seq);
    return { eventLog, held, published, stored, release, real };
  }

  const item = (id: string): AssistantMessageItem => ({ id, type: 'assistant_message', createdAt: new Date().toISOString(), agent: 'triage', text: '', status: 'in_progress' });
  const added = (id: string) => ({ type: 'item.added' as const, item: item(id) });

  /** Lets microtasks and a turn run until `check` holds (the apply's resolution is a few hops away). */
  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 50 && !check(); i++) await turn();
    expect(check()).toBe(true);
  }

  it('Should keep one apply in flight while the next batch gathers, and publish that batch after it, in seq order', async () => {
    const { eventLog, held, published, stored } = await setup();
    eventLog.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' }); // 1
    eventLog.append('thr_1', added('itm_1')); // 2
    let flushed = false;
    const whenFlushed = eventLog.whenFlushed().then(() => (flushed = true));
    await turn();
    expect(held).toHaveLength(1);
    expect(seqsOf(held[0]!.ops)).toEqual([1, 2]);

    // Appended while the first batch is being applied: they wait, whatever the turns.
    eventLog.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'a' }); // 3
    await turn();
    eventLog.append('thr_1', { type: 'text.delta', itemId: 'itm_1', delta: 'b' }); // 4
    eventLog.append('thr_1', added('itm_2')); // 5
    await turn();
    await turn();
    expect(held).toHaveLength(1); // never two applies at once
    expect(published).toEqual([]); // nothing leaves before its apply resolved
    expect(stored()).toEqual([]);

    held[0]!.pass();
    await until(() => held.length === 2);
    expect(published).toEqual([1, 2]);
    expect(seqsOf(held[1]!.ops)).toEqual([3, 4, 5]); // everything gathered meanwhile, as one batch
    expect(held[1]!.ops.filter((o) => o.op === 'item.update')).toHaveLength(1); // the item's two deltas: one update
    expect(flushed).toBe(true); // it waited for what was appended before it, not for the rest
    let flushedAll = false;
    const whenAll = eventLog.whenFlushed().then(() => (flushedAll = true));
    await turn();
    expect(flushedAll).toBe(false);

    held[1]!.pass();
    await whenAll;
    await whenFlushed;
    expect(published).toEqual([1, 2, 3, 4, 5]);
    expect(stored()).toEqual([1, 2, 3, 4, 5]);
    expect(eventLog.stats).toMatchObject({ transactions: 2, events: 5 });
  });

  it('Should drop a failed batch and what its thread gathered behind it, and carry on from what is stored with no gap', async () => {
    const errors: unknown[] = [];
    const { eventLog, held, published, stored, real } = await setup({ info() {}, warn() {}, error: (_m, e) => errors.push(e) });
    eventLog.append('thr_1', added('itm_1')); // 1
    await turn();
    held[0]!.pass();
    await until(() => published.length === 1);
    eventLog.append('thr_1', { type: 'run.started', runId: 'run_1', agent: 'triage' }); // 2
    eventLog.append('thr_1', added('itm_2')); // 3
    await turn();
    eventLog.append('thr_1', added('itm_3')); // 4, gathered behind the batch that fails
    held[1]!.fail(new Error('disk full'));
    await until(() => errors.length === 1);
    await turn();
    expect(held).toHaveLength(2); // the gathered event went with its batch

    const next = eventLog.append('thr_1', added('itm_4'));
    expect(next.seq).toBe(2); // from what is stored
    await turn();
    expect(held).toHaveLength(3);
    held[2]!.pass();
    await eventLog.whenFlushed();
    expect(stored()).toEqual([1, 2]);
    expect(published).toEqual([1, 2]);
    // Its position follows the stored items too: no hole where the lost ones were.
    expect(await real.items.get('thr_1', 'itm_4')).toMatchObject({ position: 2 });
  });

  it('Should run a snapshot read only between applies, and take no batch while it reads', async () => {
    const { eventLog, held, published, stored } = await setup();
    eventLog.append('thr_1', added('itm_1')); // 1
    await turn();
    expect(held).toHaveLength(1);
    let finishRead: () => void = () => {};
    const seen: Array<{ stored: number[]; published: number[] }> = [];
    const reading = eventLog.snapshot(async () => {
      seen.push({ stored: stored(), published: [...published] });
      await new Promise<void>((resolve) => (finishRead = resolve));
      return 'read';
    });
    await turn();
    expect(seen).toEqual([]); // not while the batch is half way

    held[0]!.pass();
    await until(() => seen.length === 1);
    // What is stored is exactly what was published: a subscription made here misses and repeats nothing.
    expect(seen[0]).toEqual({ stored: [1], published: [1] });
    eventLog.append('thr_1', added('itm_2')); // 2
    await turn();
    await turn();
    expect(held).toHaveLength(1); // no batch is taken while the read runs

    finishRead();
    expect(await reading).toBe('read');
    await until(() => held.length === 2);
    expect(seqsOf(held[1]!.ops)).toEqual([2]);
    held[1]!.pass();
    await eventLog.whenFlushed();
    expect(published).toEqual([1, 2]);
  });

  it('Should forget an idle thread nobody holds, and load it again from storage when acquired', async () => {
    const { eventLog, held, release } = await setup();
    eventLog.append('thr_1', added('itm_1')); // 1
    eventLog.append('thr_1', { type: 'item.done', item: { ...item('itm_1'), status: 'done' } }); // 2
    release();
    await turn();
    held[0]!.pass();
    await eventLog.whenFlushed();
    // Idle and released: appending needs it acquired again.
    expect(() => eventLog.append('thr_1', added('itm_x'))).toThrow(/No such thread/);
    const again = await eventLog.acquire('thr_1');
    const e = eventLog.append('thr_1', added('itm_2')) as Extract<ThreadEvent, { type: 'item.added' }>;
    expect(e.seq).toBe(3);
    await turn();
    held[1]!.pass();
    await eventLog.whenFlushed();
    again();
    expect(held[1]!.ops).toContainEqual(expect.objectContaining({ op: 'item.insert', position: 2 }));
  });
});
