/**
 * Fills a tool's JSON-schema arguments from what the visitor wrote: ids, numbers, places,
 * free text. Pure and deterministic; a required field it cannot fill makes the call impossible.
 */

const KNOWN_CITIES = [
  'Amsterdam', 'Athens', 'Atlanta', 'Austin', 'Bangkok', 'Barcelona', 'Beijing', 'Berlin', 'Boston', 'Brussels',
  'Buenos Aires', 'Cairo', 'Cape Town', 'Chicago', 'Copenhagen', 'Dallas', 'Delhi', 'Denver', 'Detroit', 'Dubai',
  'Dublin', 'Edinburgh', 'Helsinki', 'Hong Kong', 'Istanbul', 'Jakarta', 'Lagos', 'Lisbon', 'London', 'Los Angeles',
  'Madrid', 'Manchester', 'Melbourne', 'Mexico City', 'Miami', 'Milan', 'Montreal', 'Moscow', 'Mumbai', 'Munich',
  'Nairobi', 'New York', 'Oslo', 'Paris', 'Prague', 'Rio de Janeiro', 'Rome', 'San Francisco', 'Santiago', 'Seattle',
  'Seoul', 'Shanghai', 'Singapore', 'Stockholm', 'Sydney', 'Tokyo', 'Toronto', 'Vancouver', 'Vienna', 'Warsaw', 'Zurich',
];

/** Capitalized words that follow "in/for/at" but are not places. */
const NOT_PLACES = new Set(
  'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Today Tomorrow I The A An My Order Please'.split(' '),
);

const FILLER = [
  /^(?:hi|hello|hey|good (?:morning|afternoon|evening))[,!.\s]+/i,
  /^(?:please\s+)?(?:can|could|would|will) you(?: please)?\s+/i,
  /^(?:please\s+)?(?:search|look|check)(?: up)?(?: the)?(?: docs| documentation| help center| knowledge base)?(?: for| about)?\s+/i,
  /^(?:i (?:want|need|would like) to know|tell me|i have a question about|question:)\s+/i,
  /\s*(?:,\s*)?(?:please|thanks|thank you)[.!]*$/i,
  // "do you have the Alpine 2 tent in stock", "is the trail boot size 42 available": the thing asked about.
  /^(?:do|does) (?:you|they|we|the (?:shop|store)) (?:have|carry|sell|stock)(?: (?:the|a|an|any|some))?\s+/i,
  /^(?:is|are) (?:there )?(?:the|a|an|any|some|your)\s+/i,
  /\s+(?:still )?(?:in stock|available|on sale|for sale)$/i,
];

/** The first id-like token: "1234", "A-1234", "ORD_77", "#1234" → "1234". */
export function findId(text: string): string | undefined {
  // Each repetition must start with a separator, so the pattern cannot backtrack exponentially.
  const match = /(?:^|[^\p{L}\p{N}_-])#?((?:[A-Za-z]{1,5}[-_]?)?\d{2,}[A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*)(?![\p{L}\p{N}_-])/u.exec(text);
  return match?.[1];
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, a_couple: 2, a_pair: 2,
};

/** The first number in the text. */
export function findNumber(text: string): number | undefined {
  const match = /-?\d+(?:[.,]\d+)?/.exec(text);
  return match ? Number(match[0].replace(',', '.')) : undefined;
}

/** A count: the first number, or a number word ("two tents", "a couple of"). */
function findCount(text: string): number | undefined {
  // A number of its own: the digits of "TN-2002" or "A-1234" are part of a code, not a count.
  // "2.5" is read whole, so an integer field sees a fraction and leaves it.
  const digits = /(?<![\p{L}\p{N}_-])\d+(?:[.,]\d+)?(?![\p{L}\p{N}_-])/u.exec(text);
  if (digits) return Number(digits[0].replace(',', '.'));
  const match = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple|a pair)\b/i.exec(text);
  return match ? NUMBER_WORDS[(match[1] ?? '').toLowerCase().replace(' ', '_')] : undefined;
}

