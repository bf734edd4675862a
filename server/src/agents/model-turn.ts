import type { AssistantMessageItem, ModelApi, ThreadEventBody, Usage } from '@agent-chat/shared';
import { toErrorPayload } from '../errors.ts';
import type { Model, ModelRequest } from '../models/model.ts';
import type { ModelFinishReason } from './run-step.ts';
import { added, addUsage, itemBase, type RunState } from './run-state.ts';

/** A function call as the model made it (arguments still a JSON string). */
export interface ModelToolCall {
  callId: string;
  name: string;
  arguments: string;
}

/** What one model response produced. */
export interface ModelTurn {
  /** Every text delta of the response, joined. */
  text: string;
  /** The assistant message for `text`; created on the first delta. */
  message?: AssistantMessageItem;
  /** Whether `message` was already shown (item.added + deltas): stream mode. */
  shown: boolean;
  calls: ModelToolCall[];
  /** Set when the response did not complete: the run was aborted, or the model failed. */
  failure?: { aborted: true } | { aborted: false; error: unknown };
}

/**
 * Iterates `source` but stops as soon as `signal` aborts, even if the source is waiting for the
 * network and ignores its signal; the source is then closed with `return()`. One listener per
 * call, removed in `finally`.
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('aborted'));
  });
  aborted.catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) return;
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a source stuck in next() would hold the cancel up; it got the abort signal too.
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => undefined);
  }
}

/**
 * Streams one model response. In `stream` mode text is shown as it arrives (item.added with
 * status in_progress, then a text.delta per delta); in `buffer` mode it is only collected.
 * Never throws: an abort or a model error is returned in `failure` with the partial text.
 */
export async function* streamModel(state: RunState, model: Model, request: ModelRequest, api: ModelApi): AsyncGenerator<ThreadEventBody, ModelTurn> {
  const turn: ModelTurn = { text: '', shown: false, calls: [] };
  const streaming = state.agent.outputMode === 'stream';
  const startedAt = state.ctx.now();
  const started = performance.now();
  let firstTokenMs: number | undefined;
  let usage: Usage | undefined;
  const record = (finishReason: ModelFinishReason, error?: unknown) =>
    state.ctx.record?.({
      type: 'model_call',
      agent: state.agent.id,
      model: request.model,
      api,
      provider: state.services.models.mode,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      finishReason,
      ...(error !== undefined ? { errorCode: toErrorPayload(error).code } : {}),
    });
  try {
    for await (const event of abortable(model.stream(request, state.signal), state.signal)) {
      if (firstTokenMs === undefined && event.type !== 'completed') firstTokenMs = Math.round(performance.now() - started);
      switch (event.type) {
        case 'text_delta': {
          if (!event.delta) break;
          if (!turn.message) {
            turn.message = { ...itemBase(state), type: 'assistant_message', agent: state.agent.id, text: '', status: 'in_progress' };
            if (streaming) {
              turn.shown = true;
              yield added(turn.message);
            }
          }
          turn.text += event.delta;
          if (streaming) yield { type: 'text.delta', itemId: turn.message.id, delta: event.delta };
          break;
        }
        case 'tool_call':
          turn.calls.push({ callId: event.callId, name: event.name, arguments: event.arguments });
          break;
        case 'completed':
          usage = event.usage;
          addUsage(state, event.usage);
          if (event.usage) state.services.metrics?.tokensUsed({ model: request.model, workflow: state.workflow.id, site: state.input.siteId ?? null }, event.usage);
          break;
      }
    }
  } catch (error) {
    turn.failure = state.signal.aborted ? { aborted: true } : { aborted: false, error };
    record(turn.failure.aborted ? 'aborted' : 'error', turn.failure.aborted ? undefined : error);
    return turn;
  }
  if (state.signal.aborted) turn.failure = { aborted: true };
  record(turn.failure ? 'aborted' : turn.calls.length > 0 ? 'tool_calls' : 'stop');
  return turn;
}
