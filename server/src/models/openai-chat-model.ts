import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Usage } from '@agent-chat/shared';
import { UpstreamError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { StreamParser } from './call-guard.ts';
import { contentText, imageUrl, type ModelContentPart, type ModelEvent, type ModelRequest } from './model.ts';
import { OpenAIStreamingModel } from './openai-model.ts';
import { isStrictSchema } from './strict-schema.ts';
import { UPSTREAM_MESSAGES } from './upstream-error.ts';

/** A user message's parts as Chat Completions content: `text`, and `image_url` with a data URL. */
function toContentParts(content: string | readonly ModelContentPart[]): string | ChatCompletionContentPart[] {
  if (typeof content === 'string') return content;
  return content.map((part): ChatCompletionContentPart =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: imageUrl(part) } },
  );
}

/**
 * Builds the Chat Completions request body. Instructions become the system message; calls
 * that follow an assistant message (or each other) join that assistant message's
 * `tool_calls`, since one assistant turn carries all its calls; outputs become `tool` messages.
 */
export function toChatBody(request: ModelRequest, model: string): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  let openAssistant: ChatCompletionAssistantMessageParam | undefined;
  for (const item of request.input) {
    switch (item.type) {
      case 'message':
        if (item.role === 'assistant') {
          openAssistant = { role: 'assistant', content: contentText(item.content) };
          messages.push(openAssistant);
        } else {
          openAssistant = undefined;
          messages.push({ role: 'user', content: toContentParts(item.content) });
        }
        break;
      case 'function_call': {
        if (!openAssistant) {
          openAssistant = { role: 'assistant', content: null };
          messages.push(openAssistant);
        }
        const call = { id: item.callId, type: 'function' as const, function: { name: item.name, arguments: item.arguments } };
        openAssistant.tool_calls = [...(openAssistant.tool_calls ?? []), call];
        break;
      }
      case 'function_call_output':
        openAssistant = undefined;
        messages.push({ role: 'tool', tool_call_id: item.callId, content: item.output });
        break;
    }
  }
  const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters, strict: isStrictSchema(tool.parameters) },
  }));
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages,
    stream: true,
    // Without this the stream carries no token counts.
    stream_options: { include_usage: true },
  };
  if (tools.length > 0) body.tools = tools;
  if (request.responseFormat) {
    const { name, schema } = request.responseFormat;
    body.response_format = { type: 'json_schema', json_schema: { name, schema, strict: isStrictSchema(schema) } };
  }
  return body;
}

interface PendingCall {
  callId: string;
  name: string;
  arguments: string;
}

/**
 * Folds chat chunks into `ModelEvent`s. Tool-call fragments are keyed by `tool_calls[].index`
 * (id and name come in the first fragment); all calls are emitted, in index order, once the
 * choice finishes. Usage arrives in a last chunk with `choices: []`.
 */
class ChatStreamState implements StreamParser<ChatCompletionChunk> {
  readonly #pending = new Map<number, PendingCall>();
  usage: Usage | undefined;
  finishReason: string | undefined;
  sawOutput = false;
  /** Chat streams are read to the end: the usage chunk comes after `finish_reason`. */
  readonly ended = false;

  handle(chunk: ChatCompletionChunk): ModelEvent[] {
    const out: ModelEvent[] = [];
    if (chunk.usage) {
      this.usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    }
    const choice = chunk.choices?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    if (delta.content) out.push({ type: 'text_delta', delta: delta.content });
    if (delta.refusal) out.push({ type: 'text_delta', delta: delta.refusal });
    if (out.length > 0) this.sawOutput = true;
    (delta.tool_calls ?? []).forEach((fragment, position) => {
      // Some compatible servers omit `index` when they send each call in one piece.
      const index = fragment.index ?? position;
      let pending = this.#pending.get(index);
      if (!pending) {
        pending = { callId: '', name: '', arguments: '' };
        this.#pending.set(index, pending);
      }
      if (fragment.id && !pending.callId) pending.callId = fragment.id;
      if (fragment.function?.name && !pending.name) pending.name = fragment.function.name;
      if (fragment.function?.arguments) pending.arguments += fragment.function.arguments;
      this.sawOutput = true;
    });
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      out.push(...this.flushCalls());
    }
    return out;
  }

  /** The calls assembled so far, whole, in index order. */
  flushCalls(): ModelEvent[] {
    const calls = [...this.#pending.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    this.#pending.clear();
    return calls.map((call): ModelEvent => {
      if (!call.name) throw new UpstreamError(UPSTREAM_MESSAGES.unreadable, { cause: call });
      return { type: 'tool_call', callId: call.callId || newId('call'), name: call.name, arguments: call.arguments || '{}' };
    });
  }

  /** Calls left open by a server that skipped `finish_reason`, then `completed`. */
  finish(): ModelEvent[] {
    const calls = this.flushCalls();
    if (!this.finishReason && !this.sawOutput) throw new UpstreamError(UPSTREAM_MESSAGES.cutOff);
    if (this.finishReason === 'content_filter' && !this.sawOutput) throw new UpstreamError(UPSTREAM_MESSAGES.contentFilter);
    return [...calls, this.usage ? { type: 'completed', usage: this.usage } : { type: 'completed' }];
  }
}

/**
 * A `Model` over Chat Completions (`POST /chat/completions`, `stream: true`), which is what
 * most OpenAI-compatible servers speak.
 *
 * Errors: HTTP errors (after the SDK's retries), broken or stalled streams and timeouts throw
 * `UpstreamError`; a stream that ends without `finish_reason` is accepted if it carried any
 * output (some servers skip it) and is an error otherwise. Abort: when `signal` aborts, the
 * HTTP request is cancelled and the iteration throws a `DOMException` named `AbortError`.
 */
export class OpenAIChatModel extends OpenAIStreamingModel<ChatCompletionCreateParamsStreaming, ChatCompletionChunk> {
  protected toBody(request: ModelRequest, model: string): ChatCompletionCreateParamsStreaming {
    return toChatBody(request, model);
  }

  protected open(body: ChatCompletionCreateParamsStreaming, signal: AbortSignal) {
    return this.client.chat.completions.create(body, { signal });
  }

  protected parser(): ChatStreamState {
    return new ChatStreamState();
  }
}
