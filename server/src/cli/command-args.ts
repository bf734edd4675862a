import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CommandIo } from './command-io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command's flags as `parseArgs` reads them (`strict`, positionals allowed), plus `--help`. */
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true; strict: true }>>;

/**
 * Parses a command's arguments. An unknown flag, a missing value or too many positionals
 * prints the reason and the usage on stderr and returns undefined (exit 2); `--help` prints the
 * usage on stdout and returns `'help'` (exit 0).
 */
export function parseCommandArgs<O extends Options>(
  args: string[],
  options: O,
  { usage, maxPositionals }: { usage: string; maxPositionals: number },
  io: CommandIo,
): Parsed<O> | 'help' | undefined {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return undefined;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${usage}\n`);
    return 'help';
  }
  if (parsed.positionals.length > maxPositionals) {
    io.stderr(`unexpected argument "${parsed.positionals[maxPositionals]}"\n${usage}\n`);
    return undefined;
  }
  return parsed;
}
