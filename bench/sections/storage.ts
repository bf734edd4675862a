/**
 * Section 4 — storage: what a turn leaves on disk, and what opening a long thread costs.
 *
 * Bytes per turn: a fresh DATA_DIR, the demo's support workflow on the offline model, one new
 * thread and one message per turn (a typical visitor), the database measured while running
 * (file + WAL) and after the server closed (WAL checkpointed into the file), minus the empty
 * database. Opening: a thread of 1,000 items (stored as runs store them, deltas compacted),
 * opened without `afterSeq`, with a recent `afterSeq`, and with one behind the compaction point
 * (a reset), interleaved on one socket.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../../shared/src/index.ts';
import { DATABASE_FILE, openDatabase } from '../../server/src/store/sqlite/database.ts';
import { appendLongThread } from '../../server/test/helpers/replay-load.ts';
import { removeDir, startTestServer, tempDataDir } from '../../server/test/helpers/test-server.ts';
import { BENCH_TRANSPORT, NO_QUOTAS } from '../lib/env.ts';
import { type Frame, FrameClient } from '../lib/frame-client.ts';
import { fixed, kb, ms } from '../lib/format.ts';
import { interleave } from '../lib/interleave.ts';
import { stats } from '../lib/stats.ts';
import type { Section } from '../section.ts';

const MESSAGES = ['I was charged twice for order 1234', 'Is the service down?', 'What does the Summit plan include?', 'hello there'];

/** Size of a file, 0 when it does not exist. */
function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The database file and its WAL, in bytes. */
function onDisk(dataDir: string): { db: number; wal: number } {
  const db = join(dataDir, DATABASE_FILE);
  return { db: size(db), wal: size(`${db}-wal`) };
}

