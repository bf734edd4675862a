import { z } from 'zod';
import { GuardrailSpec } from './guardrail-spec.ts';
import { HttpToolSpec, ToolRef } from './tool-spec.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, _ and - (max 64)');

/** Which OpenAI API an agent's model is called through. Chat Completions is what most compatible servers speak. */
export const ModelApi = z.enum(['responses', 'chat']);
export type ModelApi = z.infer<typeof ModelApi>;

export const HandoffSpec = z.object({
  agent: id,
  /** When to hand off: shown to the model as the transfer tool's description. */
  description: z.string().min(1),
});
export type HandoffSpec = z.infer<typeof HandoffSpec>;

export const AgentSpec = z.object({
  id,
  name: z.string().min(1),
  instructions: z.string().min(1),
  model: z.string().min(1).optional(),
  api: ModelApi.optional(),
  tools: z.array(ToolRef).default([]),
  handoffs: z.array(HandoffSpec).default([]),
  /**
   * What the agent says of itself and of what it covers, in other languages (`{ "es": "…" }`):
   * sent to the model with its instructions, for a visitor writing that language.
   */
  localizedText: z.record(z.string().regex(/^[a-z]{2}$/, 'a two-letter language code'), z.string().min(1).max(1000)).optional(),
  inputGuardrails: z.array(GuardrailSpec).default([]),
  outputGuardrails: z.array(GuardrailSpec).default([]),
  /** `stream`: text is shown as it arrives and withdrawn if an output guardrail trips; `buffer`: held until checked. */
  outputMode: z.enum(['stream', 'buffer']).default('stream'),
});
export type AgentSpec = z.infer<typeof AgentSpec>;

export const RunLimits = z.object({
  maxTurns: z.number().int().positive().max(100).default(10),
  maxToolCalls: z.number().int().positive().max(500).default(20),
  runTimeoutMs: z.number().int().positive().max(3_600_000).default(120_000),
});

export type RunLimits = z.infer<typeof RunLimits>;

/** How much of a thread is replayed to the model each turn. Newest items are kept whole. */
export const HistoryBudget = z.object({
  maxItems: z.number().int().positive().default(60),
  maxChars: z.number().int().positive().default(24_000),
});

export const Workflow = z.object({
  id,
  name: z.string().min(1),
  description: z.string().optional(),
  entryAgent: id,
  /** Default model for agents that name none. */
  model: z.string().min(1).default('gpt-4.1-mini'),
  api: ModelApi.default('responses'),
  agents: z.array(AgentSpec).min(1),
  tools: z.array(HttpToolSpec).default([]),
  limits: RunLimits.default({ maxTurns: 10, maxToolCalls: 20, runTimeoutMs: 120_000 }),
  history: HistoryBudget.default({ maxItems: 60, maxChars: 24_000 }),
});
export type Workflow = z.infer<typeof Workflow>;
export type WorkflowInput = z.input<typeof Workflow>;
