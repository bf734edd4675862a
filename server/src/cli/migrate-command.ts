import { join } from 'node:path';
import type { Config } from '../config.ts';
import { migrateSchema, readSchemaStatus } from '../store/schema-status.ts';
import { DATABASE_FILE } from '../store/sqlite/database.ts';
import { parseCommandArgs } from './command-args.ts';
import { commandConfig } from './command-config.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { displayPath } from './display-path.ts';

/** `agent-chat migrate --help`. */
export const MIGRATE_USAGE = `Usage: agent-chat migrate [--check]

Brings the database (SQLite in DATA_DIR, or PostgreSQL at DATABASE_URL) to this version's schema,
as the server does when it starts, and prints "schema version X → Y".

  --check   change nothing; exit 1 if migrations are pending (run it before an upgrade)

Exit: 0 up to date (or migrated), 1 pending with --check, a database newer than this server,
or unreachable; 2 bad arguments.`;

/** Which database, for people: never the password in a connection string. */
function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `SQLite ${displayPath(join(config.dataDir, DATABASE_FILE))}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

const plural = (n: number) => `${n} migration${n === 1 ? '' : 's'}`;

/**
 * `agent-chat migrate [--check]`: runs the pending schema migrations of the configured storage
 * (the ones the server runs at start-up) and reports the versions; `--check` only reports, and
 * fails when some are pending, so a deployment can tell before an upgrade.
 */
export async function migrateCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(args, { check: { type: 'boolean' } }, { usage: MIGRATE_USAGE, maxPositionals: 0 }, io);
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const config = commandConfig(io);
  if (!config) return ExitCode.failed;
  const where = describeDatabase(config);
  try {
    const status = await readSchemaStatus(config);
    if (status.current > status.latest) {
      io.stderr(`agent-chat migrate: ${where} is at schema version ${status.current}, newer than this server's (${status.latest}): upgrade the server\n`);
      return ExitCode.failed;
    }
    if (parsed.values.check) {
      if (status.current === status.latest) {
        io.stdout(`schema version ${status.current}, up to date (${where})\n`);
        return ExitCode.ok;
      }
      io.stdout(`schema version ${status.current} → ${status.latest}: ${plural(status.latest - status.current)} pending (${where}); run agent-chat migrate\n`);
      return ExitCode.failed;
    }
    const { from, to } = await migrateSchema(config);
    io.stdout(from === to ? `schema version ${to}, up to date (${where})\n` : `schema version ${from} → ${to} (${where})\n`);
    return ExitCode.ok;
  } catch (error) {
    io.stderr(`agent-chat migrate: ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.failed;
  }
}
