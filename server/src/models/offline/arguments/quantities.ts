/**
 * Reads the number a property wants: "for 2" or "2 people" for a party size, "20 minutes" for a duration, "3 kg" for a weight.
 * Each number is read with its unit (or the currency before it); a number with another property's unit is never taken.
 */
import { allWords, alternation, END, nameWords, NUMBER_WORDS, START, UNIT_GROUPS } from './words.ts';

type NumberSchema = Record<string, unknown>;

// Articles count one, but only before a unit: "in a week", "una persona" ("una mesa" is no count).
const articles = new Set(allWords('articles'));
const numberWords = new Map([...NUMBER_WORDS, ...[...articles].map((a) => [a, 1] as const)]);
const unitGroup = new Map(UNIT_GROUPS.flatMap(({ group, units }) => units.map((unit) => [unit, group] as const)).reverse());
const UNIT_AFTER = new RegExp(`^\\s*(${alternation(unitGroup.keys())})${END}`, 'iu');
// A number of its own: the digits of "TN-2002" or "A-1234" are part of a code. A word may follow only when it is a unit ("3kg").
const NUMBER = new RegExp(`(?<![\\p{L}\\p{N}_-])\\d+(?:[.,]\\d+)?(?![\\p{N}_-])|${START}${alternation(numberWords.keys())}${END}`, 'giu');
const lower = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ');

/** Every number the text states, in order, with the group of its unit ("money" for a currency sign before it). */
function mentions(text: string): Array<{ value: number; group: string | undefined }> {
  return [...text.matchAll(NUMBER)].flatMap((m) => {
    const after = text.slice(m.index + m[0].length);
    const unit = UNIT_AFTER.exec(after)?.[1];
    // Letters glued to the digits that are not a unit ("2x", "3rd") make it something else.
    if (!unit && (/^\p{L}/u.test(after) || articles.has(lower(m[0])))) return [];
    const value = /^\d/.test(m[0]) ? Number(m[0].replace(',', '.')) : (numberWords.get(lower(m[0])) ?? Number.NaN);
    return [{ value, group: unit ? unitGroup.get(lower(unit)) : /[$€£]\s*$/u.test(text.slice(0, m.index)) ? 'money' : undefined }];
  });
}

/** What a property counts, from its name first, then its description: `party_size` → people. */
export function unitGroupOf(name: string, schema: NumberSchema): string | undefined {
  const fromWords = (words: string[]) => UNIT_GROUPS.find(({ hints, units }) => words.some((w) => hints.includes(w) || units.includes(w)))?.group;
  return fromWords(nameWords(name)) ?? (typeof schema.description === 'string' ? fromWords(nameWords(schema.description)) : undefined);
}

/** Whether the value fits the property: an integer when it wants one, within its bounds. */
function inRange(value: number, { type, minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax }: NumberSchema): boolean {
  if (!Number.isFinite(value) || (type === 'integer' && !Number.isInteger(value))) return false;
  return !((typeof min === 'number' && value < min) || (typeof max === 'number' && value > max) || (typeof xmin === 'number' && value <= xmin) || (typeof xmax === 'number' && value >= xmax));
}

/** The number for `name`: the first with its unit, else without one (a unit-less property: bare first, then any); within the schema's type and bounds, never a guess. */
export function findQuantity(text: string, name: string, schema: NumberSchema): number | undefined {
  const wanted = unitGroupOf(name, schema);
  const all = mentions(text);
  const first = wanted ? (all.find((m) => m.group === wanted) ?? all.find((m) => !m.group)) : (all.find((m) => !m.group) ?? all[0]);
  return first !== undefined && inRange(first.value, schema) ? first.value : undefined;
}
