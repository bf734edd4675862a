import type { AgentSpec, GuardrailItem, Item, ThreadEventBody, Usage, Workflow } from '@agent-chat/shared';
import { childLogger, type Logger } from '../logger.ts';
import type { ModelProvider } from '../models/model.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ToolResolver } from './agent-tools.ts';
import type { ToolImage } from './tool.ts';
import type { GuardrailContext, GuardrailRegistry, GuardrailStage } from './guardrails/guardrail.ts';
import { runGuardrails, type GuardrailOutcome } from './guardrails/run-guardrails.ts';
import type { RunContext, RunInput } from './run-types.ts';

/** Long-lived services of a runner (bound once by `createRunAgent`). */
export interface RunServices {
  models: ModelProvider;
  resolveTools: ToolResolver;
  guardrails?: GuardrailRegistry;
  /** The operator's log; a run logs through `runLogger`, which adds its ids. */
  logger: Logger;
  /** A warning line without fields (kept for older callers; prefer `runLogger`). */
  log: (message: string) => void;
  /** Where tokens, tool calls and guardrail trips are counted (none by default). */
  metrics?: Metrics | undefined;
}

/** The mutable state of one run, shared by its phases. Nothing here outlives the run. */
export interface RunState {
  readonly input: RunInput;
  readonly ctx: RunContext;
  readonly services: RunServices;
  readonly workflow: Workflow;
  /** Aborted by a cancel (ctx.signal) or the run timeout: the one signal every phase uses. */
  readonly signal: AbortSignal;
  /** The agent answering now; changes on a handoff. */
  agent: AgentSpec;
  /** The thread as the model sees it: the history plus every item this run produced (final states). */
  items: Item[];
  turns: number;
  toolCalls: number;
  /** Images tools returned in this run, by call id: the model sees them after the call's output. */
  toolImages: Map<string, readonly ToolImage[]>;
  usage?: Usage;
}

/** The operator's log with the run's ids (thread, run, workflow, current agent) on every line. */
export function runLogger(state: RunState): Logger {
  return childLogger(state.services.logger, {
    threadId: state.input.threadId,
    runId: state.input.runId,
    workflowId: state.workflow.id,
    agentId: state.agent.id,
  });
}

/** Common fields of a new item. */
export function itemBase(state: RunState): { id: string; createdAt: string } {
  return { id: state.ctx.newId(), createdAt: state.ctx.now().toISOString() };
}

export function added(item: Item): ThreadEventBody {
  return { type: 'item.added', item };
}

export function done(item: Item): ThreadEventBody {
  return { type: 'item.done', item };
}

/** Records an item's final state in the run's view of the thread (replacing an earlier state). */
export function remember(state: RunState, item: Item): void {
  const index = state.items.findIndex((existing) => existing.id === item.id);
  if (index >= 0) state.items[index] = item;
  else state.items.push(item);
}

/** Forgets an item (an answer withdrawn by an output guardrail). */
export function forget(state: RunState, itemId: string): void {
  state.items = state.items.filter((item) => item.id !== itemId);
}

/** The agent spec with this id, if the workflow still has it. */
export function findAgent(workflow: Workflow, agentId: string | undefined): AgentSpec | undefined {
  return workflow.agents.find((agent) => agent.id === agentId);
}

/** What a guardrail of the current agent gets to know about the run. */
export function guardrailContext(state: RunState, stage: GuardrailStage): GuardrailContext {
  return {
    stage,
    signal: state.signal,
    models: state.services.models,
    workflow: state.workflow,
    agent: state.agent,
    threadId: state.input.threadId,
    runId: state.input.runId,
  };
}

/** Runs the current agent's guardrails of `stage` over `text`, each verdict recorded as a run step. */
export function checkGuardrails(state: RunState, stage: GuardrailStage, text: string): Promise<GuardrailOutcome> {
  const specs = stage === 'input' ? state.agent.inputGuardrails : state.agent.outputGuardrails;
  const agent = state.agent.id;
  return runGuardrails(specs, text, guardrailContext(state, stage), state.services.guardrails, state.services.metrics, (check) =>
    state.ctx.record?.({ type: 'guardrail_check', agent, stage, ...check }),
  );
}

/** Adds a model call's token usage to the run's. */
export function addUsage(state: RunState, usage: Usage | undefined): void {
  if (!usage) return;
  state.usage = {
    inputTokens: (state.usage?.inputTokens ?? 0) + usage.inputTokens,
    outputTokens: (state.usage?.outputTokens ?? 0) + usage.outputTokens,
  };
}

/**
 * Records a tripped guardrail as a `guardrail` item (logged with its name, stage and details,
 * which the visitor never sees, but not the text it checked) and yields its events.
 */
export function* guardrailNotice(
  state: RunState,
  stage: GuardrailStage,
  tripped: { name: string; message: string; outputInfo?: unknown },
): Generator<ThreadEventBody, void> {
  const details = JSON.stringify(tripped.outputInfo ?? null).slice(0, 200);
  runLogger(state).info('guardrail tripped', { guardrail: tripped.name, stage, details });
  const notice: GuardrailItem = { ...itemBase(state), type: 'guardrail', agent: state.agent.id, name: tripped.name, stage, message: tripped.message };
  remember(state, notice);
  yield added(notice);
  yield done(notice);
}
