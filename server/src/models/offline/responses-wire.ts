/**
 * The Responses API wire format, as recorded in server/test/fixtures/openai/responses-*.sse:
 * `event: <type>` + `data: <json>` frames with `sequence_number` counting from 0, and the
 * non-streaming response object.
 */
import type { OfflineRequest } from './offline-request.ts';
import { argumentFragments, textDeltas, type Frame, type WireOutput } from './wire-output.ts';

type Json = Record<string, unknown>;

function messageItem(out: WireOutput, status: 'in_progress' | 'completed'): Json {
  const content = status === 'completed' ? [{ type: 'output_text', annotations: [], text: out.text ?? '' }] : [];
  return { id: out.messageId, type: 'message', status, content, role: 'assistant' };
}

function callItem(call: WireOutput['calls'][number], status: 'in_progress' | 'completed'): Json {
  return {
    id: call.itemId,
    type: 'function_call',
    status,
    arguments: status === 'completed' ? call.arguments : '',
    call_id: call.callId,
    name: call.name,
  };
}

function outputItems(out: WireOutput): Json[] {
  return [...(out.text !== undefined ? [messageItem(out, 'completed')] : []), ...out.calls.map((c) => callItem(c, 'completed'))];
}

/** The `response` object, in progress or completed. */
export function responseObject(request: OfflineRequest, out: WireOutput, status: 'in_progress' | 'completed'): Json {
  const format = request.brain.responseFormat
    ? { type: 'json_schema', name: request.brain.responseFormat.name, schema: request.brain.responseFormat.schema, strict: false }
    : { type: 'text' };
  const done = status === 'completed';
  return {
    id: out.responseId,
    object: 'response',
    created_at: out.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.brain.instructions || null,
    max_output_tokens: null,
    model: request.model,
    output: done ? outputItems(out) : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: false,
    temperature: 1.0,
    text: { format },
    tool_choice: 'auto',
    tools: request.tools,
    top_p: 1.0,
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: out.usage.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: out.usage.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: out.usage.input + out.usage.output,
        }
      : null,
    user: null,
    metadata: {},
  };
}

/** Every event of a streamed response, in order, as SSE frames. */
export function responsesFrames(request: OfflineRequest, out: WireOutput): Frame[] {
  const frames: Frame[] = [];
  let sequence = 0;
  const push = (type: string, fields: Json, isTextDelta = false): void => {
    const payload = { type, sequence_number: sequence++, ...fields };
    frames.push({ data: `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`, isTextDelta });
  };
  push('response.created', { response: responseObject(request, out, 'in_progress') });
  push('response.in_progress', { response: responseObject(request, out, 'in_progress') });
  let outputIndex = 0;
  if (out.text !== undefined) {
    const text = out.text;
    const at = { item_id: out.messageId, output_index: outputIndex, content_index: 0 };
    push('response.output_item.added', { output_index: outputIndex, item: messageItem(out, 'in_progress') });
    push('response.content_part.added', { ...at, part: { type: 'output_text', annotations: [], text: '' } });
    for (const delta of textDeltas(text)) push('response.output_text.delta', { ...at, delta }, true);
    push('response.output_text.done', { ...at, text });
    push('response.content_part.done', { ...at, part: { type: 'output_text', annotations: [], text } });
    push('response.output_item.done', { output_index: outputIndex, item: messageItem(out, 'completed') });
    outputIndex++;
  }
  for (const call of out.calls) {
    const at = { item_id: call.itemId, output_index: outputIndex };
    push('response.output_item.added', { output_index: outputIndex, item: callItem(call, 'in_progress') });
    for (const delta of argumentFragments(call.arguments)) push('response.function_call_arguments.delta', { ...at, delta });
    push('response.function_call_arguments.done', { ...at, arguments: call.arguments });
    push('response.output_item.done', { output_index: outputIndex, item: callItem(call, 'completed') });
    outputIndex++;
  }
  push('response.completed', { response: responseObject(request, out, 'completed') });
  return frames;
}
