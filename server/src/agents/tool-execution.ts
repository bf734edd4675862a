import type { ThreadEventBody, ToolCallItem } from '@agent-chat/shared';
import type { ToolCallStatus } from '../observability/metrics.ts';
import type { AgentTool } from './agent-tools.ts';
import { ToolAbortedError, ToolError, toolErrorMessage } from './errors.ts';
import type { ModelToolCall } from './model-turn.ts';
import { isNoMatch } from './no-match.ts';
import { OutputWithImages } from './tool.ts';
import { added, done, findAgent, itemBase, remember, runLogger, type RunState } from './run-state.ts';

/** A JSON value for storage and the wire: what JSON.stringify keeps (undefined → null). */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}

/** Parses a call's JSON arguments; `undefined` when they are not a JSON object. */
function parseArguments(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.trim() || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Logs a failed call for the operator: the tool, the call, and the whole error (a `ToolError`'s
 * `detail`, the cause chain). A `ToolError` is a failure the tool foresaw; anything else is a bug
 * or an outage in the tool, logged as an error.
 */
function logToolFailure(state: RunState, item: ToolCallItem, error: unknown): void {
  const log = runLogger(state);
  const fields = { agentId: item.agent, tool: item.name, callId: item.callId };
  if (error instanceof ToolAbortedError) log.info('tool call stopped: the run ended', fields);
  else if (error instanceof ToolError) log.warn('tool call failed', error, { ...fields, detail: error.detail });
  else log.error('tool call failed', error, fields);
}

/** Runs one call and returns its final item (completed or failed). Never rejects. */
export async function executeCall(state: RunState, agentTool: AgentTool, item: ToolCallItem): Promise<ToolCallItem> {
  const started = performance.now();
  let status: ToolCallStatus = 'completed';
  try {
    const output = await agentTool.tool.invoke(item.arguments, {
      signal: state.signal,
      threadId: state.input.threadId,
      runId: state.input.runId,
      agent: item.agent,
      callId: item.callId,
    });
    const images = output instanceof OutputWithImages ? output.images : [];
    if (images.length > 0) state.toolImages.set(item.callId, images);
    const value = toJsonValue(output instanceof OutputWithImages ? output.output : output);
    return { ...item, status: 'completed', output: value, ...(isNoMatch(value) ? { noMatch: true } : {}) };
  } catch (error) {
    status = error instanceof ToolAbortedError ? 'cancelled' : 'failed';
    logToolFailure(state, item, error);
    return { ...item, status: 'failed', error: toolErrorMessage(error, item.name) };
  } finally {
    state.services.metrics?.toolCalled(item.name, status, (performance.now() - started) / 1000);
  }
}

/**
 * Starts a stored call again (approved, or cut short by a stop) with the tools of the agent that
 * made it, adding its task to `tasks`; a tool the workflow no longer has (or whose connector
 * is down) fails it at once.
 */
export async function* callAgain(state: RunState, item: ToolCallItem, tasks: Promise<ToolCallItem>[]): AsyncGenerator<ThreadEventBody> {
  const agent = findAgent(state.workflow, item.agent) ?? state.agent;
  const agentTool = (await state.services.resolveTools(state.workflow, agent)).get(item.name);
  if (agentTool) {
    tasks.push(executeCall(state, agentTool, { ...item, status: 'running' }));
    return;
  }
  const failed: ToolCallItem = { ...item, status: 'failed', error: `The tool "${item.name}" is not available right now.` };
  remember(state, failed);
  yield done(failed);
}

/**
 * Yields `item.done` for each task as it settles, in completion order, so a fast tool is not
 * held back by a slow one; every final item is remembered in the run state.
 */
export async function* settleConcurrently(state: RunState, tasks: Promise<ToolCallItem>[]): AsyncGenerator<ThreadEventBody> {
  const pending = new Map(tasks.map((task, index) => [index, task.then((item) => ({ index, item }))]));
  while (pending.size > 0) {
    const { index, item } = await Promise.race(pending.values());
    pending.delete(index);
    remember(state, item);
    yield done(item);
  }
}

/**
 * Turns a response's function calls into tool_call items and runs them: all calls of one
 * response concurrently. A call that needs approval is left `awaiting_approval` (the others
 * still run); an unknown tool or unreadable arguments fail at once, and the model hears why.
 * Returns how many calls now await approval.
 */
export async function* runToolCalls(
  state: RunState,
  calls: readonly ModelToolCall[],
  tools: ReadonlyMap<string, AgentTool>,
): AsyncGenerator<ThreadEventBody, { awaiting: number }> {
  const tasks: Promise<ToolCallItem>[] = [];
  let awaiting = 0;
  // Some compatible servers send empty or repeating call ids ("call_0" every turn); approvals and
  // the model's history pair calls with outputs by id, so each call gets a unique one.
  const usedIds = new Set(state.items.flatMap((item) => (item.type === 'tool_call' ? [item.callId] : [])));
  for (const call of calls) {
    const args = parseArguments(call.arguments);
    const callId = call.callId && !usedIds.has(call.callId) ? call.callId : `call_${state.ctx.newId()}`;
    usedIds.add(callId);
    const base: ToolCallItem = {
      ...itemBase(state),
      type: 'tool_call',
      agent: state.agent.id,
      callId,
      name: call.name,
      arguments: args ?? {},
      status: 'running',
    };
    const agentTool = tools.get(call.name);
    if (agentTool?.display) base.display = agentTool.display;
    let settled: ToolCallItem | undefined;
    if (!agentTool) settled = { ...base, status: 'failed', error: `Unknown tool "${call.name}". Use only the tools you were given.` };
    else if (!args) settled = { ...base, status: 'failed', error: 'The arguments were not a valid JSON object.' };
    else if (agentTool.needsApproval) {
      settled = { ...base, status: 'awaiting_approval' };
      awaiting++;
    }
    if (settled) {
      if (settled.status === 'failed') runLogger(state).info('tool call refused', { tool: call.name, callId, reason: settled.error });
      // Final at once: added and done together, so every item of a run ends with item.done.
      remember(state, settled);
      yield added(settled);
      yield done(settled);
      continue;
    }
    yield added(base);
    remember(state, base);
    tasks.push(executeCall(state, agentTool as AgentTool, base));
  }
  state.toolCalls += tasks.length;
  yield* settleConcurrently(state, tasks);
  return { awaiting };
}
