import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { silentLogger } from '../logger.ts';
import { openStorage } from '../store/open-storage.ts';
import { DATABASE_FILE } from '../store/sqlite/database.ts';
import type { Storage } from '../store/storage.ts';
import type { CommandIo } from './command-io.ts';
import { displayPath } from './display-path.ts';

/**
 * Opens the database the server uses (DATABASE_URL, else DATA_DIR's SQLite file) for a command
 * that only reads it. A missing SQLite file is reported, not created: the operator mistyped
 * DATA_DIR. Undefined (after telling why on stderr, prefixed with `command`) when there is none.
 */
export async function openStoredData(config: Config, io: CommandIo, command: string): Promise<Storage | undefined> {
  const databaseFile = join(config.dataDir, DATABASE_FILE);
  if (!config.databaseUrl && !existsSync(databaseFile)) {
    io.stderr(`${command}: no database at ${displayPath(databaseFile)} (set DATA_DIR to the server's, or DATABASE_URL)\n`);
    return undefined;
  }
  return openStorage(config, silentLogger);
}
