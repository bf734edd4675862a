/**
 * Fills a tool's JSON-schema arguments from the visitor's words: ids, numbers with units, places, free text, dates, times, emails,
 * phones, enum values, yes/no (readers in `arguments/`, words in `arguments/words/`). Pure (the clock is an input); a required field it cannot fill makes the call impossible.
 */
import { findBoolean, findEnumValue } from './arguments/choices.ts';
import { findQuantity } from './arguments/quantities.ts';
import { findWhen, hhmm, isoDate, utcOffset, type ClockTime, type When } from './arguments/when.ts';
import { allWords, CITIES, FIELD_NAMES, FORMATS } from './arguments/words.ts';

const NOT_PLACES = new Set(allWords('notPlaces'));
const FILLER = allWords('filler').map((pattern) => new RegExp(pattern, 'i'));
const PLACE_AFTER = /\b(?:in|for|at|near|of)\s+((?:\p{Lu}[\p{L}'’.-]*)(?:\s+(?:de\s+|la\s+)?\p{Lu}[\p{L}'’.-]*)*)/gu;

/** The first id-like token: "1234", "A-1234", "ORD_77", "#1234" → "1234" (each repetition starts with a separator: no exponential backtracking). */
export const findId = (text: string): string | undefined => /(?:^|[^\p{L}\p{N}_-])#?((?:[A-Za-z]{1,5}[-_]?)?\d{2,}[A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*)(?![\p{L}\p{N}_-])/u.exec(text)?.[1];

