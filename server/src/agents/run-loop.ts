import type { ThreadEventBody, UserMessageItem } from '@agent-chat/shared';
import { AppError, UpstreamError, toErrorPayload } from '../errors.ts';
import { type LogFields, type Logger, consoleLogger, formatError, formatFields } from '../logger.ts';
import type { ModelProvider } from '../models/model.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createToolResolver } from './agent-tools.ts';
import { mcpToolSource, type McpToolSourceOptions } from './mcp-tool-source.ts';
import { namedToolSource } from './named-tool-source.ts';
import { runTurn } from './agent-turn.ts';
import { resolveApprovals } from './approvals.ts';
import type { GuardrailRegistry } from './guardrails/guardrail.ts';
import type { HttpToolOptions } from './http-tool.ts';
import { finishOf, type NextStep } from './next-step.ts';
import { resumeInterrupted } from './resume.ts';
import { checkGuardrails, done, findAgent, guardrailNotice, remember, runLogger, type RunState } from './run-state.ts';
import type { RunAgent, RunContext, RunInput, ScreenedInput } from './run-types.ts';
import type { ToolRegistry } from './tool.ts';

/** What a runner is built from: created once in main.ts, shared by every run. */
export interface RunAgentDeps {
  models: ModelProvider;
  /** Built-in tools (the workflow files' HTTP tools are built from the workflow itself). */
  tools: ToolRegistry;
  /** Custom guardrails named by `{ "kind": "custom", "ref": … }`. */
  guardrails?: GuardrailRegistry;
  /** The operator's log: every failure of a run, with its ids (never shown to the visitor). */
  logger?: Logger;
  /** A plain line sink, used when no `logger` is given (older callers, tests). */
  log?: (message: string) => void;
  /** For HTTP tools: environment and fetch (tests inject them). */
  http?: HttpToolOptions;
  /** The registered MCP connectors that agents name with `{ "kind": "mcp", "connector": … }`. */
  connectors?: McpToolSourceOptions['connectors'];
  /** Where tokens, tool calls and guardrail trips are counted (none by default). */
  metrics?: Metrics;
}

/**
 * Input guardrails of the agent answering a message that was not screened before it was stored
 * (a caller without `ScreenText`), before any model call. A `pii`
 * redaction rewrites the stored message (item.done with the redacted text) so the model only
 * ever sees the redacted text; a trip adds a guardrail item and the text never reaches the model.
 */
async function* checkInput(state: RunState, message: UserMessageItem): AsyncGenerator<ThreadEventBody, NextStep | undefined> {
  const outcome = await checkGuardrails(state, 'input', message.text);
  if (state.signal.aborted) return { type: 'aborted' };
  if (outcome.redacted) {
    const redacted: UserMessageItem = { ...message, text: outcome.text };
    remember(state, redacted);
    yield done(redacted);
  }
  if (!outcome.tripped) return undefined;
  yield* guardrailNotice(state, 'input', outcome.tripped);
  return { type: 'blocked' };
}

/** A message screened before it was stored: its verdict stands, its guardrails do not run twice. */
function* screenedInput(state: RunState, screened: ScreenedInput): Generator<ThreadEventBody, NextStep | undefined> {
  for (const check of screened.checks ?? []) state.ctx.record?.({ type: 'guardrail_check', agent: state.agent.id, stage: 'input', ...check });
  if (!screened.tripped) return undefined;
  yield* guardrailNotice(state, 'input', screened.tripped);
  return { type: 'blocked' };
}

/** The run's phases: the trigger (guardrails or approvals), then model turns until a step ends it. */
async function* drive(state: RunState): AsyncGenerator<ThreadEventBody, Exclude<NextStep, { type: 'run_again' | 'handoff' }>> {
  const { trigger } = state.input;
  if (trigger.kind === 'message') {
    const stop = trigger.screened ? yield* screenedInput(state, trigger.screened) : yield* checkInput(state, trigger.message);
    if (stop) return stop as Exclude<NextStep, { type: 'run_again' | 'handoff' }>;
  } else if (trigger.kind === 'resume') {
    const { awaiting } = yield* resumeInterrupted(state);
    if (state.signal.aborted) return { type: 'aborted' };
    if (awaiting > 0) return { type: 'interruption' };
  } else {
    const { resolved, remaining } = yield* resolveApprovals(state, trigger.decisions);
    if (state.signal.aborted) return { type: 'aborted' };
    if (remaining > 0) return { type: 'interruption' };
    // Nothing was waiting: a repeated decision must not make the agent answer twice.
    if (resolved === 0) return { type: 'final_output' };
  }
  for (;;) {
    if (state.signal.aborted) return { type: 'aborted' };
    if (state.turns >= state.workflow.limits.maxTurns) return { type: 'max_turns' };
    const step = yield* runTurn(state);
    switch (step.type) {
      case 'run_again':
      case 'handoff':
        continue;
      default:
        return step;
    }
  }
}

