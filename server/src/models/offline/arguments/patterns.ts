/**
 * Small helpers to build the readers' regular expressions from word lists: alternations
 * longest first (so "pasado mañana" wins over "mañana") and word edges that know accented letters.
 */

/** Escapes a word for a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `(?:a|b|c)` of the words, longest first, spaces matching any run of whitespace. */
export function alternation(words: Iterable<string>): string {
  const unique = [...new Set(words)].filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
  return `(?:${unique.map((w) => escapeRegExp(w).replace(/ /g, '\\s+')).join('|')})`;
}

/** Before a word: not a letter or digit (unlike `\b`, also right for "mañana" and "días"). */
export const START = '(?<![\\p{L}\\p{N}])';
/** After a word: not a letter or digit. */
export const END = '(?![\\p{L}\\p{N}])';

/** A span of text that a reader used, so the next reader can skip it. */
export interface Span {
  start: number;
  end: number;
}

/** The text with the spans blanked out (same length, so later indices still hold). */
export function blank(text: string, spans: Array<Span | undefined>): string {
  let out = text;
  for (const span of spans) {
    if (!span) continue;
    out = out.slice(0, span.start) + ' '.repeat(span.end - span.start) + out.slice(span.end);
  }
  return out;
}

/** The lower-case words of a name or description: `party_size` → party, size; `startTime` → start, time. */
export function nameWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
