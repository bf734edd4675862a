import { type ErrorCode, type ErrorPayload, isRetryable } from '@agent-chat/shared';

/**
 * The one error class the server throws on purpose. `code` is the shared wire code; `message`
 * is safe to show a visitor. Everything else that is thrown becomes `internal` on the wire.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** For `rate_limited`: when the same request may succeed. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs === undefined ? undefined : Math.max(0, Math.ceil(options.retryAfterMs));
  }

  get retryable(): boolean {
    return isRetryable(this.code);
  }
}

/** A failure of the model provider (HTTP error, broken stream, timeout), phrased for a visitor. */
export class UpstreamError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('upstream_error', message, options);
  }
}

/** Turns anything thrown into what may go on the wire: never a stack, never another user's data. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  }
  return { code: 'internal', message: 'Something went wrong on the server.' };
}
