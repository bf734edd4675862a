import type { GuardrailSpec } from '@agent-chat/shared';
import type { Guardrail } from './guardrail.ts';

export type MaxLengthSpec = Extract<GuardrailSpec, { kind: 'max_length' }>;

/** Words as a reader counts them: runs of non-space characters. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

/**
 * Caps length: `maxChars` (characters, typically on input) and `maxWords` (words, typically on
 * output). Each limit that is set applies on whichever stage the entry is attached to.
 */
export function maxLengthGuardrail(spec: MaxLengthSpec): Guardrail {
  return {
    name: spec.name ?? 'max_length',
    stages: ['input', 'output'],
    execute({ text, ctx }) {
      const chars = [...text].length;
      const words = countWords(text);
      const overChars = spec.maxChars !== undefined && chars > spec.maxChars;
      const overWords = spec.maxWords !== undefined && words > spec.maxWords;
      if (!overChars && !overWords) return { tripwireTriggered: false };
      const limit = overChars ? `${spec.maxChars} characters` : `${spec.maxWords} words`;
      return {
        tripwireTriggered: true,
        message:
          ctx.stage === 'input'
            ? `Your message is too long (the limit is ${limit}). Please shorten it.`
            : `The answer was withdrawn because it was longer than ${limit}.`,
        outputInfo: { chars, words },
      };
    },
  };
}
