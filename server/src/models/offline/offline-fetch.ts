/**
 * The offline model as a `fetch`: handed to the `openai` client, it answers
 * `POST …/responses` and `POST …/chat/completions` in OpenAI's exact wire formats (SSE when
 * `stream: true`, JSON otherwise), with the decisions of `offline-brain.ts`. No socket, no
 * network: the client cannot tell it from a real server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { decide } from './offline-brain.ts';
import { BadRequest, isObject, readChatRequest, readResponsesRequest, type OfflineRequest } from './offline-request.ts';
import { chatCompletion, chatFrames } from './chat-wire.ts';
import { responseObject, responsesFrames } from './responses-wire.ts';
import { toWireOutput, wireId, type Frame } from './wire-output.ts';

export interface OfflineFetchOptions {
  /** Pause between streamed text deltas, in ms (0 = none). */
  delayMs?: number | undefined;
  /** The clock the model reads "today" and "tomorrow" from (tests fix it). Default: the system clock. */
  now?: (() => Date) | undefined;
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': wireId('req') },
  });
}

function errorResponse(status: number, message: string, param: string | null = null, code: string | null = null): Response {
  return jsonResponse(status, { error: { message, type: 'invalid_request_error', param, code } });
}

/** SSE body: frames written one by one, pausing before each text delta after the first; fails with the abort reason on abort. */
function sseResponse(frames: Frame[], delayMs: number, signal: AbortSignal | undefined): Response {
  const encoder = new TextEncoder();
  let index = 0;
  let sawText = false;
  let onAbort = (): void => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Fail the body even while nobody is reading it, so a reader blocked elsewhere sees the abort.
      onAbort = () => controller.error(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      const frame = frames[index++];
      if (!frame) {
        signal?.removeEventListener('abort', onAbort);
        controller.close();
        return;
      }
      // A pause cut short by an abort is not an error here: the abort listener has already failed the stream.
      if (frame.isTextDelta && sawText && delayMs > 0) await sleep(delayMs, undefined, { signal }).catch(() => {});
      sawText ||= frame.isTextDelta;
      if (signal?.aborted) return;
      controller.enqueue(encoder.encode(frame.data));
    },
    cancel() {
      signal?.removeEventListener('abort', onAbort);
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': wireId('req') },
  });
}

async function readBody(input: RequestInfo | URL, init: RequestInit | undefined): Promise<string> {
  if (init?.body == null) return input instanceof Request ? input.text() : '';
  return typeof init.body === 'string' ? init.body : new Response(init.body).text();
}

/**
 * Creates the offline `fetch`. Routes by path suffix, so any base URL works; other paths get
 * a 404 and other methods a 405, both OpenAI-shaped, and an unreadable body a 400.
 */
export function createOfflineFetch(options: OfflineFetchOptions = {}): typeof fetch {
  const delayMs = Math.max(0, options.delayMs ?? 0);
  const now = options.now ?? (() => new Date());
  const offlineFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    signal?.throwIfAborted();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const api = url.pathname.endsWith('/responses') ? 'responses' : url.pathname.endsWith('/chat/completions') ? 'chat' : undefined;
    if (!api) return errorResponse(404, `Unknown request URL: ${method} ${url.pathname}.`, null, 'unknown_url');
    if (method !== 'POST') return errorResponse(405, `Method ${method} is not allowed on ${url.pathname}.`);

    let request: OfflineRequest;
    try {
      const parsed: unknown = JSON.parse(await readBody(input, init));
      if (!isObject(parsed)) throw new BadRequest('The request body must be a JSON object.');
      request = api === 'responses' ? readResponsesRequest(parsed) : readChatRequest(parsed);
    } catch (error) {
      if (error instanceof BadRequest) return errorResponse(400, error.message, error.param);
      return errorResponse(400, 'We could not parse the JSON body of your request.');
    }

    const out = toWireOutput(request, decide({ ...request.brain, now: now() }));
    if (!request.stream) return jsonResponse(200, api === 'responses' ? responseObject(request, out, 'completed') : chatCompletion(request, out));
    return sseResponse(api === 'responses' ? responsesFrames(request, out) : chatFrames(request, out), delayMs, signal);
  };
  return offlineFetch as typeof fetch;
}
