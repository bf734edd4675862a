import type { GuardrailSpec } from '@agent-chat/shared';
import { compilePattern } from './blocklist.ts';
import type { Guardrail } from './guardrail.ts';

export type PromptInjectionSpec = Extract<GuardrailSpec, { kind: 'prompt_injection' }>;

/**
 * Common jailbreak and instruction-override phrasings. Deliberately narrow: each needs both the
 * verb ("ignore", "reveal"…) and the target ("previous instructions", "system prompt"…), so an
 * ordinary "ignore my previous message" passes.
 */
export const INJECTION_PATTERNS: readonly RegExp[] = [
  // "ignore all previous instructions", "disregard your rules", "forget the system prompt"
  /\b(?:ignore|disregard|forget|override|bypass)\b[\s\S]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|system|original|initial)\b[\s\S]{0,20}?\b(?:instructions?|prompts?|rules|directions|guidelines|programming|directives|guardrails|restrictions)\b/i,
  // "disregard the above", "ignore everything before this"
  /\b(?:ignore|disregard|forget)\s+(?:everything|all|anything)?\s*(?:the\s+|that\s+)?(?:above|before\s+this|said\s+before)\b/i,
  // "print your system prompt", "reveal the hidden instructions", "what is your system prompt"
  /\b(?:print|show|reveal|repeat|output|display|tell\s+me|give\s+me|share|leak|dump|what\s+(?:is|are|was|were))\b[\s\S]{0,30}?\b(?:your|the)\s+(?:system|initial|hidden|original|secret|internal|developer)\s+(?:prompts?|instructions?|messages?|rules)\b/i,
  /\bsystem\s+prompt\b[\s\S]{0,20}\b(?:verbatim|word\s+for\s+word)\b/i,
  // "you are now DAN", "do anything now"
  /\byou\s+are\s+(?:now\s+)?(?:DAN|jailbroken|unrestricted|unfiltered|uncensored|free\s+from)/i,
  /\bdo\s+anything\s+now\b/i,
  /\b(?:developer|dev|god|admin|debug|sudo|jailbreak|unrestricted)\s+mode\b/i,
  /\bjailbr(?:eak|oken)\b/i,
  /\b(?:pretend|act|behave)\b[\s\S]{0,30}\b(?:no|without)\s+(?:rules|restrictions|guidelines|limits|filters)\b/i,
  /\bno\s+longer\s+(?:bound|restricted)\s+by\b/i,
  // "New instructions:", chat-template tokens smuggled into a message
  /\b(?:new|updated|real|actual)\s+(?:system\s+)?instructions?\s*:/i,
  /<\|?\/?(?:system|im_start|im_end)\|?>|\[\/?INST\]/i,
];

/** Trips on instruction-override and jailbreak attempts (plus the entry's `extraPatterns`). */
export function promptInjectionGuardrail(spec: PromptInjectionSpec): Guardrail {
  const patterns = [...INJECTION_PATTERNS, ...spec.extraPatterns.map(compilePattern)];
  return {
    name: spec.name ?? 'prompt_injection',
    stages: ['input', 'output'],
    execute({ text }) {
      const hit = patterns.find((re) => re.test(text));
      if (!hit) return { tripwireTriggered: false };
      return {
        tripwireTriggered: true,
        message: "Your message looks like an attempt to change the assistant's instructions, so it was not sent. Please ask your question directly.",
        outputInfo: { pattern: hit.source },
      };
    },
  };
}
