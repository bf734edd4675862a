import { type ErrorCode, type ErrorMessage, type ErrorPayload, isRetryable } from '@agent-chat/shared';

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

/**
 * A failure of the model provider (HTTP error, broken stream, timeout), phrased for a visitor.
 * The provider's own words stay in `cause` and `status`, for the operator's log.
 */
export class UpstreamError extends AppError {
  /** The provider's HTTP status, when it answered with one. */
  readonly status: number | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number | undefined }) {
    super('upstream_error', message, options);
    this.status = options?.status;
  }
}

/** Turns anything thrown into what may go on the wire: never a stack, never another user's data. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  }
  return { code: 'internal', message: 'Something went wrong on the server.' };
}

/** The `error` frame for a payload: `retryable` derived from the code, `replyTo` when it answers a request. */
export function errorFrame(payload: ErrorPayload, replyTo?: string): ErrorMessage {
  return {
    type: 'error',
    code: payload.code,
    message: payload.message,
    retryable: isRetryable(payload.code),
    ...(payload.retryAfterMs !== undefined ? { retryAfterMs: payload.retryAfterMs } : {}),
    ...(replyTo !== undefined ? { replyTo } : {}),
  };
}
