import type { Logger } from '../logger.ts';
import type { PostgresStorage, PostgresStorageOptions } from './postgres/postgres-storage.ts';
import { createSqliteStorage } from './sqlite/sqlite-storage.ts';
import type { Storage } from './storage.ts';

/**
 * `createPostgresStorage`, with the PostgreSQL driver loaded on first use: a server on SQLite
 * (the default) never loads it, which keeps its start-up short.
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  const postgres = await import('./postgres/postgres-storage.ts');
  return postgres.createPostgresStorage(options);
}

/**
 * The storage the configuration names: PostgreSQL at `databaseUrl`, else SQLite under `dataDir`;
 * upload bytes in `uploadsDir` when set, else in the database.
 */
export async function openStorage(
  config: { databaseUrl: string | undefined; dataDir: string; uploadsDir?: string | undefined },
  logger: Logger,
): Promise<Storage> {
  const { uploadsDir } = config;
  return config.databaseUrl
    ? createPostgresStorage({ connectionString: config.databaseUrl, logger, uploadsDir })
    : createSqliteStorage(config.dataDir, { uploadsDir });
}
