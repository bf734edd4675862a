import type OpenAI from 'openai';
import { type StreamParser, guardedStream } from './call-guard.ts';
import type { Model, ModelEvent, ModelRequest } from './model.ts';

/** Options shared by both adapters. */
export interface OpenAIModelOptions {
  /** Fail a stream that sends nothing for this long (ms). */
  idleTimeoutMs: number;
}

/**
 * What both API flavours share: a client, a model name, and one guarded streaming loop. A
 * flavour says how a request becomes its body, how the SDK call is made, and how its chunks
 * are parsed.
 */
export abstract class OpenAIStreamingModel<Body, Chunk> implements Model {
  protected readonly client: OpenAI;
  readonly #name: string;
  readonly #options: OpenAIModelOptions;

  constructor(client: OpenAI, name: string, options: OpenAIModelOptions) {
    this.client = client;
    this.#name = name;
    this.#options = options;
  }

  /** Streams one response. Uses `request.model` when set, else the name this model was created with. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const body = this.toBody(request, request.model || this.#name);
    return guardedStream(signal, this.#options.idleTimeoutMs, (callSignal) => this.open(body, callSignal), this.parser());
  }

  protected abstract toBody(request: ModelRequest, model: string): Body;
  protected abstract open(body: Body, signal: AbortSignal): Promise<AsyncIterable<Chunk> & { controller: AbortController }>;
  protected abstract parser(): StreamParser<Chunk>;
}
