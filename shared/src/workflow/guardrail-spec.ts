import { z } from 'zod';

/** Fields every guardrail entry may set: a display name and what the visitor is told when it trips. */
const common = {
  name: z.string().min(1).optional(),
  message: z.string().min(1).optional(),
};

/** Emails, phone numbers, card numbers (Luhn-checked) and US SSNs. `redact` rewrites them before the model sees them. */
export const PiiGuardrailSpec = z.object({
  ...common,
  kind: z.literal('pii'),
  mode: z.enum(['block', 'redact']).default('redact'),
  entities: z.array(z.enum(['email', 'phone', 'card', 'ssn'])).min(1).default(['email', 'phone', 'card', 'ssn']),
});

/** Words (whole-word, case-insensitive) or regular expressions that must not pass. */
export const BlocklistGuardrailSpec = z.object({
  ...common,
  kind: z.literal('blocklist'),
  words: z.array(z.string().min(1)).default([]),
  patterns: z.array(z.string().min(1)).default([]),
});

/** Caps input by characters and output by words. */
export const MaxLengthGuardrailSpec = z.object({
  ...common,
  kind: z.literal('max_length'),
  maxChars: z.number().int().positive().optional(),
  maxWords: z.number().int().positive().optional(),
});

/** Common jailbreak and instruction-override phrasings. */
export const PromptInjectionGuardrailSpec = z.object({
  ...common,
  kind: z.literal('prompt_injection'),
  extraPatterns: z.array(z.string().min(1)).default([]),
});

/** OpenAI's moderation endpoint when a key is set; a local word list offline. */
export const ModerationGuardrailSpec = z.object({
  ...common,
  kind: z.literal('moderation'),
  categories: z.array(z.string().min(1)).optional(),
  model: z.string().min(1).default('omni-moderation-latest'),
});

/** A model call with its own instructions that answers pass/fail as structured output. */
export const LlmJudgeGuardrailSpec = z.object({
  ...common,
  kind: z.literal('llm_judge'),
  instructions: z.string().min(1),
  model: z.string().min(1).optional(),
});

/** A guardrail written in TypeScript and registered on the server under `ref`. */
export const CustomGuardrailSpec = z.object({
  ...common,
  kind: z.literal('custom'),
  ref: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});

export const GuardrailSpec = z.discriminatedUnion('kind', [
  PiiGuardrailSpec,
  BlocklistGuardrailSpec,
  MaxLengthGuardrailSpec,
  PromptInjectionGuardrailSpec,
  ModerationGuardrailSpec,
  LlmJudgeGuardrailSpec,
  CustomGuardrailSpec,
]);
export type GuardrailSpec = z.infer<typeof GuardrailSpec>;
export type GuardrailKind = GuardrailSpec['kind'];
