import type { z } from 'zod';
import { CLIENT_MESSAGE_TYPES, ClientMessage } from './client-message.ts';
import type { ErrorCode } from './error-code.ts';
import { ServerMessage } from './server-message.ts';

/** What decoding a frame gives: the message, or a typed reason it was refused. Never throws. */
export type DecodeResult<T> =
  | { ok: true; message: T }
  | { ok: false; code: Extract<ErrorCode, 'bad_frame' | 'invalid_request'>; message: string; replyTo?: string };

/** Short, human-readable summary of zod issues (field path: problem). */
export function describeIssues(error: z.ZodError, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** The longest request `id` (the schema's bound in client-message.ts). */
const MAX_REQUEST_ID = 128;

function parseJson(raw: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof raw !== 'string') return { ok: false, message: 'frames must be JSON text' };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes one frame from a client. A frame that is not a JSON object with a known string
 * `type` is `bad_frame`; a known type with bad fields is `invalid_request` (with `replyTo`
 * when the frame had a string `id`).
 */
export function decodeClientMessage(raw: unknown): DecodeResult<ClientMessage> {
  const json = parseJson(raw);
  if (!json.ok) return { ok: false, code: 'bad_frame', message: json.message };
  const value = json.value;
  if (!isPlainObject(value)) return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object' };
  if (typeof value.type !== 'string') return { ok: false, code: 'bad_frame', message: 'frame has no string "type"' };
  if (!CLIENT_MESSAGE_TYPES.has(value.type)) {
    return { ok: false, code: 'bad_frame', message: `unknown frame type "${value.type.slice(0, 64)}"` };
  }
  const parsed = ClientMessage.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  // Echo only an id the schema would accept: a 60 kB `id` is not reflected back.
  const replyTo = typeof value.id === 'string' && value.id.length >= 1 && value.id.length <= MAX_REQUEST_ID ? value.id : undefined;
  return {
    ok: false,
    code: 'invalid_request',
    message: `invalid ${value.type}: ${describeIssues(parsed.error)}`,
    ...(replyTo !== undefined ? { replyTo } : {}),
  };
}

/** Decodes one frame from the server (used by the widget and by tests). Never throws. */
export function decodeServerMessage(raw: unknown): DecodeResult<ServerMessage> {
  const json = parseJson(raw);
  if (!json.ok) return { ok: false, code: 'bad_frame', message: json.message };
  if (!isPlainObject(json.value)) return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object' };
  const parsed = ServerMessage.safeParse(json.value);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, code: 'invalid_request', message: describeIssues(parsed.error) };
}
