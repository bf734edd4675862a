/**
 * Reads a choice: one value of an `enum` (named, or by its words: "terrace" for
 * `outdoor_terrace`), or a yes/no for a `boolean` property ("with a high chair", "no newsletter",
 * or a bare "yes" / "no").
 */
import { allWords, alternation, END, escapeRegExp, nameWords, START } from './words.ts';

function contains(text: string, phrase: string): number {
  return new RegExp(`${START}${escapeRegExp(phrase).replace(/ /g, '[\\s_-]+')}${END}`, 'iu').exec(text)?.index ?? -1;
}

/**
 * The enum value the text names: the value itself, else a value all of whose words appear,
 * else the only value that one of the text's words belongs to. The earliest in the text wins.
 */
export function findEnumValue(text: string, values: Array<string | number>): string | number | undefined {
  const levels: Array<(value: string | number) => number> = [
    (value) => contains(text, String(value).toLowerCase()),
    (value) => {
      const at = nameWords(String(value)).filter((w) => w.length >= 3).map((w) => contains(text, w));
      return at.length >= 2 && at.every((i) => i >= 0) ? Math.min(...at) : -1;
    },
    (value) => {
      // A word of its own: "terrace" names `outdoor_terrace` when no other value has it.
      const others = new Set(values.filter((v) => v !== value).flatMap((v) => nameWords(String(v))));
      const at = nameWords(String(value)).filter((w) => w.length >= 4 && !others.has(w)).map((w) => contains(text, w)).filter((i) => i >= 0);
      return at.length > 0 ? Math.min(...at) : -1;
    },
  ];
  for (const level of levels) {
    const found = values.map((value) => ({ value, at: level(value) })).filter((f) => f.at >= 0).sort((a, b) => a.at - b.at)[0];
    if (found) return found.value;
  }
  return undefined;
}

/** Words of a boolean's name that say nothing of the thing: `is_`, `needs_`, `include_`. */
const GENERIC = new Set(allWords('genericNameWords'));
const NEGATION = new RegExp(`${START}${alternation(allWords('negations'))}${END}(?:\\s+\\S+){0,2}\\s*$`, 'iu');
const POLITE = new RegExp(`\\s+${alternation(allWords('politeEndings'))}$`);
const YES = new Set(allWords('yes'));
const NO = new Set(allWords('no'));

/**
 * A yes/no for the property `name`: true when the text mentions the thing the name says
 * ("high chair" for `high_chair`), false when a negation comes just before it ("no high chair",
 * "without a high chair", "sin trona"); a text that is only "yes" or "no" answers it too.
 */
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
