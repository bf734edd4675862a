import { type Logger, silentLogger } from '../logger.ts';
import { migrate as migratePostgres, schemaVersion as postgresSchemaVersion } from './postgres/migrate.ts';
import { createPool } from './postgres/pool.ts';
import { POSTGRES_MIGRATIONS } from './postgres/schema.ts';
import { latestSchemaVersion, openDatabase, openExistingDatabase, schemaVersion as sqliteSchemaVersion } from './sqlite/database.ts';

/** Which database: PostgreSQL when `databaseUrl` is set, else SQLite under `dataDir` (as the server chooses). */
export interface StorageLocation {
  dataDir: string;
  databaseUrl?: string | undefined;
}

/** Where a database's schema stands against this server's migrations. */
export interface SchemaStatus {
  engine: 'sqlite' | 'postgres';
  /** The version the database is at (0: new, or not created yet). */
  current: number;
  /** The version this server's migrations bring it to. */
  latest: number;
}

/**
 * Reads the schema version without changing anything: a SQLite database that does not exist
 * is not created (it is at version 0), and no migration runs.
 */
export async function readSchemaStatus(location: StorageLocation, logger: Logger = silentLogger): Promise<SchemaStatus> {
  if (location.databaseUrl) {
    const pool = createPool({ connectionString: location.databaseUrl, maxConnections: 1, logger });
    try {
      return { engine: 'postgres', current: await postgresSchemaVersion(pool), latest: latestSchemaVersion(POSTGRES_MIGRATIONS) };
    } finally {
      await pool.end();
    }
  }
  const db = openExistingDatabase(location.dataDir);
  try {
    return { engine: 'sqlite', current: db ? sqliteSchemaVersion(db) : 0, latest: latestSchemaVersion() };
  } finally {
    db?.close();
  }
}

/**
 * Brings the database to this server's schema with the migrations the server itself runs when
 * it opens the storage (creating the SQLite file if needed). Returns the versions before and after.
 *
 * @throws when the database is newer than this server, or cannot be reached.
 */
export async function migrateSchema(location: StorageLocation, logger: Logger = silentLogger): Promise<{ engine: SchemaStatus['engine']; from: number; to: number }> {
  const before = await readSchemaStatus(location, logger);
  if (location.databaseUrl) {
    const pool = createPool({ connectionString: location.databaseUrl, maxConnections: 1, logger });
    try {
      await migratePostgres(pool, POSTGRES_MIGRATIONS, () => new Date().toISOString());
      return { engine: 'postgres', from: before.current, to: await postgresSchemaVersion(pool) };
    } finally {
      await pool.end();
    }
  }
  const db = openDatabase(location.dataDir);
  try {
    return { engine: 'sqlite', from: before.current, to: sqliteSchemaVersion(db) };
  } finally {
    db.close();
  }
}
