/**
 * The words and patterns the argument filler reads, as data: `words/<language>.json` per
 * language and `words/common.json` for what every language shares. Adding a language is adding
 * a file here; the readers take every language at once.
 */
import common from './words/common.json' with { type: 'json' };
import en from './words/en.json' with { type: 'json' };
import es from './words/es.json' with { type: 'json' };

/** The words of one language, as its JSON file gives them (lower case, accents with and without). */
export type LanguageWords = Omit<typeof en, 'numbers' | 'units'> & { numbers: Record<string, number>; units: Record<string, { units: string[]; hints: string[] }> };

const LANGUAGES: LanguageWords[] = [en, es];

/** Every language's list of one kind, in one list. */
export function allWords<K extends 'atWords' | 'timeWords' | 'articles' | 'yes' | 'no' | 'politeEndings' | 'negations' | 'genericNameWords' | 'notPlaces' | 'filler'>(key: K): string[] {
  return LANGUAGES.flatMap((language) => language[key]);
}

/** Every language's number words: "two" 2, "dos" 2. */
export const NUMBER_WORDS = new Map(LANGUAGES.flatMap((language) => Object.entries(language.numbers)));

/** Units by what they count, every language's merged: `people` → units "people", "personas"; hints "party", "guests". */
export const UNIT_GROUPS = Object.keys(en.units).map((group) => ({
  group,
  units: LANGUAGES.flatMap((l) => l.units[group]?.units ?? []),
  hints: LANGUAGES.flatMap((l) => l.units[group]?.hints ?? []),
}));

/** Rewrites into forms the date parser reads ("19h30" → "19:30", "8 y media de la tarde" → "8:30 pm"), shared ones first. */
export const REWRITES = [common, ...LANGUAGES].flatMap((l) => l.rewrites.map(([from, to]) => [new RegExp(from ?? '', 'giu'), to ?? ''] as const));

/** Property-name patterns per kind of value, in the order they are tried (snake_case names). */
export const FIELD_NAMES = common.fieldNames.map(([kind, pattern]) => [kind ?? '', new RegExp(pattern ?? '')] as const);

/** Cities found by name anywhere in a text, in any case. */
export const CITIES = common.cities;

/** `(?:a|b|c)` of the words, longest first ("no thanks" before "no"), spaces matching any whitespace. */
export function alternation(words: Iterable<string>): string {
  const unique = [...new Set(words)].filter(Boolean).sort((a, b) => b.length - a.length);
  return `(?:${unique.map((w) => escapeRegExp(w).replace(/ /g, '\\s+')).join('|')})`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Word edges that know accented letters (unlike `\b`, right for "mañana"). */
export const START = '(?<![\\p{L}\\p{N}])';
export const END = '(?![\\p{L}\\p{N}])';

/** The lower-case words of a name or description: `party_size` → party, size; `startTime` → start, time. */
export function nameWords(text: string): string[] {
  return text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}
