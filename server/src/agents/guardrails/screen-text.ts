import type { Workflow } from '@agent-chat/shared';
import type { ModelProvider } from '../../models/model.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { findAgent } from '../run-state.ts';
import type { GuardrailRegistry } from './guardrail.ts';
import { type GuardrailOutcome, runGuardrails } from './run-guardrails.ts';

/** One piece of visitor text to check before it is stored. */
export interface ScreenRequest {
  workflow: Workflow;
  /** The agent whose input guardrails apply: the thread's current agent. */
  agentId: string;
  text: string;
  threadId: string;
  /** The run the text starts or continues (guardrails see it in their context and logs). */
  runId: string;
  signal: AbortSignal;
}

/**
 * Runs the input guardrails of the agent that will read a visitor's text (a message, a denial
 * reason, a feedback comment) BEFORE anything stores it: a redaction is what gets stored, a trip
 * means the text must never reach a model. Errors propagate (nothing passes unchecked).
 */
export type ScreenText = (request: ScreenRequest) => Promise<GuardrailOutcome>;

/** What `createTextScreen` needs: the same models and custom guardrails the runs use. */
export interface TextScreenDeps {
  models: ModelProvider;
  guardrails?: GuardrailRegistry;
  /** Where trips are counted (none by default). */
  metrics?: Metrics;
}

/** Checks `text` with the input guardrails of `agentId` (the entry agent if the workflow lost it). */
export async function screenVisitorText(deps: TextScreenDeps, request: ScreenRequest): Promise<GuardrailOutcome> {
  const { workflow } = request;
  const agent = findAgent(workflow, request.agentId) ?? findAgent(workflow, workflow.entryAgent) ?? workflow.agents[0];
  if (!agent || agent.inputGuardrails.length === 0) return { text: request.text, redacted: false, checks: [] };
  return runGuardrails(
    agent.inputGuardrails,
    request.text,
    { stage: 'input', signal: request.signal, models: deps.models, workflow, agent, threadId: request.threadId, runId: request.runId },
    deps.guardrails,
    deps.metrics,
  );
}

/** A `ScreenText` bound to the server's models and custom guardrails. */
export function createTextScreen(deps: TextScreenDeps): ScreenText {
  return (request) => screenVisitorText(deps, request);
}
