import { type LogFields, type Logger, formatError, formatFields } from '../logger.ts';

/** One line a `MemoryLogger` kept. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  error?: unknown;
  fields: LogFields;
}

/** A logger that keeps every line, for tests that check what the operator is told. */
export interface MemoryLogger extends Logger {
  readonly entries: LogEntry[];
  /** Every entry as the console would show it (fields and the full error with its cause chain), one per line. */
  text(): string;
}

/** Creates an empty `MemoryLogger`. */
export function createMemoryLogger(): MemoryLogger {
  const entries: LogEntry[] = [];
  const keep = (level: LogEntry['level'], message: string, error: unknown, fields: LogFields | undefined) => {
    entries.push({ level, message, fields: fields ?? {}, ...(error !== undefined ? { error } : {}) });
  };
  return {
    entries,
    info: (m, f) => keep('info', m, undefined, f),
    warn: (m, e, f) => keep('warn', m, e, f),
    error: (m, e, f) => keep('error', m, e, f),
    text: () =>
      entries
        .map((e) => `${e.level} ${e.message}${formatFields(e.fields)}${e.error !== undefined ? ` ${formatError(e.error)}` : ''}`)
        .join('\n'),
  };
}
