import { pino, stdSerializers, stdTimeFunctions, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';
import type { LogFields, Logger } from './logger.ts';

/** The levels an operator chooses from (`LOG_LEVEL`); `silent` writes nothing. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How lines look: JSON for machines, or one readable line each for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface PinoLoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go (standard output by default; tests pass a memory stream). */
  destination?: DestinationStream;
}

/** The logger `config` asks for: `LOG_FORMAT`, or pretty when standard output is a terminal. */
export function loggerFor(config: { logLevel: LogLevel; logFormat: LogFormat | undefined }): Logger {
  return createPinoLogger({ level: config.logLevel, format: config.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json') });
}

/**
 * Field names whose values are never written, whoever passes them: tokens and keys must not
 * reach a log that is shipped elsewhere.
 */
const REDACTED = ['authorization', 'token', 'visitorToken', 'userToken', 'uploadToken', 'secret', 'apiKey', 'password'];

/**
 * The server's log as JSON lines (pino): `time` (ISO 8601), `level` (its name), `msg`, the
 * line's fields (connection, thread, run, agent, site ids…) and, for a failure, `err` with
 * its type, message, stack, own properties (an upstream's status) and cause chain. `pretty`
 * formats the same lines for a terminal.
 */
export function createPinoLogger({ level, format, destination }: PinoLoggerOptions): Logger {
  const stream = format === 'pretty' ? prettyStream()({ colorize: false, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: destination ?? 1 }) : (destination ?? pino.destination({ sync: true }));
  const log = pino(
    {
      level,
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.errWithCause },
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    stream,
  );
  const line = (fields: LogFields | undefined, error: unknown) => {
    const out: Record<string, unknown> = {};
    if (fields) for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
    if (error !== undefined) out.err = error instanceof Error ? error : new Error(String(error));
    return out;
  };
  return {
    info: (message, fields) => log.info(line(fields, undefined), message),
    warn: (message, error, fields) => log.warn(line(fields, error), message),
    error: (message, error, fields) => log.error(line(fields, error), message),
  };
}

/** pino-pretty, loaded only when a terminal asks for it (a service writing JSON never pays for it). */
function prettyStream(): typeof import('pino-pretty').PinoPretty {
  return (createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')).PinoPretty;
}
