/** Where the server writes operational messages. Tests pass a silent one. */
export interface Logger {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

/** Logs to the console: one line per message, errors with their stack (server-side only). */
export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warn: (m, e) => (e === undefined ? console.warn(m) : console.warn(m, e)),
  error: (m, e) => (e === undefined ? console.error(m) : console.error(m, e)),
};

/** Discards everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
