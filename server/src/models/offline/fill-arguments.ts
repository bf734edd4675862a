/**
 * Fills a tool's JSON-schema arguments from what the visitor wrote: ids, numbers with their
 * units, places, free text, dates, times, emails, phone numbers, enum values and yes/no (the
 * readers are in `arguments/`). Pure and deterministic (the clock is an input); a required field
 * it cannot fill makes the call impossible.
 */
import { choose } from './arguments/choose-format.ts';
import { findEmail, findPhone } from './arguments/contacts.ts';
import { calendarDay, findDate, isoDate, type CalendarDay } from './arguments/dates.ts';
import { findBoolean, findEnumValue } from './arguments/choices.ts';
import { blank } from './arguments/patterns.ts';
import { findQuantity } from './arguments/quantities.ts';
import { findTime, hhmm, utcOffset, type ClockTime } from './arguments/times.ts';

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
  'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Today Tomorrow Tonight Noon Midnight I The A An My Order Please'.split(' '),
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

/** The first number in the text. */
export function findNumber(text: string): number | undefined {
  const match = /-?\d+(?:[.,]\d+)?/.exec(text);
  return match ? Number(match[0].replace(',', '.')) : undefined;
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
export type FieldKind =
  | 'id' | 'number' | 'place' | 'query' | 'reason' | 'email' | 'phone' | 'date' | 'time' | 'datetime' | 'enum' | 'boolean' | 'unknown';

interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  default?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  format?: unknown;
  pattern?: unknown;
  description?: unknown;
}

/** Classifies a property, e.g. `order_id` → id, `city` → place, `query` → query, `date` → date. */
export function fieldKind(name: string, schema: PropertySchema): FieldKind {
  const n = name.toLowerCase();
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if (schema.type === 'boolean') return 'boolean';
  const format = typeof schema.format === 'string' ? schema.format.toLowerCase() : '';
  if (format === 'date') return 'date';
  if (format === 'time') return 'time';
  if (format === 'date-time') return 'datetime';
  if (format === 'email' || format === 'idn-email') return 'email';
  // Before ids: `phone_number` ends like an id but is a phone.
  if (format === 'phone' || /(?:^|_)(?:phone|tel|telephone|mobile|cell)(?:_?(?:number|num|no))?$/.test(n) || /^(?:phone|tel|mobile)/.test(n)) return 'phone';
  if (n === 'id' || /(?:^|_)id$|Id$/.test(name) || /(?:number|num|code|reference|ref|sku)$/.test(n)) return 'id';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (/^(?:date|day|fecha)$|(?:^|_)date$|^date_/.test(n) || /[a-z]Date$/.test(name)) return 'date';
  if (/^(?:time|hour|hora)$|(?:^|_)time$|^time_of/.test(n) || /[a-z]Time$/.test(name)) return 'time';
  if (/^(?:datetime|date_time|when|timestamp|start|starts_at|start_at|appointment)$|_at$|datetime$/.test(n)) return 'datetime';
  if (/^(?:city|location|place|town|region|country|destination)$/.test(n)) return 'place';
  if (/^(?:q|query|question|text|search|topic|keywords?|term|prompt|item|product)$/.test(n)) return 'query';
  if (/^(?:reason|message|description|comment|details|note|notes|explanation)$/.test(n)) return 'reason';
  if (/email/.test(n)) return 'email';
  return 'unknown';
}

/** Kinds a short answer can supply on its own ("1234", "tomorrow", "7pm"): they point a follow-up at the tool that needs them. */
export const SPECIFIC_KINDS: readonly FieldKind[] = ['id', 'number', 'place', 'email', 'phone', 'date', 'time', 'datetime'];

/** What a fill may use besides the text: the clock, for "today", "tomorrow", "next friday". */
export interface FillContext {
  /** Now, in the server's time zone. Without it, only dates with a year are read. */
  now?: Date | undefined;
}

/** A text with the dates and times it names blanked out, so their digits are no count, id or phone. */
function withoutWhen(text: string, today: CalendarDay | undefined): string {
  return blank(text, [findDate(text, today), findTime(text)]);
}

/** A clock time as the property wants it: `19:30`, or RFC 3339 `19:30:00+01:00` for `format: time`. */
function timeValue(time: ClockTime, schema: PropertySchema, on: Date): string | undefined {
  const offset = utcOffset(on);
  const strict = `${hhmm(time)}:00${offset}`;
  return choose(schema.format === 'time' ? [strict] : [hhmm(time), `${hhmm(time)}:00`, strict], schema.pattern);
}

