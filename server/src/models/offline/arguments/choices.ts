/**
 * Reads a choice: one value of an `enum` (named, or by its words: "terrace" for `outdoor_terrace`), or a
 * yes/no for a `boolean` ("with a high chair", "no newsletter", "sin trona", or a bare "yes" / "no").
 */
import { allWords, alternation, END, escapeRegExp, nameWords, START } from './words.ts';

const contains = (text: string, phrase: string): number => new RegExp(`${START}${escapeRegExp(phrase).replace(/ /g, '[\\s_-]+')}${END}`, 'iu').exec(text)?.index ?? -1;

/** The enum value the text names: the value itself, else one all of whose words appear, else the only one a word of the text belongs to; the earliest wins. */
export function findEnumValue(text: string, values: Array<string | number>): string | number | undefined {
  const levels: Array<(value: string | number) => number[]> = [
    (value) => [contains(text, String(value).toLowerCase())],
    (value) => { const at = nameWords(String(value)).filter((w) => w.length >= 3).map((w) => contains(text, w)); return at.length >= 2 && !at.includes(-1) ? at : []; },
    (value) => {
      // A word of its own: "terrace" names `outdoor_terrace` when no other value has it.
      const others = new Set(values.filter((v) => v !== value).flatMap((v) => nameWords(String(v))));
      return nameWords(String(value)).filter((w) => w.length >= 4 && !others.has(w)).map((w) => contains(text, w));
    },
  ];
  for (const level of levels) {
    const found = values.map((value) => ({ value, at: Math.min(...level(value).filter((i) => i >= 0)) })).filter((f) => f.at < Infinity).sort((a, b) => a.at - b.at)[0];
    if (found) return found.value;
  }
  return undefined;
}

/** Words of a boolean's name that say nothing of the thing: `is_`, `needs_`, `include_`. */
export const GENERIC = new Set(allWords('genericNameWords'));
const NEGATION = new RegExp(`${START}${alternation(allWords('negations'))}${END}(?:\\s+\\S+){0,2}\\s*$`, 'iu');
const POLITE = new RegExp(`\\s+${alternation(allWords('politeEndings'))}$`);
const [YES, NO] = [new Set(allWords('yes')), new Set(allWords('no'))];

/** A yes/no for `name`: true when the text names its thing ("high chair" for `high_chair`), false after a negation ("without a high chair"); or a bare yes/no. */
export function findBoolean(text: string, name: string): boolean | undefined {
  const words = nameWords(name).filter((w) => !GENERIC.has(w));
  const phrases = words.length > 1 ? [words.join(' '), ...words.filter((w) => w.length >= 4).sort((a, b) => b.length - a.length)] : words;
  for (const phrase of phrases) {
    const at = contains(text, phrase);
    if (at >= 0) return !NEGATION.test(text.slice(0, at));
  }
  const whole = text.toLowerCase().replace(/[.!?,;:]+/g, ' ').replace(/\s+/g, ' ').trim().replace(POLITE, '');
  return YES.has(whole) ? true : NO.has(whole) ? false : undefined;
}
