import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrateCommand } from '../../src/cli/migrate-command.ts';
import { createPostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/schema.ts';
import { DATABASE_FILE, openDatabase, openExistingDatabase, schemaVersion } from '../../src/store/sqlite/database.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from '../helpers/postgres.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

const SQLITE_LATEST = MIGRATIONS.at(-1)!.version;
const POSTGRES_LATEST = POSTGRES_MIGRATIONS.at(-1)!.version;

/** Runs `agent-chat migrate` with `args` on `env`; returns the exit code and what it printed. */
async function migrate(env: Record<string, string>, ...args: string[]) {
  const io = capturedIo(env);
  const code = await migrateCommand(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('agent-chat migrate (SQLite)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const dataDir = () => {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  };
  const versionOf = (dir: string) => {
    const db = openExistingDatabase(dir)!;
    try {
      return schemaVersion(db);
    } finally {
      db.close();
    }
  };

  it('creates a new database at the latest version; --check before it changes nothing and fails', async () => {
    const dir = join(dataDir(), 'data');
    const env = { DATA_DIR: dir };
    const where = `SQLite ${join(dir, DATABASE_FILE)}`;

    expect(await migrate(env, '--check')).toEqual({
      code: 1,
      out: `schema version 0 → ${SQLITE_LATEST}: ${SQLITE_LATEST} migrations pending (${where}); run agent-chat migrate\n`,
      err: '',
    });
    expect(existsSync(dir)).toBe(false);

    expect(await migrate(env)).toEqual({ code: 0, out: `schema version 0 → ${SQLITE_LATEST} (${where})\n`, err: '' });
    expect(versionOf(dir)).toBe(SQLITE_LATEST);
    expect(await migrate(env, '--check')).toEqual({ code: 0, out: `schema version ${SQLITE_LATEST}, up to date (${where})\n`, err: '' });
    expect(await migrate(env)).toEqual({ code: 0, out: `schema version ${SQLITE_LATEST}, up to date (${where})\n`, err: '' });
  });

  it('upgrades an old database, keeping its data', async () => {
    const dir = dataDir();
    const old = openDatabase(dir, MIGRATIONS.slice(0, 3));
    old.prepare(`INSERT INTO threads (id, owner, workflow, current_agent, created_at, updated_at) VALUES ('t1', 'o', 'support', 'triage', 'x', 'x')`).run();
    old.close();

    const check = await migrate({ DATA_DIR: dir }, '--check');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(new RegExp(`^schema version 3 → ${SQLITE_LATEST}: ${SQLITE_LATEST - 3} migrations pending `));
    expect(versionOf(dir)).toBe(3);

    const run = await migrate({ DATA_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^schema version 3 → ${SQLITE_LATEST} `));
    expect(versionOf(dir)).toBe(SQLITE_LATEST);
    const db = openExistingDatabase(dir)!;
    expect(db.prepare('SELECT id, compacted_seq FROM threads').all()).toEqual([{ id: 't1', compacted_seq: 0 }]);
    db.close();
  });

  it('refuses a database newer than this server, with or without --check', async () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    db.pragma(`user_version = ${SQLITE_LATEST + 1}`);
    db.close();
    for (const args of [['--check'], []]) {
      const result = await migrate({ DATA_DIR: dir }, ...args);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(new RegExp(`is at schema version ${SQLITE_LATEST + 1}, newer than this server's \\(${SQLITE_LATEST}\\): upgrade the server\\n$`));
    }
    expect(versionOf(dir)).toBe(SQLITE_LATEST + 1);
  });

  it('refuses arguments it does not take', async () => {
    const extra = await migrate({ DATA_DIR: dataDir() }, 'now');
    expect(extra.code).toBe(2);
    expect(extra.err).toMatch(/^unexpected argument "now"\nUsage: agent-chat migrate/);
    expect((await migrate({}, '--dry-run')).code).toBe(2);
  });
});

describe('agent-chat migrate (PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });
  afterAll(() => stopTestPostgres());
  const database = async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };

  it('migrates a new database, and --check tells pending from up to date', async () => {
    const db = await database();
    const spare = tempDataDir();
    const env = { DATABASE_URL: db.url, DATA_DIR: join(spare, 'unused') };
    const where = `PostgreSQL ${new URL(db.url).host}/${db.name}`;

    expect(await migrate(env, '--check')).toEqual({
      code: 1,
      out: `schema version 0 → ${POSTGRES_LATEST}: ${POSTGRES_LATEST} migrations pending (${where}); run agent-chat migrate\n`,
      err: '',
    });
    expect(await migrate(env)).toEqual({ code: 0, out: `schema version 0 → ${POSTGRES_LATEST} (${where})\n`, err: '' });
    expect(await migrate(env, '--check')).toEqual({ code: 0, out: `schema version ${POSTGRES_LATEST}, up to date (${where})\n`, err: '' });
    // The server opens what the command migrated without another step.
    const storage = await createPostgresStorage({ connectionString: db.url });
    const { rows } = await storage.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM schema_migrations');
    expect(rows[0]!.n).toBe(POSTGRES_MIGRATIONS.length);
    await storage.close();
    // PostgreSQL it is: nothing was created for SQLite.
    expect(existsSync(env.DATA_DIR)).toBe(false);
    removeDir(spare);
  });

  it('upgrades a database a previous version left behind', async () => {
    const db = await database();
    const old = await createPostgresStorage({ connectionString: db.url, migrations: POSTGRES_MIGRATIONS.slice(0, 2) });
    await old.close();
    const env = { DATABASE_URL: db.url };
    const check = await migrate(env, '--check');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(new RegExp(`^schema version 2 → ${POSTGRES_LATEST}: `));
    expect((await migrate(env)).out).toMatch(new RegExp(`^schema version 2 → ${POSTGRES_LATEST} `));
    expect((await migrate(env, '--check')).code).toBe(0);
  });

  it('says when the database cannot be reached, without the password', async () => {
    const result = await migrate({ DATABASE_URL: 'postgres://agent:s3cret-pw@127.0.0.1:1/agent_chat' }, '--check');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^agent-chat migrate: PostgreSQL 127\.0\.0\.1:1\/agent_chat: .*ECONNREFUSED/);
    expect(result.err).not.toContain('s3cret-pw');
  });
});