function fillOne(name: string, kind: FieldKind, schema: PropertySchema, text: string, today: CalendarDay | undefined): unknown {
  switch (kind) {
    case 'id': {
      const id = findId(withoutWhen(text, today));
      if (id === undefined) return undefined;
      return schema.type === 'number' || schema.type === 'integer' ? findNumber(id) : id;
    }
    case 'number':
      return findQuantity(withoutWhen(text, today), name, schema);
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
      return findEmail(text);
    case 'phone': {
      const phone = findPhone(withoutWhen(text, today));
      return phone ? choose([phone.compact, phone.written], schema.pattern) : undefined;
    }
    case 'date': {
      const found = findDate(text, today);
      return found ? choose([isoDate(found.date)], schema.pattern) : undefined;
    }
    case 'time': {
      const found = findTime(text);
      if (!found) return undefined;
      const on = today ? new Date(today.year, today.month - 1, today.day, found.time.hour, found.time.minute) : new Date(0);
      return timeValue(found.time, schema, on);
    }
    case 'enum': {
      const values = (schema.enum as unknown[]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
      // The value the visitor named, else the schema's default, else the only value there is; never a guess among several.
      const named = findEnumValue(text, values);
      if (named !== undefined) return named;
      if (values.includes(schema.default as string | number)) return schema.default;
      return values.length === 1 ? values[0] : undefined;
    }
    case 'boolean':
      return findBoolean(text, name) ?? (typeof schema.default === 'boolean' ? schema.default : undefined);
    case 'datetime':
    case 'unknown':
      return undefined;
  }
}

/** A date and a time, each from the newest text that gives it ("at 7pm", then "tomorrow"). */
function fillDateTime(schema: PropertySchema, texts: string[], today: CalendarDay | undefined): string | undefined {
  const date = texts.map((t) => findDate(t, today)).find(Boolean)?.date;
  const time = texts.map((t) => findTime(t)).find(Boolean)?.time;
  if (!date || !time) return undefined;
  const local = `${isoDate(date)}T${hhmm(time)}:00`;
  const offset = utcOffset(new Date(date.year, date.month - 1, date.day, time.hour, time.minute));
  return choose([`${local}${offset}`, local, `${isoDate(date)}T${hhmm(time)}`], schema.pattern);
}

/** A short answer that is only an hour: "8", "8.30", "20:00" is read as a clock elsewhere. */
const BARE_HOUR = /^\s*\d{1,2}(?:[.h]\d{2})?\s*[.!]?\s*$/;

/** The result of filling a tool's arguments: the values found and the required fields that were not. */
export interface FilledArguments {
  args: Record<string, unknown>;
  missing: string[];
}

/**
 * Fills every property it can from the texts (tried in order: newest first, so an answer to a
 * question wins over the message it answers, and the rest is carried over from that message).
 * Optional fields are only set when the visitor's words name a value.
 */
export function fillArguments(parameters: Record<string, unknown>, texts: string[], context: FillContext = {}): FilledArguments {
  const properties = (parameters.properties ?? {}) as Record<string, PropertySchema>;
  const required = Array.isArray(parameters.required) ? (parameters.required as string[]) : [];
  const today = context.now ? calendarDay(context.now) : undefined;
  const kinds = Object.entries(properties).map(([name, schema]) => fieldKind(name, schema ?? {}));
  // "8" in answer to "What time would you like?" is the hour, not a party of eight.
  if (texts.length > 1 && BARE_HOUR.test(texts[0] ?? '') && kinds.some((k) => k === 'time' || k === 'datetime') && !texts.some((t) => findTime(t))) {
    texts = [`at ${(texts[0] ?? '').trim()}`, ...texts.slice(1)];
  }
  const args: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const kind = fieldKind(name, schema ?? {});
    const isRequired = required.includes(name);
    // Optional free-text fields would only echo the visitor, and an optional number would be a
    // guess (in "refund order 1234" the number is the order, not an amount): leave them out.
    if (!isRequired && (kind === 'query' || kind === 'number')) continue;
    let value: unknown;
    if (kind === 'datetime') value = fillDateTime(schema ?? {}, texts, today);
    else {
      for (const text of texts) {
        value = fillOne(name, kind, schema ?? {}, text, today);
        if (value !== undefined) break;
      }
    }
    // An optional choice is only set when named: its default or only value is the tool's to apply.
    if (!isRequired && (kind === 'enum' || kind === 'boolean') && !texts.some((t) => namedChoice(name, kind, schema ?? {}, t))) value = undefined;
    if (value !== undefined) args[name] = value;
    else if (isRequired) missing.push(name);
  }
  return { args, missing };
}

function namedChoice(name: string, kind: 'enum' | 'boolean', schema: PropertySchema, text: string): boolean {
  if (kind === 'boolean') return findBoolean(text, name) !== undefined;
  const values = Array.isArray(schema.enum) ? schema.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number') : [];
  return findEnumValue(text, values) !== undefined;
}
