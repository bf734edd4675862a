import type { GuardrailStage, ModelApi } from '@agent-chat/shared';
import type { ModelProvider } from '../models/model.ts';

/**
 * What a run did that its thread events do not show: each model call (tokens, time to first
 * token, why it stopped) and each guardrail check, passes included. The run loop reports them
 * through `RunContext.record`; the conversation stores them beside the run's events, and the
 * trace and the usage ledger read them from there.
 */
export type RunStep = ModelCallStep | GuardrailCheckStep;

/** Why a model call ended. */
export type ModelFinishReason = 'stop' | 'tool_calls' | 'error' | 'aborted';

export interface ModelCallStep {
  type: 'model_call';
  agent: string;
  model: string;
  api: ModelApi;
  /** Where the model ran: the built-in offline model, OpenAI, or an OpenAI-compatible server. */
  provider: ModelProvider['mode'];
  /** ISO 8601 time the request was sent. */
  startedAt: string;
  durationMs: number;
  /** Until the first text or tool call came back; absent when nothing did. */
  firstTokenMs?: number;
  inputTokens: number;
  outputTokens: number;
  finishReason: ModelFinishReason;
  /** The shared error code of a failed call. */
  errorCode?: string;
}

/** What one guardrail decided: it let the text pass, rewrote it, stopped it, or failed. */
export type GuardrailResult = 'pass' | 'redacted' | 'tripped' | 'error';

export interface GuardrailCheckStep {
  type: 'guardrail_check';
  agent: string;
  name: string;
  /** The guardrail's kind in the workflow file (`pii`, `blocklist`, `llm_judge`, `custom`…). */
  kind: string;
  stage: GuardrailStage;
  result: GuardrailResult;
  startedAt: string;
  durationMs: number;
}
