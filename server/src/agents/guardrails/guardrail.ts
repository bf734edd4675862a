import type { AgentSpec, GuardrailStage, Workflow } from '@agent-chat/shared';
import type { ModelProvider } from '../../models/model.ts';

export type { GuardrailStage };

/** What a guardrail decides about one text. */
export interface GuardrailResult {
  /** True: stop here; the input never reaches the model, or the answer is withdrawn. */
  tripwireTriggered: boolean;
  /** What the visitor is told when it trips (a guardrail entry's `message` overrides it). */
  message?: string;
  /** When set (and not tripped), this text replaces the checked one: the redaction case. */
  redactedText?: string;
  /** Anything worth logging: matches, the judge's reason, scores. Never sent to the visitor. */
  outputInfo?: unknown;
}

/** The run a guardrail is checking. */
export interface GuardrailContext {
  stage: GuardrailStage;
  signal: AbortSignal;
  /** For guardrails that ask a model (llm_judge) or a moderation endpoint. */
  models: ModelProvider;
  workflow: Workflow;
  agent: AgentSpec;
  threadId: string;
  runId: string;
}

/** Arguments of one check. `options` are the workflow entry's `options` (custom guardrails). */
export interface GuardrailArgs {
  text: string;
  options: Readonly<Record<string, unknown>>;
  ctx: GuardrailContext;
}

/** A guardrail: a name, the stages it can run on, and a check. Plain data, no classes. */
export interface Guardrail {
  readonly name: string;
  readonly stages: readonly GuardrailStage[];
  execute(args: GuardrailArgs): GuardrailResult | Promise<GuardrailResult>;
}

/** What `define*Guardrail` takes. */
export interface GuardrailDefinition {
  /** The `ref` a workflow file uses to name it (`{ "kind": "custom", "ref": "<name>" }`). */
  name: string;
  execute: Guardrail['execute'];
}

/** A guardrail that checks the visitor's message before the agent's first model call. */
export function defineInputGuardrail(definition: GuardrailDefinition): Guardrail {
  return { name: definition.name, stages: ['input'], execute: definition.execute };
}

/** A guardrail that checks the agent's final answer. */
export function defineOutputGuardrail(definition: GuardrailDefinition): Guardrail {
  return { name: definition.name, stages: ['output'], execute: definition.execute };
}

/** A guardrail usable on both stages. */
export function defineGuardrail(definition: GuardrailDefinition & { stages?: readonly GuardrailStage[] }): Guardrail {
  return { name: definition.name, stages: definition.stages ?? ['input', 'output'], execute: definition.execute };
}

/** Custom TypeScript guardrails, looked up by the `ref` of a workflow's `custom` entries. */
export class GuardrailRegistry {
  readonly #guardrails = new Map<string, Guardrail>();

  /** Throws on a duplicate name. */
  constructor(guardrails: Iterable<Guardrail> = []) {
    for (const guardrail of guardrails) this.register(guardrail);
  }

  /** Adds a guardrail under its name; throws on a duplicate. */
  register(guardrail: Guardrail): this {
    if (this.#guardrails.has(guardrail.name)) throw new Error(`Duplicate custom guardrail "${guardrail.name}".`);
    this.#guardrails.set(guardrail.name, guardrail);
    return this;
  }

  get(ref: string): Guardrail | undefined {
    return this.#guardrails.get(ref);
  }

  has(ref: string): boolean {
    return this.#guardrails.has(ref);
  }
}

/** A registry of these custom guardrails. */
export function createGuardrailRegistry(guardrails: Iterable<Guardrail> = []): GuardrailRegistry {
  return new GuardrailRegistry(guardrails);
}
