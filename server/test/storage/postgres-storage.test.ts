import type { ThreadEvent } from '@agent-chat/shared';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage, type PostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/schema.ts';
import { StorageConflict, type StorageOp } from '../../src/store/storage.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from '../helpers/postgres.ts';
import { delta, threadRecord } from '../helpers/storage-fixtures.ts';

/** Resolves once `check` holds (polled), or rejects after `ms`. */
async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// What only Postgres has to prove: several instances on one database.

const T = '2026-01-01T00:00:00.000Z';

describe('postgres storage, several instances on one database', () => {
  const opened: PostgresStorage[] = [];
  const databases: TestDatabase[] = [];

  async function freshDatabase(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  }
  async function open(db: TestDatabase, migrations = POSTGRES_MIGRATIONS): Promise<PostgresStorage> {
    const storage = await createPostgresStorage({ connectionString: db.url, maxConnections: 3, migrations });
    opened.push(storage);
    return storage;
  }
  async function query<R extends pg.QueryResultRow>(db: TestDatabase, sql: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const d of databases.splice(0)) await d.drop();
  });
  afterAll(() => stopTestPostgres());

  it('three instances starting together migrate once', async () => {
    const db = await freshDatabase();
    const [a, b, c] = await Promise.all([open(db), open(db), open(db)]);
    const rows = await query<{ version: number; name: string }>(db, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));

    // They share one database: what one writes, the others read.
    await a!.threads.insert(threadRecord('t1', { owner: 'o' }));
    expect((await b!.threads.get('t1'))?.id).toBe('t1');
    expect(await c!.threads.idsByOwner('o')).toEqual(['t1']);

    // A later start finds nothing to do.
    const before = await query<{ applied_at: string }>(db, 'SELECT applied_at FROM schema_migrations ORDER BY version');
    await open(db);
    expect(await query(db, 'SELECT applied_at FROM schema_migrations ORDER BY version')).toEqual(before);
  });

  it('a failing migration leaves nothing behind, and the server does not start', async () => {
    const db = await freshDatabase();
    const broken = [...POSTGRES_MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT 1 / 0;' }];
    await expect(open(db, broken)).rejects.toThrow(/division by zero/);
    const tables = await query<{ table_name: string }>(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables).toEqual([]);

    await open(db);
    expect(await query(db, 'SELECT version FROM schema_migrations')).toHaveLength(POSTGRES_MIGRATIONS.length);
  });

  it('refuses a database migrated by a newer server', async () => {
    const db = await freshDatabase();
    await open(db);
    await query(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (1000, 'future', '2030-01-01T00:00:00.000Z')");
    await expect(open(db)).rejects.toThrow('the database schema (version 1000) is newer than this server');
  });

  it('two instances appending the same (thread, seq) at once: exactly one wins, the other gets StorageConflict', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([open(db), open(db)]);
    await a.threads.insert(threadRecord('t1'));

    const batch = (seq: number, writer: string): StorageOp[] => {
      const event: ThreadEvent = { type: 'run.started', threadId: 't1', seq, runId: `${writer}-${seq}`, agent: writer };
      return [
        { op: 'event.append', event, json: JSON.stringify(event), createdAt: T },
        { op: 'item.insert', threadId: 't1', position: seq, item: { id: `${writer}-${seq}`, type: 'user_message', text: writer, attachments: [], createdAt: T }, runId: null, createdAt: T },
        { op: 'thread.touch', threadId: 't1', lastSeq: seq, updatedAt: T },
      ];
    };
    for (let seq = 1; seq <= 5; seq++) {
      const results = await Promise.allSettled([a.apply(batch(seq, 'a')), b.apply(batch(seq, 'b'))]);
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i === 0 ? 'a' : 'b'] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(StorageConflict);

      // The winner's event and item are stored, nothing of the loser's batch is.
      const [stored] = await b.events.between('t1', seq - 1, seq, 10);
      expect(JSON.parse(stored!.json)).toMatchObject({ runId: `${won[0]}-${seq}` });
      const loser = won[0] === 'a' ? 'b' : 'a';
      expect(await a.items.get('t1', `${loser}-${seq}`)).toBeUndefined();
      expect(await a.items.get('t1', `${won[0]}-${seq}`)).toBeDefined();
    }
    expect((await a.threads.get('t1'))?.lastSeq).toBe(5);
  });

  it('counters and the shared secret hold across instances', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([open(db), open(db)]);
    const values = await Promise.all([a.meta.getOrCreate('secret', () => 'from-a'), b.meta.getOrCreate('secret', () => 'from-b')]);
    expect(values[0]).toBe(values[1]);

    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).usage.addTokens('site', 's1', '2026-01-01', 7)));
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).usage.countThread('site', 's1', '2026-01-01')));
    expect(await a.usage.on('site', 's1', '2026-01-01')).toEqual({ tokens: 140, threads: 10 });
  });

  it('orders ids and times by their bytes even in a database whose locale sorts otherwise', async () => {
    const base = await freshDatabase();
    // A database with a natural-language collation: there 'a' sorts before 'B'; in bytes, after.
    const name = `${base.name}_icu`;
    const admin = new pg.Client({ connectionString: base.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`);
    } finally {
      await admin.end();
    }
    const url = new URL(base.url);
    url.pathname = `/${name}`;
    const db: TestDatabase = { name, url: url.toString(), drop: () => query(base, `DROP DATABASE ${name} WITH (FORCE)`).then(() => {}) };
    databases.unshift(db);
    expect((await query<{ c: boolean }>(db, "SELECT 'a' < 'B' AS c"))[0]?.c).toBe(true);

    const storage = await open(db);
    for (const id of ['a', 'B', '_c']) {
      await storage.threads.insert(threadRecord(id, { owner: 'o' }));
    }
    expect((await storage.threads.listByOwner('o', 10)).map((t) => t.id)).toEqual(['a', '_c', 'B']);
    expect(await storage.threads.idsByOwner('o')).toEqual(['B', '_c', 'a']);
  });

  it('announces each commit to the other instances only: (thread, highest seq), never a rolled-back batch, and says when it may have missed some', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([open(db), open(db)]);
    const heardByA: unknown[] = [];
    const heardByB: unknown[] = [];
    a.commits.subscribe((notice) => heardByA.push(notice));
    b.commits.subscribe((notice) => heardByB.push(notice));
    await Promise.all([a.commits.listening, b.commits.listening]);
    await a.threads.insert(threadRecord('t1'));
    await a.threads.insert(threadRecord('t2'));
    await a.apply([delta('t1', 1, 'i1'), delta('t1', 2, 'i1'), delta('t2', 1, 'i2'), delta('t1', 3, 'i1')]);
    await waitFor(() => heardByB.length >= 2);
    expect(heardByB).toEqual(expect.arrayContaining([{ threadId: 't1', seq: 3 }, { threadId: 't2', seq: 1 }]));
    expect(heardByB).toHaveLength(2);
    // A rolled-back batch is never announced.
    await expect(a.apply([delta('t2', 2, 'i2'), delta('t1', 3, 'i1')])).rejects.toBeInstanceOf(StorageConflict);
    await b.apply([delta('t2', 2, 'i2')]);
    await waitFor(() => heardByA.length >= 1);
    expect(heardByA).toEqual([{ threadId: 't2', seq: 2 }]); // b's commit; a's own were never passed back
    expect(heardByB).toHaveLength(2);

    // The listening connections are cut (a failover, a restart of Postgres): each instance
    // reconnects, says it may have missed commits, and hears the next ones.
    await query(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'agent-chat-commits'");
    await waitFor(() => heardByB.includes(null) && heardByA.includes(null), 10_000);
    await a.apply([delta('t1', 4, 'i1')]);
    await waitFor(() => heardByB.some((n) => (n as { seq?: number } | null)?.seq === 4));
  }, 30_000);
});
