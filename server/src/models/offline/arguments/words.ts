/**
 * The words and patterns the argument readers use, as data: `words/<language>.json` per language,
 * `words/common.json` for what all share. Adding a language is adding a file; readers take every language at once.
 */
import common from './words/common.json' with { type: 'json' };
import en from './words/en.json' with { type: 'json' };
import es from './words/es.json' with { type: 'json' };

/** The words of one language (lower case; accented words with and without their accents). */
type LanguageWords = Omit<typeof en, 'numbers' | 'units'> & { numbers: Record<string, number>; units: Record<string, { units: string[]; hints: string[] }> };
type WordList = { [K in keyof LanguageWords]: LanguageWords[K] extends string[] ? K : never }[keyof LanguageWords];

const LANGUAGES: LanguageWords[] = [en, es];

/** Every language's list of one kind, in one list. */
export const allWords = (key: WordList): string[] => LANGUAGES.flatMap((language) => language[key]);

/** Every language's number words: "two" 2, "dos" 2. */
export const NUMBER_WORDS = new Map(LANGUAGES.flatMap((language) => Object.entries(language.numbers)));

/** Units by what they count, all languages merged: `people` has units "people", "personas" and hints "party", "guests". */
export const UNIT_GROUPS = Object.keys(en.units).map((group) => ({ group, units: LANGUAGES.flatMap((l) => l.units[group]?.units ?? []), hints: LANGUAGES.flatMap((l) => l.units[group]?.hints ?? []) }));

/** Rewrites into forms the date parser reads ("19h30" → "19:30", "8 y media de la tarde" → "8:30 pm"), shared ones first. */
export const REWRITES = [common, ...LANGUAGES].flatMap((l) => l.rewrites.map(([from = '', to = '']) => [new RegExp(from, 'giu'), to] as const));

/** Property-name patterns per kind of value, tried in order on the snake_case name; kinds by JSON-schema `format`; known cities. */
export const FIELD_NAMES = common.fieldNames.map(([kind = '', pattern = '']) => [kind, new RegExp(pattern)] as const);
export const { formats: FORMATS, cities: CITIES } = common as typeof common & { formats: Record<string, string> };

/** `(?:a|b|c)` of the words, longest first ("no thanks" before "no"), spaces matching any whitespace. */
export function alternation(words: Iterable<string>): string {
  return `(?:${[...new Set(words)].filter(Boolean).sort((a, b) => b.length - a.length).map((w) => escapeRegExp(w).replace(/ /g, '\\s+')).join('|')})`;
}

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Word edges that know accented letters (unlike `\b`, right for "mañana"). */
export const [START, END] = ['(?<![\\p{L}\\p{N}])', '(?![\\p{L}\\p{N}])'];

/** The lower-case words of a name or description: `party_size` → party, size; `startTime` → start, time. */
export const nameWords = (text: string): string[] => text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
