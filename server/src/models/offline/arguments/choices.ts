/**
 * Reads a choice: one value of an `enum` (named, or by its words: "terrace" for
 * `outdoor_terrace`), or a yes/no for a `boolean` property ("with a high chair", "no newsletter",
 * or a bare "yes" / "no").
 */
import { allWords } from './language-data.ts';
import { alternation, END, escapeRegExp, nameWords, START } from './patterns.ts';

function contains(text: string, phrase: string): number {
  const match = new RegExp(`${START}${escapeRegExp(phrase).replace(/ /g, '[\\s_-]+')}${END}`, 'iu').exec(text);
  return match ? match.index : -1;
}

/**
 * The enum value the text names: the value itself, else a value all of whose words appear,
 * else the only value that one of the text's words belongs to. The earliest in the text wins.
 */
export function findEnumValue(text: string, values: Array<string | number>): string | number | undefined {
  const levels: Array<(value: string | number) => number> = [
    (value) => contains(text, String(value).toLowerCase()),
    (value) => {
      const words = nameWords(String(value)).filter((w) => w.length >= 3);
      if (words.length < 2) return -1;
      const at = words.map((w) => contains(text, w));
      return at.every((i) => i >= 0) ? Math.min(...at) : -1;
    },
    (value) => {
      // A word of its own: "terrace" names `outdoor_terrace` when no other value has it.
      const others = new Set(values.filter((v) => v !== value).flatMap((v) => nameWords(String(v))));
      const own = nameWords(String(value)).filter((w) => w.length >= 4 && !others.has(w));
      const at = own.map((w) => contains(text, w)).filter((i) => i >= 0);
      return at.length > 0 ? Math.min(...at) : -1;
    },
  ];
  for (const level of levels) {
    let best: { value: string | number; at: number } | undefined;
    for (const value of values) {
      const at = level(value);
      if (at >= 0 && (!best || at < best.at)) best = { value, at };
    }
    if (best) return best.value;
  }
  return undefined;
}

/** Words of a boolean's name that say nothing of the thing: `is_`, `needs_`, `include_`. */
const GENERIC = new Set(['is', 'has', 'have', 'needs', 'need', 'wants', 'want', 'include', 'includes', 'with', 'allow', 'allows', 'send', 'opt', 'in', 'requires', 'require', 'request', 'requested', 'add', 'enable', 'enabled', 'use', 'should', 'flag', 'es', 'con', 'quiere']);
const NEGATION = new RegExp(`${START}${alternation(allWords('negations').flat())}${END}(?:\\s+\\S+){0,2}\\s*$`, 'iu');
const strip = (text: string): string => text.toLowerCase().replace(/[.!?,;:]+/g, ' ').replace(/\s+/g, ' ').trim();
const YES = new Set(allWords('yes').flat());
const NO = new Set(allWords('no').flat());

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
  const whole = strip(text).replace(/\s+(?:please|thanks|thank you|gracias|por favor)$/, '');
  if (YES.has(whole)) return true;
  if (NO.has(whole)) return false;
  return undefined;
}
