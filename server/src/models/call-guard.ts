import { UPSTREAM_MESSAGES, toUpstreamError } from './upstream-error.ts';
import { UpstreamError } from '../errors.ts';
import type { ModelEvent } from './model.ts';

/** The error a model stream ends with when the caller's signal aborts it. */
export function abortError(): DOMException {
  return new DOMException('The model stream was aborted.', 'AbortError');
}

/**
 * Abort plumbing for one model call. The SDK gets a call-local signal that follows the
 * caller's, so its per-request listener lands on a short-lived controller rather than the
 * run's signal (and no `AbortSignal.any`, which leaks on Node 20). An idle timer aborts the
 * call when the stream goes quiet: the SDK's own timeout only covers the wait for headers.
 */
export class CallGuard {
  readonly #external: AbortSignal;
  readonly #controller = new AbortController();
  readonly #onExternalAbort = (): void => this.#controller.abort();
  #idle: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  constructor(external: AbortSignal, idleTimeoutMs: number) {
    this.#external = external;
    if (external.aborted) this.#controller.abort();
    else external.addEventListener('abort', this.#onExternalAbort, { once: true });
    this.#idle = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, idleTimeoutMs);
  }

  /** The signal to hand to the SDK. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Call on every stream event: the stream is alive. */
  touch(): void {
    this.#idle?.refresh();
  }

  /**
   * Waits for the SDK's request promise, but gives up at once on abort: the SDK sleeps
   * between retries without watching the signal. A stream that arrives late is closed.
   */
  start<T extends { controller: AbortController }>(request: Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        settled = true;
        reject(abortError());
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      request.then(
        (stream) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) stream.controller.abort();
          else resolve(stream);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) reject(error);
        },
      );
    });
  }

  /** After the SDK stream ended: throws if it ended because of an abort or the idle timer. */
  checkStopped(): void {
    if (this.#external.aborted) throw abortError();
    if (this.#timedOut) throw new UpstreamError(UPSTREAM_MESSAGES.timeout);
  }

  /** Maps an error from the SDK call to what `Model.stream` throws: AbortError on cancel, else UpstreamError. */
  translate(error: unknown): Error {
    if (this.#external.aborted) return abortError();
    if (this.#timedOut) return new UpstreamError(UPSTREAM_MESSAGES.timeout, { cause: error });
    return toUpstreamError(error);
  }

  /** Detaches from the caller's signal and stops the idle timer. */
  dispose(): void {
    this.#external.removeEventListener('abort', this.#onExternalAbort);
    clearTimeout(this.#idle);
    this.#idle = undefined;
  }
}

/** An adapter's parser for one stream: chunks in, model events out. */
export interface StreamParser<Chunk> {
  handle(chunk: Chunk): Iterable<ModelEvent>;
  /** True once the stream has said everything (reading stops early). */
  readonly ended: boolean;
  /** The events after the last chunk, ending with `completed`; throws UpstreamError for a stream that ended wrong. */
  finish(): Iterable<ModelEvent>;
}

/**
 * The one streaming loop both adapters share: opens the SDK stream under a CallGuard, feeds
 * every chunk to `parser`, and maps abort, idle timeout and SDK errors to what `Model.stream`
 * throws (AbortError or UpstreamError).
 */
export async function* guardedStream<Chunk>(
  signal: AbortSignal,
  idleTimeoutMs: number,
  open: (signal: AbortSignal) => Promise<AsyncIterable<Chunk> & { controller: AbortController }>,
  parser: StreamParser<Chunk>,
): AsyncGenerator<ModelEvent> {
  const guard = new CallGuard(signal, idleTimeoutMs);
  try {
    const stream = await guard.start(open(guard.signal));
    for await (const chunk of stream) {
      guard.touch();
      yield* parser.handle(chunk);
      if (parser.ended) break;
    }
    guard.checkStopped();
    yield* parser.finish();
  } catch (error) {
    throw guard.translate(error);
  } finally {
    guard.dispose();
  }
}
