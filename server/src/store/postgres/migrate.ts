import type pg from 'pg';
import { inTransaction, type Queryable } from './pool.ts';
import type { PostgresMigration } from './schema.ts';

/**
 * Key of the transaction-level advisory lock migrations run under ("agent-ch" in ASCII), so
 * several instances starting together on one database migrate exactly once: the first takes
 * the lock and migrates, the others wait, then find every step recorded.
 */
const MIGRATION_LOCK = 0x6167656e742d6368n;

/**
 * Applies every migration not yet recorded in `schema_migrations`, all in one transaction
 * under the advisory lock (Postgres DDL is transactional: a failing step leaves nothing).
 * Returns how many steps ran.
 */
export async function migrate(pool: pg.Pool, migrations: readonly PostgresMigration[], now: () => string): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at text NOT NULL
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const latest = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...done);
    if (newest > latest) {
      throw new Error(`the database schema (version ${newest}) is newer than this server (version ${latest})`);
    }
    let applied = 0;
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
      applied++;
    }
    return applied;
  });
}

/** The schema version a database is at: its newest recorded migration (0 before the first). */
export async function schemaVersion(db: Queryable): Promise<number> {
  // Two queries: a statement naming a table that does not exist fails as a whole.
  const { rows: table } = await db.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (!table[0]?.exists) return 0;
  const { rows } = await db.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