/**
 * The run loop: yields thread events from `run.started` to exactly one `run.finished`
 * and never throws. It reads nothing but `input` (the thread's items), so an interrupted run can
 * be continued by a fresh runner after a restart.
 */
export function createRunAgent(deps: RunAgentDeps): RunAgent {
  const logger = deps.logger ?? (deps.log ? lineLogger(deps.log) : consoleLogger);
  const services = {
    models: deps.models,
    resolveTools: createToolResolver({
      tool: namedToolSource(deps.tools, deps.http),
      mcp: mcpToolSource({ connectors: deps.connectors ?? new Map(), logger, metrics: deps.metrics }),
    }),
    guardrails: deps.guardrails,
    logger,
    log: (message: string) => logger.warn(message),
    metrics: deps.metrics,
  };

  return async function* runAgent(input: RunInput, ctx: RunContext): AsyncGenerator<ThreadEventBody> {
    const { workflow } = input;
    // One controller per run joins cancel and timeout (AbortSignal.any leaks on Node 20).
    const controller = new AbortController();
    let timedOut = false;
    const onCancel = () => controller.abort();
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    if (ctx.signal.aborted) controller.abort();
    const timer = setTimeout(() => {
      timedOut = !controller.signal.aborted;
      controller.abort();
    }, workflow.limits.runTimeoutMs);

    const agent = findAgent(workflow, input.agentId) ?? findAgent(workflow, workflow.entryAgent) ?? workflow.agents[0];
    const state: RunState = {
      input,
      ctx,
      services,
      workflow,
      signal: controller.signal,
      agent: agent as NonNullable<typeof agent>,
      items: [...input.history],
      turns: 0,
      toolCalls: 0,
      toolImages: new Map(),
    };
    const { trigger } = input;
    if (trigger.kind === 'message' && !state.items.some((item) => item.id === trigger.message.id)) state.items.push(trigger.message);

    let finish: ReturnType<typeof finishOf>;
    try {
      yield { type: 'run.started', runId: input.runId, agent: state.agent.id };
      const step = yield* drive(state);
      finish = finishOf(step, timedOut);
    } catch (error) {
      // An AppError (an input guardrail's model failed, say) is expected; anything else is a bug.
      const log = runLogger(state);
      if (error instanceof UpstreamError) log.warn('run failed', error, { code: error.code, status: error.status });
      else if (error instanceof AppError) log.warn('run failed', error, { code: error.code });
      else log.error('run failed', error, { code: 'internal' });
      finish = controller.signal.aborted ? finishOf({ type: 'aborted' }, timedOut) : { status: 'failed', error: toErrorPayload(error) };
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onCancel);
    }
    // Model, tool and guardrail failures were logged where they happened; the run's own limits here.
    if (finish.status === 'max_turns' || finish.error?.code === 'run_timeout' || finish.error?.code === 'max_tool_calls') {
      runLogger(state).warn('run stopped by a workflow limit', undefined, { status: finish.status, code: finish.error?.code });
    }
    yield { type: 'run.finished', runId: input.runId, ...finish, ...(state.usage ? { usage: state.usage } : {}) };
  };
}

/** A `Logger` over a function that takes whole lines: fields as `key=value`, errors in full. */
function lineLogger(write: (line: string) => void): Logger {
  const line = (message: string, error: unknown, fields: LogFields | undefined) =>
    write(message + formatFields(fields) + (error !== undefined ? ` ${formatError(error)}` : ''));
  return { info: (m, f) => line(m, undefined, f), warn: (m, e, f) => line(m, e, f), error: (m, e, f) => line(m, e, f) };
}
