/**
 * Fills a tool's JSON-schema arguments from what the visitor wrote: ids, numbers with their
 * units, places, free text, dates, times, emails, phone numbers, enum values and yes/no (the
 * readers are in `arguments/`, their words in `arguments/words/`). Pure and deterministic (the
 * clock is an input); a required field it cannot fill makes the call impossible.
 */
import { findBoolean, findEnumValue } from './arguments/choices.ts';
import { findQuantity } from './arguments/quantities.ts';
import { findWhen, hhmm, utcOffset, type ClockTime } from './arguments/when.ts';
import { allWords, CITIES, FIELD_NAMES } from './arguments/words.ts';

const NOT_PLACES = new Set(allWords('notPlaces'));
const FILLER = allWords('filler').map((pattern) => new RegExp(pattern, 'i'));

/** The first id-like token: "1234", "A-1234", "ORD_77", "#1234" → "1234". */
export function findId(text: string): string | undefined {
  // Each repetition must start with a separator, so the pattern cannot backtrack exponentially.
  return /(?:^|[^\p{L}\p{N}_-])#?((?:[A-Za-z]{1,5}[-_]?)?\d{2,}[A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*)(?![\p{L}\p{N}_-])/u.exec(text)?.[1];
}

/** A place: capitalized word(s) after in/for/at/near, or a known city anywhere (any case). */
export function findPlace(text: string): string | undefined {
  for (const match of text.matchAll(/\b(?:in|for|at|near|of)\s+((?:\p{Lu}[\p{L}'’.-]*)(?:\s+(?:de\s+|la\s+)?\p{Lu}[\p{L}'’.-]*)*)/gu)) {
    const place = (match[1] ?? '').replace(/[.'’]+$/, '');
    if (place && !NOT_PLACES.has(place.split(/\s+/)[0] ?? '')) return place;
  }
  const found = CITIES.map((city) => ({ city, at: text.toLowerCase().search(new RegExp(`\\b${city.toLowerCase()}\\b`)) })).filter((c) => c.at >= 0);
  return found.sort((a, b) => a.at - b.at)[0]?.city;
}

/** The visitor's text without greetings, politeness and "search the docs for". */
export function stripFiller(text: string): string {
  let out = text.trim();
  for (let pass = 0; pass < 2; pass++) out = FILLER.reduce((acc, pattern) => acc.replace(pattern, ''), out.replace(/[?!.\s]+$/, ''));
  return out.replace(/[?!.,\s]+$/, '').trim();
}

/** What kind of value a property wants, judged by its name and schema. */
export type FieldKind =
  | 'id' | 'number' | 'place' | 'query' | 'reason' | 'email' | 'phone' | 'date' | 'time' | 'datetime' | 'enum' | 'boolean' | 'unknown';

interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  default?: unknown;
  format?: unknown;
  pattern?: unknown;
  description?: unknown;
}

const FORMATS: Record<string, FieldKind> = { date: 'date', time: 'time', 'date-time': 'datetime', email: 'email', 'idn-email': 'email', phone: 'phone' };

/** Classifies a property, e.g. `order_id` → id, `city` → place, `query` → query, `date` → date. */
export function fieldKind(name: string, schema: PropertySchema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if (schema.type === 'boolean') return 'boolean';
  const format = FORMATS[typeof schema.format === 'string' ? schema.format.toLowerCase() : ''];
  if (format) return format;
  const numeric = schema.type === 'number' || schema.type === 'integer';
  const snake = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  for (const [kind, pattern] of FIELD_NAMES) {
    // A phone or an id may be numeric (`phone_number`, `order_number`); any other numeric property is a number.
    if (numeric && kind !== 'phone' && kind !== 'id') return 'number';
    if (pattern.test(snake)) return kind as FieldKind;
  }
  return numeric ? 'number' : 'unknown';
}

/** Kinds a short answer can supply on its own ("1234", "tomorrow", "7pm"): they point a follow-up at the tool that needs them. */
export const SPECIFIC_KINDS: readonly FieldKind[] = ['id', 'number', 'place', 'email', 'phone', 'date', 'time', 'datetime'];

/** What a fill may use besides the text: the clock, for "today", "tomorrow", "next friday". */
export interface FillContext {
  /** Now, in the server's time zone. Without it, only dates with a year are read. */
  now?: Date | undefined;
}

/** The first candidate the property's `pattern` accepts (the first when it has no usable pattern); undefined when none fits. */
function choose(candidates: string[], pattern: unknown): string | undefined {
  try {
    return typeof pattern === 'string' ? candidates.find((candidate) => new RegExp(pattern, 'u').test(candidate)) : candidates[0];
  } catch {
    return candidates[0];
  }
}

/** A date-time as the property wants it: `2026-12-01T19:00:00+01:00` (RFC 3339, the server zone's offset) or a local spelling. */
function dateTimeValue(date: string, time: ClockTime, pattern: unknown): string | undefined {
  const offset = utcOffset(new Date(`${date}T${hhmm(time)}:00`));
  return choose([`${date}T${hhmm(time)}:00${offset}`, `${date}T${hhmm(time)}:00`, `${date}T${hhmm(time)}`], pattern);
}

function fillOne(name: string, kind: FieldKind, schema: PropertySchema, text: string, now: Date | undefined): unknown {
  const when = findWhen(text, now);
  switch (kind) {
    case 'id': {
      const id = findId(when.rest);
      return id !== undefined && (schema.type === 'number' || schema.type === 'integer') ? Number(/\d+/.exec(id)?.[0]) : id;
    }
    case 'number':
      return findQuantity(when.rest, name, schema);
    case 'place':
      return findPlace(text);
    case 'query':
      return stripFiller(text) || undefined;
    case 'reason':
      return text.trim().replace(/\s+/g, ' ').slice(0, 200) || undefined;
    case 'email':
      return /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[a-z]{2,}/i.exec(text)?.[0];
    case 'phone': {
      // 7 to 15 digits, maybe with a leading "+", spaces, dots, dashes or brackets between them.
      const written = [...when.rest.matchAll(/(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{5,}\d(?![\p{L}\p{N}])/gu)].map((m) => m[0].trim()).find((p) => /^\D*(?:\d\D*){7,15}$/.test(p));
      return written && choose([`${written.startsWith('+') ? '+' : ''}${written.replace(/\D/g, '')}`, written], schema.pattern);
    }
    case 'date':
      return when.date && choose([when.date], schema.pattern);
    case 'time': {
      if (!when.time) return undefined;
      const today = now ? `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}` : '1970-01-01';
      const strict = dateTimeValue(today, when.time, undefined)?.slice(11);
      return choose(schema.format === 'time' ? [strict ?? ''] : [hhmm(when.time), `${hhmm(when.time)}:00`, strict ?? ''], schema.pattern);
    }
    case 'enum': {
      const values = (schema.enum as unknown[]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
      // The value the visitor named, else the schema's default, else the only value there is; never a guess among several.
      return findEnumValue(text, values) ?? (values.includes(schema.default as string | number) ? schema.default : values.length === 1 ? values[0] : undefined);
    }
    case 'boolean':
      return findBoolean(text, name) ?? (typeof schema.default === 'boolean' ? schema.default : undefined);
    default:
      return undefined;
  }
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
export function fillArguments(parameters: Record<string, unknown>, texts: string[], { now }: FillContext = {}): FilledArguments {
  const properties = Object.entries((parameters.properties ?? {}) as Record<string, PropertySchema | undefined>).map(([name, schema = {}]) => ({ name, schema, kind: fieldKind(name, schema) }));
  const required = Array.isArray(parameters.required) ? (parameters.required as string[]) : [];
  // "8" in answer to "What time would you like?" is the hour, not a party of eight.
  if (texts.length > 1 && BARE_HOUR.test(texts[0] ?? '') && properties.some((p) => p.kind === 'time' || p.kind === 'datetime') && !texts.some((t) => findWhen(t, now).time)) {
    texts = [`at ${(texts[0] ?? '').trim()}`, ...texts.slice(1)];
  }
  const args: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const { name, schema, kind } of properties) {
    const isRequired = required.includes(name);
    // Optional free-text fields would only echo the visitor, and an optional number would be a
    // guess (in "refund order 1234" the number is the order, not an amount): leave them out.
    if (!isRequired && (kind === 'query' || kind === 'number')) continue;
    let value: unknown;
    if (kind === 'datetime') {
      // A date and a time, each from the newest text that gives it ("at 7pm", then "tomorrow").
      const whens = texts.map((t) => findWhen(t, now));
      const [date, time] = [whens.find((w) => w.date)?.date, whens.find((w) => w.time)?.time];
      value = date && time ? dateTimeValue(date, time, schema.pattern) : undefined;
    } else value = texts.map((t) => fillOne(name, kind, schema, t, now)).find((v) => v !== undefined);
    // An optional choice is only set when named: its default or only value is the tool's to apply.
    const named = (t: string): boolean => (kind === 'boolean' ? findBoolean(t, name) : findEnumValue(t, (schema.enum ?? []) as Array<string | number>)) !== undefined;
    if (!isRequired && (kind === 'enum' || kind === 'boolean') && !texts.some(named)) value = undefined;
    if (value !== undefined) args[name] = value;
    else if (isRequired) missing.push(name);
  }
  return { args, missing };
}