/** A place: capitalized word(s) after in/for/at/near, or a known city anywhere (any case). */
export function findPlace(text: string): string | undefined {
  const pattern = /\b(?:in|for|at|near|of)\s+((?:\p{Lu}[\p{L}'’.-]*)(?:\s+(?:de\s+|la\s+)?\p{Lu}[\p{L}'’.-]*)*)/gu;
  for (const match of text.matchAll(pattern)) {
    const place = (match[1] ?? '').replace(/[.'’]+$/, '');
    if (place && !NOT_PLACES.has(place.split(/\s+/)[0] ?? '')) return place;
  }
  const lower = text.toLowerCase();
  let found: { city: string; at: number } | undefined;
  for (const city of KNOWN_CITIES) {
    const at = lower.search(new RegExp(`\\b${city.toLowerCase()}\\b`));
    if (at >= 0 && (!found || at < found.at)) found = { city, at };
  }
  return found?.city;
}

/** The visitor's text without greetings, politeness and "search the docs for". */
export function stripFiller(text: string): string {
  let out = text.trim();
  for (let pass = 0; pass < 2; pass++) {
    out = out.replace(/[?!.\s]+$/, '');
    for (const pattern of FILLER) out = out.replace(pattern, '');
  }
  return out.replace(/[?!.,\s]+$/, '').trim();
}

/** What kind of value a property wants, judged by its name and schema. */
export type FieldKind = 'id' | 'number' | 'place' | 'query' | 'reason' | 'email' | 'enum' | 'boolean' | 'unknown';

interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  default?: unknown;
  minimum?: unknown;
  maximum?: unknown;
}

/** Classifies a property, e.g. `order_id` → id, `city` → place, `query` → query. */
export function fieldKind(name: string, schema: PropertySchema): FieldKind {
  const n = name.toLowerCase();
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if (schema.type === 'boolean') return 'boolean';
  if (n === 'id' || /(?:^|_)id$|Id$/.test(name) || /(?:number|num|code|reference|ref|sku)$/.test(n)) return 'id';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (/^(?:city|location|place|town|region|country|destination)$/.test(n)) return 'place';
  if (/^(?:q|query|question|text|search|topic|keywords?|term|prompt|item|product)$/.test(n)) return 'query';
  if (/^(?:reason|message|description|comment|details|note|notes|explanation)$/.test(n)) return 'reason';
  if (/email/.test(n)) return 'email';
  return 'unknown';
}

function fillOne(kind: FieldKind, schema: PropertySchema, text: string): unknown {
  switch (kind) {
    case 'id': {
      const id = findId(text);
      if (id === undefined) return undefined;
      return schema.type === 'number' || schema.type === 'integer' ? findNumber(id) : id;
    }
    case 'number': {
      const value = schema.type === 'integer' ? findCount(text) : findNumber(text);
      return value !== undefined && inRange(value, schema) ? value : undefined;
    }
    case 'place':
      return findPlace(text);
    case 'query': {
      const query = stripFiller(text);
      return query || undefined;
    }
    case 'reason': {
      const reason = text.trim().replace(/\s+/g, ' ');
      return reason ? reason.slice(0, 200) : undefined;
    }
    case 'email':
      return /[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}/i.exec(text)?.[0];
    case 'enum': {
      const values = (schema.enum as unknown[]).filter((v) => typeof v === 'string' || typeof v === 'number');
      const lower = text.toLowerCase();
      // The value the visitor named, else the schema's default, else the only value there is; never a guess among several.
      const named = values.find((v) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(String(v).toLowerCase())}(?![\\p{L}\\p{N}])`, 'u').test(lower));
      if (named !== undefined) return named;
      if (values.includes(schema.default as string | number)) return schema.default;
      return values.length === 1 ? values[0] : undefined;
    }
    case 'boolean':
      return typeof schema.default === 'boolean' ? schema.default : false;
    case 'unknown':
      return undefined;
  }
}

function inRange(value: number, schema: PropertySchema): boolean {
  if (schema.type === 'integer' && !Number.isInteger(value)) return false;
  if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
  return !(typeof schema.maximum === 'number' && value > schema.maximum);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The result of filling a tool's arguments: the values found and the required fields that were not. */
export interface FilledArguments {
  args: Record<string, unknown>;
  missing: string[];
}

/**
 * Fills every property it can from the texts (tried in order: newest first), required ones
 * first. Optional fields are only set when a value was found.
 */
export function fillArguments(parameters: Record<string, unknown>, texts: string[]): FilledArguments {
  const properties = (parameters.properties ?? {}) as Record<string, PropertySchema>;
  const required = Array.isArray(parameters.required) ? (parameters.required as string[]) : [];
  const args: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const kind = fieldKind(name, schema ?? {});
    const isRequired = required.includes(name);
    // Optional free-text fields would only echo the visitor, and an optional number would be a
    // guess (in "refund order 1234" the number is the order, not an amount): leave them out.
    if (!isRequired && (kind === 'boolean' || kind === 'enum' || kind === 'query' || kind === 'number')) continue;
    let value: unknown;
    for (const text of texts) {
      value = fillOne(kind, schema ?? {}, text);
      if (value !== undefined) break;
    }
    if (value !== undefined) args[name] = value;
    else if (isRequired) missing.push(name);
  }
  return { args, missing };
}
