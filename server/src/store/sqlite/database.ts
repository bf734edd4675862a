import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.ts';

/** The SQLite handle type used across store/. */
export type Db = Database.Database;

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'agent-chat.db';

/**
 * Opens (or creates) `<dataDir>/agent-chat.db`, sets the pragmas and runs pending migrations.
 * Pass `':memory:'` for a throwaway database.
 */
export function openDatabase(dataDir: string | ':memory:', migrations: readonly Migration[] = MIGRATIONS): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, DATABASE_FILE);
  }
  const db = new Database(file);
  try {
    // WAL lets readers and the single writer proceed together; NORMAL is durable at each
    // checkpoint and safe against corruption, which is the trade-off WAL is designed for.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens `<dataDir>/agent-chat.db` as it is, for tools that inspect or copy it: nothing is
 * created and no migration runs. Undefined when there is no database yet. (Opened read-write
 * all the same: a read-only connection to a WAL database leaves -wal and -shm files behind,
 * owned by whoever ran the tool.)
 */
export function openExistingDatabase(dataDir: string): Db | undefined {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** The schema version a database is at: the last migration applied to it (0 for a new one). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The schema version this server's migrations bring a database to. */
export function latestSchemaVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Runs every migration newer than `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = schemaVersion(db);
  const latest = latestSchemaVersion(migrations);
  if (current > latest) {
    throw new Error(`the database schema (version ${current}) is newer than this server (version ${latest})`);
  }
  let applied = 0;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied++;
  }
  return applied;
}
