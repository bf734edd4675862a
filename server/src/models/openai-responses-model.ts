import type {
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  ResponseInputItem,
  ResponseStreamEvent,
  ResponseUsage,
  Tool,
} from 'openai/resources/responses/responses';
import type { Usage } from '@agent-chat/shared';
import { UpstreamError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { StreamParser } from './call-guard.ts';
import { contentText, imageUrl, type ModelContentPart, type ModelEvent, type ModelRequest } from './model.ts';
import { OpenAIStreamingModel } from './openai-model.ts';
import { isStrictSchema } from './strict-schema.ts';
import { UPSTREAM_MESSAGES, describeUpstreamFailure } from './upstream-error.ts';

export type { OpenAIModelOptions } from './openai-model.ts';

/** A user message's parts as Responses input content: `input_text`, and `input_image` with a data URL. */
function toInputContent(parts: readonly ModelContentPart[]): ResponseInputContent[] {
  return parts.map((part): ResponseInputContent =>
    part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_image', image_url: imageUrl(part), detail: 'auto' },
  );
}

/** Builds the Responses API request body for one model call. */
export function toResponsesBody(request: ModelRequest, model: string): ResponseCreateParamsStreaming {
  const input: ResponseInputItem[] = request.input.map((item): ResponseInputItem => {
    switch (item.type) {
      case 'message':
        if (typeof item.content === 'string') return { type: 'message', role: item.role, content: item.content };
        // Only user messages carry parts; an assistant's turn is sent as its text.
        if (item.role === 'assistant') return { type: 'message', role: 'assistant', content: contentText(item.content) };
        return { type: 'message', role: 'user', content: toInputContent(item.content) };
      case 'function_call':
        return { type: 'function_call', call_id: item.callId, name: item.name, arguments: item.arguments };
      case 'function_call_output':
        return { type: 'function_call_output', call_id: item.callId, output: item.output };
    }
  });
  const tools: Tool[] = request.tools.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    // Strict mode rejects schemas with optional fields; only ask for it where it is valid.
    strict: isStrictSchema(tool.parameters),
  }));
  const body: ResponseCreateParamsStreaming = {
    model,
    instructions: request.instructions,
    input,
    stream: true,
    // The thread lives in our SQLite; nothing needs to be kept at OpenAI.
    store: false,
  };
  if (tools.length > 0) body.tools = tools;
  if (request.responseFormat) {
    const { name, schema } = request.responseFormat;
    body.text = { format: { type: 'json_schema', name, schema, strict: isStrictSchema(schema) } };
  }
  return body;
}

interface PendingCall {
  callId: string;
  name: string;
  arguments: string;
}

/**
 * Folds Responses stream events into `ModelEvent`s. Function-call arguments arrive in
 * fragments keyed by `output_index` (several calls may interleave); a call is emitted whole
 * on `response.output_item.done`.
 */
class ResponsesStreamState implements StreamParser<ResponseStreamEvent> {
  readonly #pending = new Map<number, PendingCall>();
  readonly #emitted = new Set<string>();
  usage: Usage | undefined;
  completed = false;

  /** `response.completed` is the last event that matters. */
  get ended(): boolean {
    return this.completed;
  }

  /** `completed` with usage; a stream cut off before `response.completed` is an error. */
  finish(): ModelEvent[] {
    if (!this.completed) throw new UpstreamError(UPSTREAM_MESSAGES.cutOff);
    return [this.usage ? { type: 'completed', usage: this.usage } : { type: 'completed' }];
  }

  handle(event: ResponseStreamEvent): ModelEvent[] {
    switch (event.type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return event.delta ? [{ type: 'text_delta', delta: event.delta }] : [];
      case 'response.output_item.added':
        if (event.item.type === 'function_call') {
          const { call_id, name, arguments: args } = event.item;
          this.#pending.set(event.output_index, { callId: call_id, name, arguments: args ?? '' });
        }
        return [];
      case 'response.function_call_arguments.delta':
        this.#call(event.output_index).arguments += event.delta;
        return [];
      case 'response.function_call_arguments.done':
        this.#call(event.output_index).arguments = event.arguments;
        return [];
      case 'response.output_item.done': {
        if (event.item.type !== 'function_call') return [];
        const pending = this.#pending.get(event.output_index);
        this.#pending.delete(event.output_index);
        const { call_id, name, arguments: args } = event.item;
        return this.#emit({
          callId: call_id || pending?.callId || '',
          name: name || pending?.name || '',
          arguments: args || pending?.arguments || '',
        });
      }
      case 'response.completed':
      case 'response.incomplete': {
        // A truncated (incomplete) response still carries usable text; the run loop keeps it.
        this.completed = true;
        this.usage = toUsage(event.response.usage);
        // Defensive: a server that skipped output_item.done still lists its calls here.
        const late: ModelEvent[] = [];
        for (const item of event.response.output ?? []) {
          if (item.type === 'function_call') late.push(...this.#emit({ callId: item.call_id, name: item.name, arguments: item.arguments }));
        }
        return late;
      }
      case 'response.failed': {
        const failure = event.response.error;
        throw new UpstreamError(describeUpstreamFailure({ code: failure?.code }), { cause: failure });
      }
      case 'error':
        // The SDK normally throws on this event itself (its data has an `error` field).
        throw new UpstreamError(describeUpstreamFailure({ code: event.code }), { cause: event });
      default:
        return [];
    }
  }

  #call(outputIndex: number): PendingCall {
    let pending = this.#pending.get(outputIndex);
    if (!pending) {
      pending = { callId: '', name: '', arguments: '' };
      this.#pending.set(outputIndex, pending);
    }
    return pending;
  }

  #emit(call: PendingCall): ModelEvent[] {
    if (!call.name) throw new UpstreamError(UPSTREAM_MESSAGES.unreadable, { cause: call });
    const callId = call.callId || newId('call');
    if (this.#emitted.has(callId)) return [];
    this.#emitted.add(callId);
    return [{ type: 'tool_call', callId, name: call.name, arguments: call.arguments || '{}' }];
  }
}

function toUsage(usage: ResponseUsage | null | undefined): Usage | undefined {
  if (!usage) return undefined;
  return { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 };
}

/**
 * A `Model` over the Responses API (`POST /responses`, `stream: true`).
 *
 * Errors: HTTP errors (after the SDK's retries), `error` / `response.failed` events, broken
 * or stalled streams and timeouts throw `UpstreamError`. Abort: when `signal` aborts, the
 * HTTP request is cancelled and the iteration throws a `DOMException` named `AbortError`.
 */
export class OpenAIResponsesModel extends OpenAIStreamingModel<ResponseCreateParamsStreaming, ResponseStreamEvent> {
  protected toBody(request: ModelRequest, model: string): ResponseCreateParamsStreaming {
    return toResponsesBody(request, model);
  }

  protected open(body: ResponseCreateParamsStreaming, signal: AbortSignal) {
    return this.client.responses.create(body, { signal });
  }

  protected parser(): ResponsesStreamState {
    return new ResponsesStreamState();
  }
}
