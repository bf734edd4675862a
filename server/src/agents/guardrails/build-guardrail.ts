import { type GuardrailSpec, type GuardrailStage, assertNever } from '@agent-chat/shared';
import { blocklistGuardrail } from './blocklist.ts';
import type { Guardrail, GuardrailRegistry } from './guardrail.ts';
import { llmJudgeGuardrail } from './llm-judge.ts';
import { maxLengthGuardrail } from './max-length.ts';
import { moderationGuardrail } from './moderation.ts';
import { piiGuardrail } from './pii.ts';
import { promptInjectionGuardrail } from './prompt-injection.ts';

/** A guardrail ready to run for one workflow entry: the entry's name, message and options applied. */
export interface BuiltGuardrail {
  /** The name shown on the `guardrail` item: the entry's `name`, else the custom ref, else the kind. */
  readonly name: string;
  readonly guardrail: Guardrail;
  readonly spec: GuardrailSpec;
}


function builtIn(spec: Exclude<GuardrailSpec, { kind: 'custom' }>): Guardrail {
  switch (spec.kind) {
    case 'pii':
      return piiGuardrail(spec);
    case 'blocklist':
      return blocklistGuardrail(spec);
    case 'max_length':
      return maxLengthGuardrail(spec);
    case 'prompt_injection':
      return promptInjectionGuardrail(spec);
    case 'moderation':
      return moderationGuardrail(spec);
    case 'llm_judge':
      return llmJudgeGuardrail(spec);
    default:
      return assertNever(spec);
  }
}

// Specs come from loaded workflows that live as long as the server: build each one once.
const cache = new WeakMap<GuardrailSpec, BuiltGuardrail>();

/**
 * The guardrail a workflow entry describes. Throws when a custom `ref` is not registered or the
 * guardrail cannot run on `stage` (the workflow loader reports both at start-up).
 */
export function buildGuardrail(spec: GuardrailSpec, stage: GuardrailStage, registry?: GuardrailRegistry): BuiltGuardrail {
  const cached = cache.get(spec);
  let built: BuiltGuardrail;
  if (cached) {
    built = cached;
  } else if (spec.kind === 'custom') {
    const guardrail = registry?.get(spec.ref);
    if (!guardrail) throw new Error(`unknown custom guardrail "${spec.ref}"`);
    // Not cached: the registry decides, and the same spec object could meet another registry in tests.
    built = { name: spec.name ?? spec.ref, guardrail, spec };
  } else {
    built = { name: spec.name ?? spec.kind, guardrail: builtIn(spec), spec };
    cache.set(spec, built);
  }
  if (!built.guardrail.stages.includes(stage)) throw new Error(`guardrail "${built.name}" cannot run on ${stage}`);
  return built;
}
