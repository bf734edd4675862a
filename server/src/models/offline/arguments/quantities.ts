/**
 * Reads the number a property wants: "for 2" or "2 people" for a party size, "20 minutes" for a
 * duration, "3 kg" for a weight. Each number is read with the unit after it (or the currency
 * before it); the property's name and description say which unit it wants, and a number with
 * another property's unit is never taken ("for 2 people, 20 minutes" gives each its own).
 */
import { allWords, UNIT_GROUPS } from './language-data.ts';
import { alternation, nameWords } from './patterns.ts';

/** A property's number rules, as JSON schema gives them. */
export interface NumberSchema {
  type?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  exclusiveMaximum?: unknown;
  description?: unknown;
}

interface NumberMention {
  value: number;
  group: string | undefined;
}

const numberWords = new Map<string, number>();
for (const numbers of allWords('numbers')) for (const [word, n] of Object.entries(numbers)) numberWords.set(word, n);
const articles = new Set(allWords('articles').flat());
for (const article of articles) numberWords.set(article, 1);
const unitGroup = new Map<string, string>();
for (const { group, units } of UNIT_GROUPS) for (const unit of units) if (!unitGroup.has(unit)) unitGroup.set(unit, group);
const UNIT_AFTER = new RegExp(`^\\s*(${alternation([...unitGroup.keys()])})(?![\\p{L}\\p{N}])`, 'iu');
const CURRENCY_BEFORE = /([$€£])\s*$/u;
// A number of its own: the digits of "TN-2002" or "A-1234" are part of a code. A word may follow only when it is a unit ("3kg").
const DIGITS = /(?<![\p{L}\p{N}_-])\d+(?:[.,]\d+)?(?![\p{N}_-])/gu;
const WORDS = new RegExp(`(?<![\\p{L}\\p{N}])${alternation(numberWords.keys())}(?![\\p{L}\\p{N}])`, 'giu');

/** Every number the text states, in order, with the group of its unit. */
function mentions(text: string): NumberMention[] {
  const found: Array<NumberMention & { at: number }> = [];
  const read = (at: number, raw: string, value: number): void => {
    const after = text.slice(at + raw.length);
    const unit = UNIT_AFTER.exec(after)?.[1]?.toLowerCase().replace(/\s+/g, ' ');
    // Letters glued to the digits that are not a unit ("2x", "3rd") make it something else.
    if (!unit && /^\p{L}/u.test(after)) return;
    if (!unit && articles.has(raw.toLowerCase())) return;
    const currency = CURRENCY_BEFORE.exec(text.slice(0, at))?.[1];
    found.push({ at, value, group: unit ? unitGroup.get(unit) : currency ? 'money' : undefined });
  };
  for (const m of text.matchAll(DIGITS)) read(m.index, m[0], Number(m[0].replace(',', '.')));
  for (const m of text.matchAll(WORDS)) read(m.index, m[0], numberWords.get(m[0].toLowerCase().replace(/\s+/g, ' ')) ?? Number.NaN);
  return found.sort((a, b) => a.at - b.at).filter((m) => Number.isFinite(m.value));
}

/** What a property counts, from its name first, then its description: `party_size` → people. */
export function unitGroupOf(name: string, schema: NumberSchema): string | undefined {
  const fromWords = (words: string[]): string | undefined =>
    UNIT_GROUPS.find(({ hints, units }) => words.some((w) => hints.includes(w) || units.includes(w)))?.group;
  return fromWords(nameWords(name)) ?? (typeof schema.description === 'string' ? fromWords(nameWords(schema.description)) : undefined);
}

/** Whether the value fits the property: an integer when it wants one, within its bounds. */
export function inRange(value: number, schema: NumberSchema): boolean {
  if (schema.type === 'integer' && !Number.isInteger(value)) return false;
  if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
  return !(typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum);
}

/**
 * The number for the property `name`: one with its unit, else one without a unit; never one
 * with another kind of unit. The first that fits the schema's type and bounds.
 */
export function findQuantity(text: string, name: string, schema: NumberSchema): number | undefined {
  const wanted = unitGroupOf(name, schema);
  const all = mentions(text);
  const withUnit = wanted ? all.filter((m) => m.group === wanted) : [];
  const bare = all.filter((m) => m.group === undefined);
  // A property that says nothing of units takes a bare number first, then any.
  const order = wanted ? [...withUnit, ...bare] : [...bare, ...all.filter((m) => m.group !== undefined)];
  // The first stated number decides; a fraction for an integer or a number out of range is not replaced by a guess.
  const first = order[0];
  return first !== undefined && inRange(first.value, schema) ? first.value : undefined;
}
