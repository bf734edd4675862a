import { AppError } from '../errors.ts';
import type { ThreadCursor } from '../store/records.ts';

/** An opaque `thread.list` cursor: where the previous page ended. */
export function encodeCursor(cursor: ThreadCursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt, cursor.id])).toString('base64url');
}

/** @throws AppError invalid_request for anything `encodeCursor` did not make. */
export function decodeCursor(raw: string): ThreadCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { updatedAt: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new AppError('invalid_request', 'Invalid cursor.');
}
