import type { AssistantMessageItem, ThreadEventBody } from '@agent-chat/shared';
import { UpstreamError, toErrorPayload } from '../errors.ts';
import { withLocalizedText } from '../models/localized-text.ts';
import type { ModelRequest, ModelTool } from '../models/model.ts';
import { handoffTools, resolveHandoff } from './handoff.ts';
import { buildModelInput } from './history.ts';
import type { ModelToolCall, ModelTurn } from './model-turn.ts';
import { streamModel } from './model-turn.ts';
import type { NextStep } from './next-step.ts';
import { added, checkGuardrails, done, findAgent, forget, guardrailNotice, itemBase, remember, runLogger, type RunState } from './run-state.ts';
import { runToolCalls } from './tool-execution.ts';

/** The request for the current agent: its instructions, the thread so far, its tools and transfer tools. */
function buildRequest(state: RunState, tools: ModelTool[]): ModelRequest {
  const { agent, workflow } = state;
  return {
    model: agent.model ?? workflow.model,
    instructions: withLocalizedText(agent.instructions, agent.localizedText),
    input: buildModelInput(state.items, workflow.history, state.input.attachments, state.toolImages),
    tools: [...tools, ...handoffTools(agent)],
  };
}

/** Keeps the text of a response that did not complete (stream mode: the visitor saw it). */
function* keepPartial(state: RunState, turn: ModelTurn): Generator<ThreadEventBody> {
  if (!turn.message || !turn.shown) return;
  const partial: AssistantMessageItem = { ...turn.message, text: turn.text, status: 'incomplete' };
  remember(state, partial);
  yield done(partial);
}

/**
 * Checks a final answer with the agent's output guardrails. Returns the text to keep, or
 * `undefined` after withdrawing it (item.removed when it was shown, then a guardrail item).
 */
async function* checkOutput(state: RunState, turn: ModelTurn & { message: AssistantMessageItem }): AsyncGenerator<ThreadEventBody, string | undefined> {
  const outcome = await checkGuardrails(state, 'output', turn.text);
  if (!outcome.tripped) return outcome.text;
  if (turn.shown) {
    yield { type: 'item.removed', itemId: turn.message.id, reason: `Withdrawn by the ${outcome.tripped.name} guardrail.` };
  }
  forget(state, turn.message.id);
  yield* guardrailNotice(state, 'output', outcome.tripped);
  return undefined;
}

/** Splits calls into the first valid handoff (later ones are ignored) and the ordinary tool calls. */
function splitCalls(state: RunState, calls: readonly ModelToolCall[]) {
  let handoff: string | undefined;
  const toolCalls: ModelToolCall[] = [];
  for (const call of calls) {
    const target = resolveHandoff(state.agent, call.name);
    if (target === undefined) toolCalls.push(call);
    else if (handoff === undefined && findAgent(state.workflow, target)) handoff = target;
  }
  return { handoff, toolCalls };
}

/**
 * One turn: a model call for the current agent and everything its response leads to (text,
 * tool calls, a handoff). Returns what happens next.
 */
export async function* runTurn(state: RunState): AsyncGenerator<ThreadEventBody, NextStep> {
  const { agent, workflow } = state;
  const tools = await state.services.resolveTools(workflow, agent);
  const request = buildRequest(
    state,
    [...tools.values()].map(({ tool }) => ({ name: tool.name, description: tool.description, parameters: tool.parameters })),
  );
  const api = agent.api ?? workflow.api;
  const model = state.services.models.getModel(request.model, api);
  state.turns++;
  const turn = yield* streamModel(state, model, request, api);

  if (turn.failure) {
    yield* keepPartial(state, turn);
    if (turn.failure.aborted) return { type: 'aborted' };
    const error = turn.failure.error;
    const payload = toErrorPayload(error);
    const fields = { model: request.model, api, code: payload.code, ...(error instanceof UpstreamError ? { status: error.status } : {}) };
    // A provider failure is the operator's to fix (key, quota, network); anything else is a bug.
    if (payload.code === 'internal') runLogger(state).error('model call failed', error, fields);
    else runLogger(state).warn('model call failed', error, fields);
    return { type: 'failed', error: payload };
  }

  const final = turn.calls.length === 0;
  if (turn.message) {
    let text: string | undefined = turn.text;
    if (final && agent.outputGuardrails.length > 0) {
      try {
        text = yield* checkOutput(state, { ...turn, message: turn.message });
      } catch (error) {
        if (state.signal.aborted) {
          yield* keepPartial(state, turn);
          return { type: 'aborted' };
        }
        // An answer that could not be checked does not stay on screen (fail closed).
        if (turn.shown) yield { type: 'item.removed', itemId: turn.message.id, reason: 'The answer could not be checked.' };
        forget(state, turn.message.id);
        runLogger(state).warn('output guardrail failed; the answer was withdrawn', error, { stage: 'output' });
        return { type: 'failed', error: toErrorPayload(error) };
      }
      if (state.signal.aborted) {
        if (text !== undefined) yield* keepPartial(state, turn);
        return { type: 'aborted' };
      }
      if (text === undefined) return { type: 'blocked' };
    }
    if (!turn.shown) {
      // Buffer mode: the checked text goes out in one piece.
      yield added(turn.message);
      yield { type: 'text.delta', itemId: turn.message.id, delta: text };
    }
    const message: AssistantMessageItem = { ...turn.message, text, status: 'done' };
    remember(state, message);
    yield done(message);
  }
  if (final) return { type: 'final_output' };

  const { handoff, toolCalls } = splitCalls(state, turn.calls);
  if (state.toolCalls + toolCalls.length > workflow.limits.maxToolCalls) {
    return { type: 'failed', error: { code: 'max_tool_calls', message: 'The assistant needed too many steps for this request. Please try a simpler question.' } };
  }
  const { awaiting } = yield* runToolCalls(state, toolCalls, tools);
  if (state.signal.aborted) return { type: 'aborted' };

  if (handoff) {
    const item = { ...itemBase(state), type: 'handoff' as const, agent: agent.id, from: agent.id, to: handoff };
    remember(state, item);
    yield added(item);
    yield done(item);
    state.agent = findAgent(workflow, handoff) ?? agent;
  }
  if (awaiting > 0) return { type: 'interruption' };
  return handoff ? { type: 'handoff', from: agent.id, to: handoff } : { type: 'run_again' };
}
