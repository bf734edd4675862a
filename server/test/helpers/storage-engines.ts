import { afterAll, afterEach, beforeEach } from 'vitest';
import { createPostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import { createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import type { Storage } from '../../src/store/storage.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from './postgres.ts';
import { removeDir, tempDataDir } from './temp-dir.ts';

/** A storage opened for one test, empty; `dispose` closes it and removes what it used. */
export interface OpenedStorage {
  storage: Storage;
  dispose(): Promise<void>;
}

/**
 * Where one test's data lives (a SQLite directory, a Postgres database): opened as often as the
 * test likes (a restart opens it again), removed by `dispose`.
 */
export interface StoragePlace {
  open(): Promise<Storage>;
  dispose(): Promise<void>;
}

/** One storage engine the contract tests run against. */
export interface StorageEngine {
  readonly name: Storage['engine'];
  /** A fresh, empty, migrated storage. */
  open(): Promise<OpenedStorage>;
  /** A fresh, empty place to open storages on. */
  place(): Promise<StoragePlace>;
  /** Stops what the engine started for this test file (call after its last test). */
  shutdown(): Promise<void>;
}

let migrated: Promise<TestDatabase> | undefined;
let next: Promise<TestDatabase> | undefined;

/** A copy of the database migrated once per test file, made while the previous test runs. */
function copyOfMigrated(): Promise<TestDatabase> {
  const template = (migrated ??= createTestDatabase().then(async (db) => {
    await (await createPostgresStorage({ connectionString: db.url, maxConnections: 1 })).close();
    return db;
  }));
  const copy = template.then((t) => createTestDatabase({ copyOf: t.name }));
  copy.catch(() => {}); // reported to the test that awaits it
  return copy;
}

/**
 * PostgreSQL: a fresh database per test (see helpers/postgres.ts), a copy of one migrated
 * once per test file, so a test pays neither for the migrations (the Postgres-only tests
 * migrate empty databases) nor, mostly, for CREATE DATABASE.
 */
export const postgresEngine: StorageEngine = {
  name: 'postgres',
  async place() {
    const db = await (next ?? copyOfMigrated());
    next = copyOfMigrated();
    return { open: () => createPostgresStorage({ connectionString: db.url, maxConnections: 4 }), dispose: () => db.drop() };
  },
  async open() {
    const db = await (next ?? copyOfMigrated());
    next = copyOfMigrated();
    const storage = await createPostgresStorage({ connectionString: db.url, maxConnections: 4 });
    return {
      storage,
      dispose: async () => {
        await storage.close();
        await db.drop();
      },
    };
  },
  async shutdown() {
    const pending = [next, migrated];
    next = migrated = undefined;
    for (const db of pending) await (await db?.catch(() => undefined))?.drop();
    await stopTestPostgres();
  },
};

/** SQLite: a fresh database file in a temporary directory per test. */
export const sqliteEngine: StorageEngine = {
  name: 'sqlite',
  async place() {
    const dir = tempDataDir();
    return { open: async () => createSqliteStorage(dir), dispose: async () => removeDir(dir) };
  },
  async open() {
    const dir = tempDataDir();
    const storage = createSqliteStorage(dir);
    return {
      storage,
      dispose: async () => {
        await storage.close();
        removeDir(dir);
      },
    };
  },
  async shutdown() {},
};

/**
 * A fresh, empty storage of `engine` for each test of a `describe` (closed and removed after it;
 * the engine shut down after the last). Read `storage()` inside the tests.
 */
export function useFreshStorage(engine: StorageEngine): () => Storage {
  let opened: OpenedStorage | undefined;
  beforeEach(async () => {
    opened = await engine.open();
  });
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });
  afterAll(() => engine.shutdown());
  return () => {
    if (!opened) throw new Error('storage() is only open inside a test');
    return opened.storage;
  };
}

/** Every engine the storage contract tests run against. */
export const STORAGE_ENGINES: readonly StorageEngine[] = [sqliteEngine, postgresEngine];