/** A place: capitalized word(s) after in/for/at/near, or a known city anywhere (any case). */
export function findPlace(text: string): string | undefined {
  const named = [...text.matchAll(PLACE_AFTER)].map((m) => (m[1] ?? '').replace(/[.'’]+$/, '')).find((place) => place && !NOT_PLACES.has(place.split(/\s+/)[0] ?? ''));
  return named ?? CITIES.map((city) => ({ city, at: text.toLowerCase().search(new RegExp(`\\b${city.toLowerCase()}\\b`)) })).filter((c) => c.at >= 0).sort((a, b) => a.at - b.at)[0]?.city;
}

/** The visitor's text without greetings, politeness and "search the docs for". */
export function stripFiller(text: string): string {
  let out = text.trim();
  for (let pass = 0; pass < 2; pass++) out = FILLER.reduce((acc, pattern) => acc.replace(pattern, ''), out.replace(/[?!.\s]+$/, ''));
  return out.replace(/[?!.,\s]+$/, '').trim();
}

/** What kind of value a property wants, judged by its name and schema. */
export type FieldKind = 'id' | 'number' | 'place' | 'query' | 'reason' | 'email' | 'phone' | 'date' | 'time' | 'datetime' | 'enum' | 'boolean' | 'unknown';
type Schema = { type?: unknown; enum?: unknown; default?: unknown; format?: unknown; pattern?: unknown; description?: unknown };

/** Classifies a property, e.g. `order_id` → id, `city` → place, `query` → query, `date` → date. */
export function fieldKind(name: string, schema: Schema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if (schema.type === 'boolean') return 'boolean';
  if (typeof schema.format === 'string' && FORMATS[schema.format.toLowerCase()]) return FORMATS[schema.format.toLowerCase()] as FieldKind;
  const numeric = schema.type === 'number' || schema.type === 'integer';
  const snake = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  // A phone or an id may be numeric (`phone_number`, `order_number`); any other numeric property is a number.
  const named = FIELD_NAMES.find(([kind, pattern]) => (!numeric || kind === 'phone' || kind === 'id') && pattern.test(snake))?.[0];
  return (named as FieldKind | undefined) ?? (numeric ? 'number' : 'unknown');
}

/** Kinds a short answer can supply on its own ("1234", "tomorrow", "7pm"): they point a follow-up at the tool that needs them. */
export const SPECIFIC_KINDS: readonly FieldKind[] = ['id', 'number', 'place', 'email', 'phone', 'date', 'time', 'datetime'];

/** The first candidate the property's `pattern` accepts (the first when it has no usable pattern); undefined when none fits. */
function choose(candidates: string[], pattern: unknown): string | undefined {
  const fits = (candidate: string): boolean => { try { return new RegExp(String(pattern), 'u').test(candidate); } catch { return true; } };
  return typeof pattern === 'string' ? candidates.find(fits) : candidates[0];
}

/** `19:00:00+01:00`: the time with the server zone's offset on that date (RFC 3339). */
const withOffset = (date: string, time: ClockTime): string => `${hhmm(time)}:00${utcOffset(new Date(`${date}T${hhmm(time)}:00`))}`;

function fillOne(name: string, kind: FieldKind, schema: Schema, text: string, { date, time, rest }: When, now: Date | undefined): unknown {
  const id = findId(rest);
  if (kind === 'id') return id && (schema.type === 'number' || schema.type === 'integer') ? Number(/\d+/.exec(id)?.[0]) : id;
  if (kind === 'number') return findQuantity(rest, name, schema);
  if (kind === 'place') return findPlace(text);
  if (kind === 'query') return stripFiller(text) || undefined;
  if (kind === 'reason') return text.trim().replace(/\s+/g, ' ').slice(0, 200) || undefined;
  if (kind === 'email') return /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[a-z]{2,}/i.exec(text)?.[0];
  if (kind === 'date') return date && choose([date], schema.pattern);
  // A `format: time` carries the zone's offset of today (of the epoch without a clock).
  const strict = time && withOffset(now ? isoDate(now) : '1970-01-01', time);
  if (kind === 'time' && time && strict) return choose(schema.format === 'time' ? [strict] : [hhmm(time), `${hhmm(time)}:00`, strict], schema.pattern);
  // A phone: 7 to 15 digits, maybe with a leading "+", spaces, dots, dashes or brackets between them.
  const phone = [...rest.matchAll(/(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{5,}\d(?![\p{L}\p{N}])/gu)].map((m) => m[0].trim()).find((p) => /^\D*(?:\d\D*){7,15}$/.test(p));
  if (kind === 'phone') return phone && choose([`${phone.startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`, phone], schema.pattern);
  if (kind === 'enum') return findEnumValue(text, enumValues(schema));
  if (kind === 'boolean') return findBoolean(text, name);
  return undefined;
}

const enumValues = (schema: Schema): Array<string | number> =>
  Array.isArray(schema.enum) ? schema.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number') : [];

/** A required choice no text names: the schema's default, else the only value there is; never a guess among several. */
function unnamedChoice(kind: FieldKind, schema: Schema): unknown {
  const values = enumValues(schema);
  if (kind === 'enum') return values.includes(schema.default as string | number) ? schema.default : values.length === 1 ? values[0] : undefined;
  return kind === 'boolean' && typeof schema.default === 'boolean' ? schema.default : undefined;
}

/** A short answer that is only an hour: "8", "8.30", "20:00" is read as a clock elsewhere. */
const BARE_HOUR = /^\s*\d{1,2}(?:[.h]\d{2})?\s*[.!]?\s*$/;

/** The result of filling a tool's arguments: the values found and the required fields that were not. */
export type FilledArguments = { args: Record<string, unknown>; missing: string[] };

/**
 * Fills every property it can from the texts, newest first: an answer to a question wins over the message it answers,
 * the rest is carried over from it. Optional fields are set only when named. `now` (the clock, in the server's zone)
 * reads "tomorrow"; without it only dates with a year are read.
 */
export function fillArguments(parameters: Record<string, unknown>, texts: string[], { now }: { now?: Date | undefined } = {}): FilledArguments {
  const properties = Object.entries((parameters.properties ?? {}) as Record<string, Schema | undefined>).map(([name, schema = {}]) => ({ name, schema, kind: fieldKind(name, schema) }));
  const required = Array.isArray(parameters.required) ? (parameters.required as string[]) : [];
  // "8" in answer to "What time would you like?" is the hour, not a party of eight.
  const bareHour = texts.length > 1 && BARE_HOUR.test(texts[0] ?? '') && properties.some((p) => p.kind === 'time' || p.kind === 'datetime');
  if (bareHour && !texts.some((t) => findWhen(t, now).time)) texts = [`at ${(texts[0] ?? '').trim()}`, ...texts.slice(1)];
  const whens = texts.map((t) => findWhen(t, now));
  // A date-time takes the date and the time each from the newest text that gives it ("at 7pm", then "tomorrow").
  const [date, time] = [whens.find((w) => w.date)?.date, whens.find((w) => w.time)?.time];
  // RFC 3339 first, then the local spellings a `pattern` may want instead.
  const dateTimes = date && time && [`${date}T${withOffset(date, time)}`, `${date}T${hhmm(time)}:00`, `${date}T${hhmm(time)}`];
  const [args, missing]: [Record<string, unknown>, string[]] = [{}, []];
  for (const { name, schema, kind } of properties) {
    const isRequired = required.includes(name);
    // An optional free text would only echo the visitor, an optional number be a guess ("refund order 1234" states no amount).
    if (!isRequired && (kind === 'query' || kind === 'number')) continue;
    const named = kind === 'datetime' ? dateTimes && choose(dateTimes, schema.pattern) : texts.map((t, i) => fillOne(name, kind, schema, t, whens[i] ?? { rest: t }, now)).find((v) => v !== undefined);
    // A choice any text names wins over its default ("no gift wrap" earlier, "1234" now); an optional one's default is the tool's to apply.
    const value = named ?? (isRequired ? unnamedChoice(kind, schema) : undefined);
    if (value !== undefined) args[name] = value;
    else if (isRequired) missing.push(name);
  }
  return { args, missing };
}
