import { z } from 'zod';

/** Every error code that may appear in an `error` frame or a failed run (docs/protocol.md, Errors). */
export const ERROR_CODES = [
  'bad_frame',
  'invalid_request',
  'handshake_required',
  'unsupported_protocol',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'payload_too_large',
  'run_in_progress',
  'upstream_error',
  'internal',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Codes a client may retry as they are: the failure was not its fault. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'upstream_error', 'internal']);

/** Whether an error with this code may succeed if the same request is sent again. */
export function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE_CODES.has(code);
}
