import type { ErrorCode } from '@agent-chat/shared';
import { AppError } from '../errors.ts';

/** An AppError that also names the HTTP status it is answered with (415 for a refused type). */
export class UploadError extends AppError {
  readonly status: number;

  constructor(code: ErrorCode, status: number, message: string) {
    super(code, message);
    this.status = status;
  }
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  invalid_request: 400,
  internal: 500,
};

/** The HTTP status an error is answered with on the upload routes. */
export function statusOf(error: unknown): number {
  if (error instanceof UploadError) return error.status;
  if (error instanceof AppError) return STATUS[error.code] ?? 400;
  return 500;
}
