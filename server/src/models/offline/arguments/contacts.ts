/**
 * Reads contact details: an email address, a phone number. Dates and times are blanked out
 * before a phone number is looked for, so "2026-12-24" is never read as one.
 */

/** The first email address in the text. */
export function findEmail(text: string): string | undefined {
  return /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[a-z]{2,}/i.exec(text)?.[0];
}

const PHONE = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{5,}\d(?![\p{L}\p{N}])/gu;

/**
 * The first phone number: 7 to 15 digits, maybe with a leading "+", spaces, dots, dashes or
 * brackets between them. Returned as the visitor wrote it (trimmed) and in compact form.
 */
export function findPhone(text: string): { written: string; compact: string } | undefined {
  for (const match of text.matchAll(PHONE)) {
    const written = match[0].trim();
    const digits = written.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    return { written, compact: `${written.startsWith('+') ? '+' : ''}${digits}` };
  }
  return undefined;
}
