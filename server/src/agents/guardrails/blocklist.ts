import type { GuardrailSpec } from '@agent-chat/shared';
import type { Guardrail } from './guardrail.ts';

export type BlocklistSpec = Extract<GuardrailSpec, { kind: 'blocklist' }>;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A whole-word, case-insensitive matcher for a word or phrase (Unicode letters count as word characters). */
export function wordPattern(word: string): RegExp {
  const body = escapeRegExp(word.trim()).replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
}

/** Compiles a pattern from a workflow file (case-insensitive). Throws a SyntaxError on a bad one. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(pattern, 'i');
}

/** Words (whole-word, case-insensitive) or regular expressions that must not pass, in or out. */
export function blocklistGuardrail(spec: BlocklistSpec): Guardrail {
  const matchers = [...spec.words.map(wordPattern), ...spec.patterns.map(compilePattern)];
  return {
    name: spec.name ?? 'blocklist',
    stages: ['input', 'output'],
    execute({ text, ctx }) {
      const hit = matchers.find((re) => re.test(text));
      if (!hit) return { tripwireTriggered: false };
      return {
        tripwireTriggered: true,
        message:
          ctx.stage === 'input'
            ? 'Your message contains words that are not allowed here. Please rephrase it.'
            : 'The answer was withdrawn because it contained content that is not allowed here.',
        outputInfo: { pattern: hit.source },
      };
    },
  };
}
