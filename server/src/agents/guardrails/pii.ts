import type { GuardrailSpec } from '@agent-chat/shared';
import type { Guardrail } from './guardrail.ts';

export type PiiSpec = Extract<GuardrailSpec, { kind: 'pii' }>;
export type PiiEntity = PiiSpec['entities'][number];

/** One piece of personal data found in a text. */
export interface PiiMatch {
  entity: PiiEntity;
  start: number;
  end: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13–19 digits, optionally grouped by spaces or dashes; confirmed by the Luhn check.
const CARD = /(?<![\d])(?:\d[ -]?){12,18}\d(?!\d)/g;
const SSN = /(?<!\d)(\d{3})[- ](\d{2})[- ](\d{4})(?!\d)/g;
// Loose shape; the digit count decides (see isPhone).
const PHONE = /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,5}){1,4}(?!\w)/g;

/** The Luhn checksum used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function isCard(raw: string): boolean {
  const digits = raw.replace(/\D/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
}

/** Area 000, 666 and 900–999, group 00 and serial 0000 are never issued. */
function isSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

/** International numbers (with +) have 8–15 digits; without +, a 10-digit number with an optional leading 1. */
function isPhone(raw: string): boolean {
  const digits = raw.replace(/\D/g, '');
  if (raw.trimStart().startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  return digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
}

/** Every match of the requested entities, in text order, without overlaps (emails and cards win). */
export function findPii(text: string, entities: readonly PiiEntity[] = ['email', 'phone', 'card', 'ssn']): PiiMatch[] {
  const found: PiiMatch[] = [];
  const collect = (entity: PiiEntity, pattern: RegExp, accept: (m: RegExpMatchArray) => boolean) => {
    if (!entities.includes(entity)) return;
    for (const m of text.matchAll(pattern)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (accept(m) && !found.some((f) => start < f.end && end > f.start)) found.push({ entity, start, end });
    }
  };
  collect('email', EMAIL, () => true);
  collect('card', CARD, (m) => isCard(m[0]));
  collect('ssn', SSN, (m) => isSsn(m[1] as string, m[2] as string, m[3] as string));
  collect('phone', PHONE, (m) => isPhone(m[0]));
  return found.sort((a, b) => a.start - b.start);
}

/** The text with each match replaced by `[<entity> redacted]`. */
export function redactPii(text: string, matches: readonly PiiMatch[]): string {
  let out = '';
  let at = 0;
  for (const match of matches) {
    out += `${text.slice(at, match.start)}[${match.entity} redacted]`;
    at = match.end;
  }
  return out + text.slice(at);
}

const LABELS: Record<PiiEntity, string> = {
  email: 'email addresses',
  phone: 'phone numbers',
  card: 'card numbers',
  ssn: 'social security numbers',
};

/** Personal data: `redact` rewrites it (the model only ever sees the redacted text), `block` stops the message. */
export function piiGuardrail(spec: PiiSpec): Guardrail {
  return {
    name: spec.name ?? 'pii',
    stages: ['input', 'output'],
    execute({ text }) {
      const matches = findPii(text, spec.entities);
      if (matches.length === 0) return { tripwireTriggered: false };
      const entities = [...new Set(matches.map((m) => m.entity))];
      if (spec.mode === 'redact') {
        return { tripwireTriggered: false, redactedText: redactPii(text, matches), outputInfo: { redacted: entities } };
      }
      const what = entities.map((e) => LABELS[e]).join(', ');
      return {
        tripwireTriggered: true,
        message: `Please don't share personal details (${what}) here. Send your message again without them.`,
        outputInfo: { found: entities },
      };
    },
  };
}
