import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { UpstreamError } from '../errors.ts';

/** What we know about a provider failure: an HTTP status and/or OpenAI's error `code`/`type`. */
export interface UpstreamFailure {
  status?: number | undefined;
  code?: string | null | undefined;
  type?: string | null | undefined;
}

/**
 * What a visitor reads when the model provider fails. Nothing here names the provider's words,
 * a key or a URL: a bad key, a spent quota or a missing model all read "not available" (the
 * operator finds the reason in the log); passing trouble invites a retry.
 */
export const UPSTREAM_MESSAGES = {
  rateLimited: 'The assistant is busy right now. Please try again in a moment.',
  quota: 'The assistant is not available right now.',
  timeout: 'The assistant took too long to answer. Please try again.',
  unreachable: 'The assistant could not be reached. Please try again in a moment.',
  connectionLost: 'The connection to the assistant was lost. Please try again.',
  cutOff: "The assistant's reply was cut off. Please try again.",
  unreadable: "The assistant's reply could not be read. Please try again.",
  overloaded: 'The assistant is having trouble right now. Please try again in a moment.',
  auth: 'The assistant is not available right now.',
  notFound: 'The assistant is not available right now.',
  tooLong: 'This conversation is too long for the assistant. Please start a new conversation.',
  badRequest: 'The assistant could not answer this request.',
  contentFilter: "The assistant's reply was blocked by a content filter.",
  generic: 'The assistant could not answer just now. Please try again.',
} as const;

/** A visitor-readable sentence for a provider failure (never the provider's raw text, which may name projects or keys). */
export function describeUpstreamFailure({ status, code, type }: UpstreamFailure): string {
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return UPSTREAM_MESSAGES.quota;
  if (status === 429 || code === 'rate_limit_exceeded' || type === 'tokens' || type === 'requests') {
    return UPSTREAM_MESSAGES.rateLimited;
  }
  if (code === 'context_length_exceeded') return UPSTREAM_MESSAGES.tooLong;
  if (status === 401 || status === 403 || code === 'invalid_api_key') return UPSTREAM_MESSAGES.auth;
  if (status === 404 || code === 'model_not_found') return UPSTREAM_MESSAGES.notFound;
  if (status === 408) return UPSTREAM_MESSAGES.timeout;
  if ((status !== undefined && status >= 500) || code === 'server_error' || type === 'server_error') {
    return UPSTREAM_MESSAGES.overloaded;
  }
  if (status === 400 || status === 422) return UPSTREAM_MESSAGES.badRequest;
  return UPSTREAM_MESSAGES.generic;
}

/**
 * Turns anything a provider call threw into an `UpstreamError` with a readable message,
 * keeping the original as `cause` (for logs and traces, never for the wire).
 */
export function toUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  // Order matters: the timeout error is a connection error, which is an APIError.
  if (error instanceof APIConnectionTimeoutError) return new UpstreamError(UPSTREAM_MESSAGES.timeout, { cause: error });
  if (error instanceof APIConnectionError) return new UpstreamError(UPSTREAM_MESSAGES.unreachable, { cause: error });
  if (error instanceof APIError) {
    const message = describeUpstreamFailure({ status: error.status, code: error.code, type: error.type });
    return new UpstreamError(message, { cause: error, status: error.status });
  }
  // The SDK re-throws JSON.parse failures of a stream's data lines as they are.
  if (error instanceof SyntaxError) return new UpstreamError(UPSTREAM_MESSAGES.unreadable, { cause: error });
  // undici fails a body that ends mid-transfer with `TypeError: terminated`; sockets give ECONNRESET & co.
  if (error instanceof TypeError || (error instanceof Error && 'code' in error)) {
    return new UpstreamError(UPSTREAM_MESSAGES.connectionLost, { cause: error });
  }
  return new UpstreamError(UPSTREAM_MESSAGES.generic, { cause: error });
}
