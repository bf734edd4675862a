import { type Config, ConfigError, loadConfig } from '../config.ts';
import type { CommandIo } from './command-io.ts';

/**
 * The server's configuration from `io.env`, read as the server reads it at start-up (relative
 * paths against the current directory). A bad variable is printed on stderr, one per line,
 * and yields undefined: the command stops with exit 1, as the server would not start.
 */
export function commandConfig(io: CommandIo): Config | undefined {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) io.stderr(`environment: ${problem}\n`);
    return undefined;
  }
}
