import { createPostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import type { Storage } from '../../src/store/storage.ts';
import { createTestDatabase, stopTestPostgres } from './postgres.ts';

/** A storage opened for one test, empty; `dispose` closes it and removes what it used. */
export interface OpenedStorage {
  storage: Storage;
  dispose(): Promise<void>;
}

/** One storage engine the contract tests run against. */
export interface StorageEngine {
  readonly name: Storage['engine'];
  /** A fresh, empty, migrated storage. */
  open(): Promise<OpenedStorage>;
  /** Stops what the engine started for this test file (call after its last test). */
  shutdown(): Promise<void>;
}

/** PostgreSQL: a fresh database per test (see helpers/postgres.ts). */
export const postgresEngine: StorageEngine = {
  name: 'postgres',
  async open() {
    const db = await createTestDatabase();
    const storage = await createPostgresStorage({ connectionString: db.url, maxConnections: 4 });
    return {
      storage,
      dispose: async () => {
        await storage.close();
        await db.drop();
      },
    };
  },
  shutdown: stopTestPostgres,
};

/** Every engine the storage contract tests run against. */
export const STORAGE_ENGINES: readonly StorageEngine[] = [postgresEngine];
