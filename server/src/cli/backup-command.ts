import { resolve } from 'node:path';
import { BackupError, backupDatabase } from '../store/sqlite/backup.ts';
import { parseCommandArgs } from './command-args.ts';
import { commandConfig } from './command-config.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { displayPath } from './display-path.ts';

/** `agent-chat backup --help`. */
export const BACKUP_USAGE = `Usage: agent-chat backup <file> [--force]

Copies the SQLite database (DATA_DIR/agent-chat.db) to <file>, consistently, while a server may
be running on it. The copy is written under a temporary name and renamed when complete.

  --force   replace <file> if it exists

With DATABASE_URL (PostgreSQL), use pg_dump instead.
Exit: 0 written, 1 failed (nothing written), 2 bad arguments or PostgreSQL.`;

/** `12.3 MB`: a size for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * `agent-chat backup <file>`: an online backup of the SQLite database, then one line with the
 * file, its size and what it holds. PostgreSQL has its own tool (`pg_dump`); this says so and
 * exits 2 rather than run it.
 */
export async function backupCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(args, { force: { type: 'boolean' } }, { usage: BACKUP_USAGE, maxPositionals: 1 }, io);
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const file = parsed.positionals[0];
  if (!file) {
    io.stderr(`agent-chat backup: name the file to write\n${BACKUP_USAGE}\n`);
    return ExitCode.usage;
  }
  const config = commandConfig(io);
  if (!config) return ExitCode.failed;
  if (config.databaseUrl) {
    io.stderr(
      'agent-chat backup: DATABASE_URL is set, so conversations live in PostgreSQL: back them up with pg_dump, ' +
        'e.g. pg_dump --format=custom --file=agent-chat.dump "$DATABASE_URL"\n',
    );
    return ExitCode.usage;
  }
  try {
    const result = await backupDatabase(config.dataDir, resolve(file), { overwrite: parsed.values.force ?? false });
    io.stdout(
      `backup: ${displayPath(result.file)} (${formatBytes(result.bytes)}, ${result.threads.toLocaleString('en-US')} threads, ` +
        `${result.events.toLocaleString('en-US')} events)\n`,
    );
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.stderr(`agent-chat backup: ${error.message}\n`);
    return ExitCode.failed;
  }
}