/** Rows of every table of the database in `dataDir`. */
function rowCounts(dataDir: string): Record<string, number> {
  const db = openDatabase(dataDir);
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** `turns` demo turns on a fresh data dir: bytes and rows each turn leaves. */
async function bytesPerTurn(turns: number, log: (line: string) => void) {
  const dataDir = tempDataDir();
  try {
    // The empty database (schema, meta) is not the turns' cost.
    await (await startTestServer({ dataDir, env: { ...NO_QUOTAS } })).close();
    const empty = onDisk(dataDir).db + onDisk(dataDir).wal;
    const emptyRows = rowCounts(dataDir);

    const server = await startTestServer({ dataDir, env: { ...NO_QUOTAS }, transport: BENCH_TRANSPORT });
    const client = await FrameClient.connect(server.wsUrl);
    await client.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    const statuses: Record<string, number> = {};
    for (let turn = 0; turn < turns; turn++) {
      const created = await client.request({ type: 'thread.create', workflow: 'support' });
      const threadId = (created.thread as { id: string }).id;
      const finished = new Promise<Frame>((resolve) => {
        client.onFrame = (frame) => {
          if (frame.type === 'run.finished' && frame.threadId === threadId) resolve(frame);
        };
      });
      await client.request({ type: 'message.send', threadId, clientMessageId: `s${turn}`, text: MESSAGES[turn % MESSAGES.length] });
      const status = String((await finished).status);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if ((turn + 1) % 50 === 0) log(`${turn + 1} turns`);
    }
    await server.server.eventLog.whenFlushed();
    const running = onDisk(dataDir);
    await client.close();
    await server.close();
    const closed = onDisk(dataDir);
    const rows = rowCounts(dataDir);
    const perTurn = Object.fromEntries(Object.entries(rows).map(([table, n]) => [table, (n - (emptyRows[table] ?? 0)) / turns]));
    return {
      turns,
      statuses,
      bytesRunning: (running.db + running.wal - empty) / turns,
      bytesCheckpointed: (closed.db + closed.wal - empty) / turns,
      running,
      closed,
      empty,
      rowsPerTurn: perTurn,
    };
  } finally {
    removeDir(dataDir);
  }
}

/** Opening a thread of `items` items three ways, interleaved. */
async function openTimes(items: number, rounds: number, warmup: number) {
  const server = await startTestServer({ env: { ...NO_QUOTAS }, transport: BENCH_TRANSPORT });
  const client = await FrameClient.connect(server.wsUrl);
  try {
    await client.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    const created = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = (created.thread as { id: string }).id;
    // Five items a turn: the message, three tool calls, the answer (its 20 deltas compacted).
    const turns = Math.ceil(items / 5);
    // The socket that created the thread follows it live: let those frames drain first.
    let liveSeq = 0;
    client.onFrame = (frame) => {
      if (frame.threadId === threadId && typeof frame.seq === 'number') liveSeq = frame.seq;
    };
    const events = await appendLongThread(server, threadId, { turns, toolCalls: 3, deltas: 20 });
    while (liveSeq < events) await new Promise((resolve) => setTimeout(resolve, 5));
    const stored = (await server.server.storage.items.newest(threadId, items + 10)).length;
    if (stored !== items) throw new Error(`storage: the long thread holds ${stored} items, not ${items}`);
    const lastSeq = await server.server.storage.events.lastSeq(threadId);
    const perTurn = events / turns;

    /** ms from sending thread.open to the last frame it brings; checks what came back. */
    const open = async (afterSeq: number | undefined, expect: 'items' | 'events' | 'reset'): Promise<number> => {
      let replayed = 0;
      let error: Error | undefined;
      let done: () => void = () => {};
      const lastEvent = new Promise<void>((resolve) => (done = resolve));
      let expected = afterSeq ?? lastSeq;
      client.onFrame = (frame) => {
        if (frame.threadId !== threadId || typeof frame.seq !== 'number') return;
        if (frame.seq !== ++expected) error ??= new Error(`storage: replay sent seq ${frame.seq}, expected ${expected}`);
        replayed++;
        if (frame.seq === lastSeq || error) done();
      };
      const started = performance.now();
      const opened = await client.request({ type: 'thread.open', threadId, ...(afterSeq === undefined ? {} : { afterSeq }) });
      if (expect === 'events') await lastEvent;
      const elapsed = performance.now() - started;
      if (error) throw error;
      const got = opened.reset ? 'reset' : opened.items ? 'items' : 'events';
      if (got !== expect) throw new Error(`storage: thread.open afterSeq ${afterSeq} answered with ${got}, expected ${expect}`);
      if (expect === 'events' && replayed !== lastSeq - afterSeq!) throw new Error(`storage: replayed ${replayed} of ${lastSeq - afterSeq!} events`);
      if (expect !== 'events' && (replayed > 0 || (opened.items as unknown[]).length === 0)) {
        throw new Error(`storage: thread.open answered with ${(opened.items as unknown[]).length} items and ${replayed} events`);
      }
      return elapsed;
    };
    // A client that saw the last answer stream and missed its end (at the compaction point:
    // the deltas before it are no longer kept); one that left 50 turns ago (behind it: a reset).
    const compactedSeq = (await server.server.storage.threads.get(threadId))?.compactedSeq ?? 0;
    const recent = compactedSeq;
    const behind = lastSeq - 50 * Math.round(perTurn);
    const samples = await interleave(
      {
        plain: () => open(undefined, 'items'),
        recent: () => open(recent, 'events'),
        behind: () => open(behind, 'reset'),
      },
      { warmup, rounds },
    );
    return { items, events, lastSeq, compactedSeq, recentAfterSeq: recent, behindAfterSeq: behind, plain: stats(samples.plain), recent: stats(samples.recent), behind: stats(samples.behind) };
  } finally {
    await client.close();
    await server.close();
  }
}

/** Storage figures: bytes and rows per demo turn, and the time to open a 1,000-item thread three ways. */
export const storage: Section = async ({ quick, log }) => {
  const turns = quick ? 8 : 200;
  log(`${turns} demo turns on a fresh data dir`);
  const disk = await bytesPerTurn(turns, log);
  log('opening a 1,000-item thread');
  const opening = await openTimes(1000, quick ? 3 : 40, quick ? 1 : 5);
  const rows = (table: string) => fixed(disk.rowsPerTurn[table] ?? Number.NaN);
  const timing = (s: typeof opening.plain) => `${ms(s.median)} (${ms(s.min)})`;
  return {
    title: 'Storage: bytes and rows per turn, opening a long thread',
    rows: [
      {
        figure: 'bytes on disk per one-message turn (file after checkpoint)',
        value: kb(disk.bytesCheckpointed),
        goal: '≤ 5 KB',
        met: disk.bytesCheckpointed <= 5 * 1024,
      },
      { figure: '  while running (file + WAL)', value: kb(disk.bytesRunning) },
      { figure: 'rows per turn: events / items / runs / threads', value: `${rows('events')} / ${rows('items')} / ${rows('runs')} / ${rows('threads')}` },
      { figure: `open a ${opening.items}-item thread, no afterSeq, median (min)`, value: timing(opening.plain) },
      { figure: `  afterSeq at the compaction point (${opening.lastSeq - opening.recentAfterSeq} events), median (min)`, value: timing(opening.recent) },
      { figure: '  afterSeq behind the compaction point (reset), median (min)', value: timing(opening.behind) },
    ],
    data: { disk, opening },
  };
};
