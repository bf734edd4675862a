import type { GuardrailSpec } from '@agent-chat/shared';
import { wordPattern } from './blocklist.ts';
import type { Guardrail } from './guardrail.ts';

export type ModerationSpec = Extract<GuardrailSpec, { kind: 'moderation' }>;

/**
 * The offline fallback: a short list of unambiguous phrases per category (OpenAI's category
 * names). It catches the obvious, not the subtle; with a key the moderation endpoint decides.
 */
export const LOCAL_MODERATION_LIST: Readonly<Record<string, readonly string[]>> = {
  violence: ['kill you', 'i will kill', 'murder you', 'shoot you', 'stab you', 'bomb threat', 'make a bomb', 'build a bomb'],
  'self-harm': ['kill myself', 'end my life', 'suicide', 'self-harm', 'hurt myself'],
  harassment: ['you are worthless', 'you are pathetic', 'shut up idiot', 'go die'],
  hate: ['subhuman', 'exterminate them', 'inferior race'],
  illicit: ['buy stolen cards', 'stolen credit card', 'launder money', 'make meth'],
};

const LOCAL_MATCHERS = Object.entries(LOCAL_MODERATION_LIST).map(
  ([category, phrases]) => [category, phrases.map(wordPattern)] as const,
);

/** Categories of the local list that `text` hits. */
export function localModeration(text: string): string[] {
  return LOCAL_MATCHERS.filter(([, patterns]) => patterns.some((re) => re.test(text))).map(([category]) => category);
}

/**
 * Content moderation: the provider's moderation endpoint (OpenAI with a key), else the local
 * list. `categories` narrows what trips (default: anything flagged). An endpoint failure falls
 * back to the local list rather than failing the run.
 */
export function moderationGuardrail(spec: ModerationSpec): Guardrail {
  const relevant = (categories: string[]) => (spec.categories ? categories.filter((c) => spec.categories?.includes(c)) : categories);
  return {
    name: spec.name ?? 'moderation',
    stages: ['input', 'output'],
    async execute({ text, ctx }) {
      let categories: string[];
      let source: 'provider' | 'local' = 'local';
      let flagged: boolean;
      const moderate = ctx.models.moderate?.bind(ctx.models);
      try {
        if (!moderate) throw new Error('no moderation endpoint');
        const result = await moderate(text, spec.model, ctx.signal);
        source = 'provider';
        categories = relevant(result.categories);
        flagged = result.flagged && (spec.categories ? categories.length > 0 : true);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        categories = relevant(localModeration(text));
        flagged = categories.length > 0;
      }
      if (!flagged) return { tripwireTriggered: false, outputInfo: { source } };
      return {
        tripwireTriggered: true,
        message:
          ctx.stage === 'input'
            ? 'Your message was flagged by content moderation and was not sent.'
            : 'The answer was withdrawn by content moderation.',
        outputInfo: { source, categories },
      };
    },
  };
}
