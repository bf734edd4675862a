import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupCommand, formatBytes } from '../../src/cli/backup-command.ts';
import { createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { DATABASE_FILE } from '../../src/store/sqlite/database.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { type ChildInstance, startChildInstance } from '../helpers/child-instance.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';
import { TestClient } from '../helpers/ws-client.ts';

/** Quotas off: the writers below open threads and runs as fast as the server takes them. */
const NO_QUOTAS = {
  THREADS_PER_DAY: '0',
  RUNS_PER_MINUTE: '0',
  RUNS_PER_MINUTE_PER_IP: '0',
  MAX_CONCURRENT_RUNS: '0',
  DAILY_TOKENS_PER_IDENTITY: '0',
  DAILY_TOKENS_PER_SITE: '0',
};

/**
 * One visitor writing conversations back to back until `stop.done`: a thread, a message, the
 * reply streamed to its end. `committed` gets each thread once its message was accepted (the
 * server answers after the write).
 */
async function writeConversations(wsUrl: string, committed: string[], stop: { done: boolean }): Promise<void> {
  const { client } = await TestClient.open(wsUrl);
  try {
    for (let n = 0; !stop.done; n++) {
      const opened = await client.request({ type: 'thread.create', workflow: 'support' });
      if (opened.type !== 'thread.opened') throw new Error(`thread.create failed: ${JSON.stringify(opened)}`);
      const accepted = await client.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: `m${n}`, text: 'I was charged twice for order 1234' });
      if (accepted.type !== 'message.accepted') throw new Error(`message.send failed: ${JSON.stringify(accepted)}`);
      committed.push(opened.thread.id);
      await client.runFinished(accepted.runId, 20_000);
    }
  } finally {
    client.ws.terminate();
  }
}

/** Opens a backup read-only, as a restore check would. */
function inspect(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      foreignKeyViolations: db.pragma('foreign_key_check') as unknown[],
      journalMode: db.pragma('journal_mode', { simple: true }),
      threads: new Set((db.prepare('SELECT id FROM threads').all() as Array<{ id: string }>).map((r) => r.id)),
      threadsWithMessages: new Set((db.prepare(`SELECT DISTINCT thread_id FROM items WHERE type = 'user_message'`).all() as Array<{ thread_id: string }>).map((r) => r.thread_id)),
      events: (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('agent-chat backup', () => {
  const dirs: string[] = [];
  const children: ChildInstance[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
    dirs.splice(0).forEach(removeDir);
  });
  const tempDir = () => {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  };

  it('copies a database a server in another process keeps writing to: consistent, with everything committed before it started', async () => {
    const dataDir = tempDir();
    const out = tempDir();
    const instance = await startChildInstance({ DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '1', ...NO_QUOTAS });
    children.push(instance);
    const committed: string[] = [];
    const stop = { done: false };
    const writers = Array.from({ length: 3 }, () => writeConversations(instance.wsUrl, committed, stop));
    try {
      while (committed.length < 6) await new Promise((r) => setTimeout(r, 20));
      // Three backups one after another while the writers go on, each checked on its own.
      for (const name of ['one.db', 'two.db', 'three.db']) {
        const before = [...committed];
        const io = capturedIo({ DATA_DIR: dataDir });
        const target = join(out, name);
        expect(await backupCommand([target], io)).toBe(0);
        expect(io.err()).toBe('');

        const backup = inspect(target);
        expect(backup.integrity).toBe('ok');
        expect(backup.foreignKeyViolations).toEqual([]);
        // One self-contained file: no -wal beside it is needed to read it.
        expect(backup.journalMode).toBe('delete');
        for (const id of before) {
          expect(backup.threads.has(id), `thread ${id} committed before the backup`).toBe(true);
          expect(backup.threadsWithMessages.has(id), `the message of ${id}`).toBe(true);
        }
        expect(io.out()).toBe(`backup: ${target} (${formatBytes(readFileSync(target).length)}, ${backup.threads.size} threads, ${backup.events.toLocaleString('en-US')} events)\n`);
      }
      // The server went on writing all along: it was never blocked by the backups.
      const afterBackups = committed.length;
      while (committed.length < afterBackups + 3) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop.done = true;
      await Promise.allSettled(writers);
    }
    expect(readdirSync(out).sort()).toEqual(['one.db', 'three.db', 'two.db']);
    // Restored (copied in as DATA_DIR/agent-chat.db), a backup is a database the server opens as it is.
    const restoreDir = tempDir();
    copyFileSync(join(out, 'three.db'), join(restoreDir, DATABASE_FILE));
    const restored = createSqliteStorage(restoreDir);
    expect(await restored.threads.get(committed[0]!)).toMatchObject({ id: committed[0], workflow: 'support' });
    await restored.close();
  }, 60_000);

  it('refuses to replace a file unless --force, and leaves nothing behind when it fails', async () => {
    const dataDir = tempDir();
    const storage = createSqliteStorage(dataDir);
    await storage.close();
    const out = tempDir();
    const target = join(out, 'backup.db');
    writeFileSync(target, 'keep me');

    const refused = capturedIo({ DATA_DIR: dataDir });
    expect(await backupCommand([target], refused)).toBe(1);
    expect(refused.err()).toBe(`agent-chat backup: ${target} already exists (--force replaces it)\n`);
    expect(readFileSync(target, 'utf8')).toBe('keep me');

    const forced = capturedIo({ DATA_DIR: dataDir });
    expect(await backupCommand([target, '--force'], forced)).toBe(0);
    expect(forced.out()).toMatch(/^backup: .*backup\.db \(\d+(\.\d)? kB, 0 threads, 0 events\)\n$/);
    expect(inspect(target).integrity).toBe('ok');

    // Not a database: the copy fails, and neither the target nor a temporary file is left.
    const broken = tempDir();
    writeFileSync(join(broken, DATABASE_FILE), 'this is not a database, just some text '.repeat(200));
    const failed = capturedIo({ DATA_DIR: broken });
    expect(await backupCommand([join(out, 'broken.db')], failed)).toBe(1);
    expect(failed.err()).toMatch(/^agent-chat backup: the backup failed: file is not a database\n$/);
    expect(readdirSync(out)).toEqual(['backup.db']);

    const noDatabase = capturedIo({ DATA_DIR: join(out, 'empty') });
    expect(await backupCommand([join(out, 'x.db')], noDatabase)).toBe(1);
    expect(noDatabase.err()).toMatch(/there is no database at .*empty\/agent-chat\.db/);
    expect(existsSync(join(out, 'empty'))).toBe(false);

    const noDir = capturedIo({ DATA_DIR: dataDir });
    expect(await backupCommand([join(out, 'missing', 'x.db')], noDir)).toBe(1);
    expect(noDir.err()).toMatch(/the directory .*missing does not exist/);
  });

  it('says pg_dump is the tool for PostgreSQL, and wants a file name', async () => {
    const pg = capturedIo({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/agent_chat' });
    expect(await backupCommand(['x.db'], pg)).toBe(2);
    expect(pg.err()).toMatch(/PostgreSQL: back them up with pg_dump/);
    expect(pg.out()).toBe('');

    const none = capturedIo({});
    expect(await backupCommand([], none)).toBe(2);
    expect(none.err()).toMatch(/^agent-chat backup: name the file to write\nUsage: agent-chat backup/);
  });

  it('formats sizes for people', () => {
    expect([formatBytes(512), formatBytes(4096), formatBytes(12_345_678), formatBytes(3_400_000_000)]).toEqual(['512 B', '4.1 kB', '12 MB', '3.4 GB']);
  });
});
