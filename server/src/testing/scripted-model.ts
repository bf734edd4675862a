import type { ModelApi, Usage } from '@agent-chat/shared';
import type { Model, ModelEvent, ModelProvider, ModelRequest, ModerationResult } from '../models/model.ts';

/**
 * One scripted step of a stream: a model event, a pause, an error thrown mid-stream, or a hang
 * that only an abort ends (to test cancel and timeouts).
 */
export type ScriptEvent = ModelEvent | { type: 'pause'; ms: number } | { type: 'throw'; error: Error } | { type: 'hang' };

/** One model response: its events, or a function of the request (for answers that depend on it). */
export type ScriptedResponse = readonly ScriptEvent[] | ((request: ModelRequest, call: number) => readonly ScriptEvent[]);

/** What a scripted model saw and did on one call. */
export interface ScriptedCall {
  request: ModelRequest;
  /** Events handed to the consumer. */
  yielded: number;
  /** True once the stream ended early: aborted, or closed by the consumer before its last event. */
  stopped: boolean;
  /** True once the stream ran to its end. */
  finished: boolean;
}

/** Text in deltas of `size` characters (default: word by word). */
export function textEvents(text: string, size?: number): ModelEvent[] {
  const parts = size ? (text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []) : (text.match(/\S+\s*|\s+/g) ?? []);
  return parts.map((delta) => ({ type: 'text_delta', delta }));
}

/** A function call with JSON-encoded arguments. */
export function toolCallEvent(name: string, args: Record<string, unknown> = {}, callId = `call_${name}_${Math.random().toString(36).slice(2, 8)}`): ModelEvent {
  return { type: 'tool_call', callId, name, arguments: JSON.stringify(args) };
}

/** The closing event of a response. */
export function completedEvent(usage?: Usage): ModelEvent {
  return usage ? { type: 'completed', usage } : { type: 'completed' };
}

/** A complete text answer. */
export function textResponse(text: string, usage?: Usage): ScriptEvent[] {
  return [...textEvents(text), completedEvent(usage)];
}

/** A complete response that only calls tools. */
export function toolCallsResponse(...calls: ModelEvent[]): ScriptEvent[] {
  return [...calls, completedEvent()];
}

/** Waits `ms`, or less if `signal` aborts first (then resolves, never rejects). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A `Model` that replays scripted responses in order, one per `stream()` call, and records every
 * request: deterministic run-loop tests without a network. Running past the script throws.
 */
export class ScriptedModel implements Model {
  readonly calls: ScriptedCall[] = [];
  readonly #responses: ScriptedResponse[];

  constructor(responses: readonly ScriptedResponse[]) {
    this.#responses = [...responses];
  }

  /** The requests seen so far. */
  get requests(): ModelRequest[] {
    return this.calls.map((c) => c.request);
  }

  /** Adds responses to the end of the script. */
  push(...responses: ScriptedResponse[]): void {
    this.#responses.push(...responses);
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const index = this.calls.length;
    const call: ScriptedCall = { request: structuredClone(request), yielded: 0, stopped: false, finished: false };
    this.calls.push(call);
    const response = this.#responses[index];
    if (!response) throw new Error(`ScriptedModel: no response scripted for call ${index + 1}`);
    const events = typeof response === 'function' ? response(request, index) : response;
    try {
      for (const event of events) {
        if (signal.aborted) return;
        if (event.type === 'pause') await sleepUnlessAborted(event.ms, signal);
        else if (event.type === 'hang') await sleepUnlessAborted(2 ** 31 - 1, signal);
        else if (event.type === 'throw') throw event.error;
        else {
          call.yielded++;
          yield event;
        }
      }
      if (!signal.aborted) call.finished = true;
    } finally {
      if (!call.finished) call.stopped = true;
    }
  }
}

/** A `ModelProvider` that hands out scripted models: one for every name, or one per model name. */
export class ScriptedProvider implements ModelProvider {
  readonly mode = 'offline' as const;
  /** Every `getModel` call, in order. */
  readonly lookups: { name: string; api: ModelApi }[] = [];
  readonly #models: Map<string, Model> | Model;
  readonly moderate?: (text: string, model: string, signal: AbortSignal) => Promise<ModerationResult>;

  constructor(models: Model | Record<string, Model>, options: { moderate?: ScriptedProvider['moderate'] } = {}) {
    this.#models = 'stream' in models && typeof models.stream === 'function' ? (models as Model) : new Map(Object.entries(models as Record<string, Model>));
    if (options.moderate) this.moderate = options.moderate;
  }

  getModel(name: string, api: ModelApi): Model {
    this.lookups.push({ name, api });
    if (!(this.#models instanceof Map)) return this.#models;
    const model = this.#models.get(name);
    if (!model) throw new Error(`ScriptedProvider: no model named "${name}"`);
    return model;
  }
}
