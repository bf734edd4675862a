/**
 * The Chat Completions wire format, as recorded in server/test/fixtures/openai/chat-*: `data:`
 * frames of `chat.completion.chunk` (role chunk, content chunks, tool-call fragments by index
 * with id and name first, a finish_reason chunk, a usage chunk with `choices: []` when asked),
 * then `data: [DONE]`; and the non-streaming `chat.completion` object.
 */
import type { OfflineRequest } from './offline-request.ts';
import { argumentFragments, textDeltas, type Frame, type WireOutput } from './wire-output.ts';

type Json = Record<string, unknown>;

function chatId(out: WireOutput): string {
  return out.responseId.replace(/^resp_/, 'chatcmpl-');
}

function finishReason(out: WireOutput): 'stop' | 'tool_calls' {
  return out.calls.length > 0 ? 'tool_calls' : 'stop';
}

function usage(out: WireOutput): Json {
  return {
    prompt_tokens: out.usage.input,
    completion_tokens: out.usage.output,
    total_tokens: out.usage.input + out.usage.output,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** Every chunk of a streamed completion, in order, as SSE frames, ending with `[DONE]`. */
export function chatFrames(request: OfflineRequest, out: WireOutput): Frame[] {
  const frames: Frame[] = [];
  const base = { id: chatId(out), object: 'chat.completion.chunk', created: out.createdAt, model: request.model, service_tier: 'default', system_fingerprint: null };
  // With include_usage every chunk carries `usage: null` until the last one (chat-text.chunks.txt).
  const tail = request.includeUsage ? { usage: null } : {};
  const push = (delta: Json, finish: string | null = null, isTextDelta = false): void => {
    const chunk = { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...tail };
    frames.push({ data: `data: ${JSON.stringify(chunk)}\n\n`, isTextDelta });
  };
  push(out.text !== undefined ? { role: 'assistant', content: '', refusal: null } : { role: 'assistant', content: null });
  if (out.text !== undefined) for (const content of textDeltas(out.text)) push({ content }, null, true);
  out.calls.forEach((call, index) => {
    push({ tool_calls: [{ index, id: call.callId, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const fragment of argumentFragments(call.arguments)) push({ tool_calls: [{ index, function: { arguments: fragment } }] });
  });
  push({}, finishReason(out));
  if (request.includeUsage) frames.push({ data: `data: ${JSON.stringify({ ...base, choices: [], usage: usage(out) })}\n\n`, isTextDelta: false });
  frames.push({ data: 'data: [DONE]\n\n', isTextDelta: false });
  return frames;
}

/** The non-streaming `chat.completion` object. */
export function chatCompletion(request: OfflineRequest, out: WireOutput): Json {
  const toolCalls = out.calls.map((call) => ({ id: call.callId, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return {
    id: chatId(out),
    object: 'chat.completion',
    created: out.createdAt,
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: out.text ?? null,
          refusal: null,
          annotations: [],
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(out),
      },
    ],
    usage: usage(out),
    service_tier: 'default',
    system_fingerprint: null,
  };
}
