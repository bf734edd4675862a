import { mkdirSync } from 'node:fs';
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

/** Runs every migration newer than `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
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
