import { inspect } from 'node:util';

/**
 * Context of a log line: the ids and names an operator searches by (`threadId`, `runId`,
 * `agentId`, `tool`, `model`, `status`, `guardrail`…). Short values; the error goes apart.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * Where the server writes operational messages: the operator's view, where every failure is
 * written once, in full (cause chain, upstream body). Nothing written here reaches a visitor.
 * Tests pass a silent or a memory logger.
 */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, error?: unknown, fields?: LogFields): void;
  error(message: string, error?: unknown, fields?: LogFields): void;
}

/** ` key=value key="two words"` for the fields that are set, in their order. */
export function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    out += ` ${key}=${/^[\w.:/@-]+$/.test(text) ? text : JSON.stringify(text)}`;
  }
  return out;
}

/** An error as the operator reads it: stack, own properties (an upstream's status and body) and the `cause` chain. */
export function formatError(error: unknown): string {
  return inspect(error, { depth: 6, breakLength: Infinity });
}

/**
 * A logger that adds `fields` to every line (pino's `child`): a run's code logs with its
 * thread, run and agent ids without repeating them. Fields of a call win over bound ones.
 */
export function childLogger(parent: Logger, fields: LogFields): Logger {
  return {
    info: (m, f) => parent.info(m, f ? { ...fields, ...f } : fields),
    warn: (m, e, f) => parent.warn(m, e, f ? { ...fields, ...f } : fields),
    error: (m, e, f) => parent.error(m, e, f ? { ...fields, ...f } : fields),
  };
}

/**
 * Logs to the console: one line per message with its fields as `key=value`, then the error
 * with its stack and cause chain (server-side only).
 */
export const consoleLogger: Logger = {
  info: (m, f) => console.log(m + formatFields(f)),
  warn: (m, e, f) => (e === undefined ? console.warn(m + formatFields(f)) : console.warn(m + formatFields(f), e)),
  error: (m, e, f) => (e === undefined ? console.error(m + formatFields(f)) : console.error(m + formatFields(f), e)),
};

/** Discards everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
