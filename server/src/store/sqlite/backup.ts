import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, openExistingDatabase } from './database.ts';

/** A backup that was written: where, how big, and what it holds. */
export interface BackupResult {
  file: string;
  bytes: number;
  threads: number;
  events: number;
}

/** A backup was not made; the message says why, for the operator. Nothing was left behind. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** More pages than any database has: the whole copy in one step (see `backupDatabase`). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies `<dataDir>/agent-chat.db` to `target` with SQLite's online backup, safe while a server
 * writes to the database from another process: the copy is made in ONE backup step, which reads
 * the database in one transaction (a consistent snapshot; in WAL mode it does not block the
 * writer). Copied in small steps instead, every write by the other process would restart the
 * backup, which might then never finish on a busy server.
 *
 * The copy is written under a temporary name beside `target`, checked (`quick_check`), switched
 * to a single self-contained file (rollback journal, no -wal), and only then renamed to `target`,
 * so a failed backup leaves nothing behind and `target` is never half written.
 *
 * @throws BackupError when there is no database, `target` exists and `overwrite` is false, or the copy fails.
 */
export async function backupDatabase(dataDir: string, target: string, { overwrite = false }: { overwrite?: boolean } = {}): Promise<BackupResult> {
  const source = join(dataDir, DATABASE_FILE);
  if (existsSync(target) && !overwrite) throw new BackupError(`${target} already exists (--force replaces it)`);
  if (!existsSync(dirname(target))) throw new BackupError(`the directory ${dirname(target)} does not exist`);
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    // No migration runs: a backup copies the database as it is.
    const db = openExistingDatabase(dataDir);
    if (!db) throw new BackupError(`there is no database at ${source}`);
    try {
      await db.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      db.close();
    }
    const copy = new Database(partial, { fileMustExist: true });
    let counts: { threads: number; events: number };
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`the copy failed its check: ${String(check)}`);
      counts = copy.prepare('SELECT (SELECT COUNT(*) FROM threads) AS threads, (SELECT COUNT(*) FROM events) AS events').get() as typeof counts;
    } finally {
      copy.close();
    }
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, ...counts };
  } catch (error) {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`the backup failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
