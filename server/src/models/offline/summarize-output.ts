/**
 * Reads a tool's output for the offline model's reply: did it work, was it denied, and what are
 * its key facts as short markdown bullets. Tool output is untrusted text: it is parsed, trimmed
 * and flattened to single lines, never executed or echoed at length.
 */

/** What a tool call came back with. */
export type Outcome = { kind: 'ok'; value: unknown } | { kind: 'denied' | 'failed'; detail: string };
type Fields = Record<string, unknown>;

/** JSON text parsed, or `fallback` when it is not JSON. */
export function parseJson(text: string, fallback: unknown = text): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

export const isRecord = (value: unknown): value is Fields => !!value && typeof value === 'object' && !Array.isArray(value);
const isScalar = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Text cut to at most `max` characters at a word boundary, never inside a word. */
export function wholeWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 3 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}

/** "a, b and c" and "a, b or c", for the model's English sentences. */
export const [AND_LIST, OR_LIST] = (['conjunction', 'disjunction'] as const).map((type) => new Intl.ListFormat('en-GB', { type }));

/** One line, at most `max` characters, cut between words. */
export function oneLine(text: string, max = 160): string {
  return wholeWords(text.replace(/\s+/g, ' ').trim(), max);
}

/** Whole sentences that fit in `max` characters (at least the first, cut between words): a quote cut mid-sentence misleads. */
function sentences(text: string, max = 240): string {
  // A sentence ends at . ! or ? before a space ("$5.95" goes on); one the source already cut ("…") is dropped.
  const all = text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?]["”’)]?)\s+/);
  let out = '';
  for (const sentence of all.filter((x, i) => x && (!x.endsWith('…') || i === 0))) {
    if (out && out.length + sentence.length + 1 > max) break;
    out = out ? `${out} ${sentence}` : sentence;
  }
  return out.endsWith('…') || out.length > max ? wholeWords(out.replace(/…$/, ''), max) : out;
}

/**
 * Classifies an output from its fields, never from its prose: denied when `status` is "denied"
 * (a call the visitor refused) or `approved: false`; failed when `status` is "failed", or it has
 * an `error`, or `ok: false` / `success: false`.
 */
export function classifyOutput(output: string): Outcome {
  const value = parseJson(output);
  if (!isRecord(value)) return { kind: 'ok', value };
  const { error, message } = value;
  const errorText = typeof error === 'string' ? error : isRecord(error) ? String(error.message ?? '') : '';
  const detail = oneLine(errorText || (typeof message === 'string' ? message : ''));
  if (value.status === 'denied' || value.approved === false) return { kind: 'denied', detail };
  if (value.status === 'failed' || error || value.ok === false || value.success === false) {
    // A connector's failure names its tool first ("The reserve_item tool reported an error: …"): the tool's own words are the detail.
    return { kind: 'failed', detail: detail.replace(/^the \S+ tool reported an error:\s*/i, '') };
  }
  return { kind: 'ok', value };
}

const MONEY_KEY = /amount|total|price|cost|balance|fee|refund|charge|paid|subtotal/i;
const UNITS: Record<string, string> = { c: '°C', f: '°F', pct: '%', percent: '%', kmh: 'km/h', mph: 'mph', mm: 'mm' };

/** `created_at` → "Created at", `temperature_c` → "Temperature (°C)", `orderId` → "Order ID". */
export function label(key: string): string {
  const parts = key.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-\s]+/).filter(Boolean);
  const unit = parts.length > 1 ? UNITS[parts.at(-1) ?? ''] : undefined;
  const text = (unit ? parts.slice(0, -1) : parts).map((p) => (p === 'id' ? 'ID' : p)).join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${unit ? ` (${unit})` : ''}`;
}

/** A parsed JSON scalar for a sentence: money for amount-like keys, yes/no for booleans, — for null, "2026-11-02 10:00" for a timestamp. */
function formatValue(key: string, value: unknown, currency?: unknown): string {
  if (typeof value === 'number') {
    if (!MONEY_KEY.test(key) || /count|qty|quantity|id$/i.test(key)) return String(value);
    const code = typeof currency === 'string' ? currency.toUpperCase() : 'USD';
    return code === 'USD' ? `$${value.toFixed(2)}` : `${value.toFixed(2)} ${code}`;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'string') return '—';
  const iso = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  return iso ? (iso[2] === '00:00' ? iso[1] : `${iso[1]} ${iso[2]}`) : oneLine(value, 120);
}

/** The scalar fields of a record worth a line (not its currency, which goes with the amounts). */
const scalarEntries = (record: Fields): Array<[string, unknown]> => Object.entries(record).filter(([key, v]) => isScalar(v) && key !== 'currency');

/** A name and its figure, `{ warehouse: "Portland, OR", available: 4 }`: read as "Portland, OR: 4". */
function isPair(value: unknown): boolean {
  const entries = isRecord(value) ? Object.values(value) : [];
  return entries.length === 2 && typeof entries[0] === 'string' && ['number', 'boolean'].includes(typeof entries[1]);
}

/** An object on one line: "59.00 · 2026-11-02 · captured", or "Portland, OR: 4" for a pair. */
function inline(value: unknown, currency?: unknown): string {
  if (isScalar(value)) return formatValue('', value);
  if (Array.isArray(value)) return oneLine(value.map((v) => inline(v, currency)).join(', '));
  const record = value as Fields;
  const cur = record.currency ?? currency;
  if (isPair(record)) {
    const [[, name], [key, figure]] = Object.entries(record) as [[string, unknown], [string, unknown]];
    return oneLine(`${formatValue('', name)}: ${formatValue(key, figure, cur)}`);
  }
  return oneLine(scalarEntries(record).slice(0, 5).map(([key, v]) => formatValue(key, v, cur)).join(' · '));
}

/** The title of a record: its `title`, `name` or `heading` text. */
export function titleOf(record: Fields): { key: string; title: string } | undefined {
  const key = ['title', 'name', 'heading'].find((k) => typeof record[k] === 'string' && (record[k] as string).trim());
  return key ? { key, title: oneLine(record[key] as string, 80) } : undefined;
}

/** Up to 5 entries of a list as bullets, and how many more there are. */
export function bullets(items: unknown[], line: (item: unknown) => string, indent = ''): string[] {
  const lines = items.slice(0, 5).map((item) => `${indent}- ${line(item)}`);
  return items.length > 5 ? [...lines, `${indent}- …and ${items.length - 5} more`] : lines;
}

/** A search hit or list entry: bold title (when there is one) and a short snippet. */
function itemTitle(item: unknown): string {
  const title = isRecord(item) ? titleOf(item)?.title : undefined;
  if (!isRecord(item) || !title) return inline(item);
  const body = ['snippet', 'summary', 'excerpt', 'description', 'text', 'content'].map((k) => item[k]).find((v) => v != null);
  return typeof body === 'string' ? `**${title}**: ${sentences(body)}` : `**${title}**`;
}

/** Key facts as markdown bullets: up to 8 fields, lists shown as a count plus their first items. */
export function factLines(value: unknown, skipKeys: ReadonlySet<string> = new Set()): string[] {
  if (isScalar(value)) return typeof value === 'string' && value.trim() ? [`> ${sentences(value, 400)}`] : [];
  if (Array.isArray(value)) return bullets(value, itemTitle);
  const record = value as Fields;
  const lines: string[] = [];
  for (const [key, v] of Object.entries(record)) {
    if (skipKeys.has(key) || key === 'currency' || lines.length >= 8) continue;
    const name = `- **${label(key)}:**`;
    if (!Array.isArray(v)) lines.push(`${name} ${isRecord(v) ? inline(v, record.currency) : formatValue(key, v, record.currency)}`);
    else if (v.length === 0) lines.push(`${name} none`);
    else if (v.every(isScalar)) lines.push(`${name} ${oneLine(v.map((x) => formatValue(key, x)).join(', '))}`);
    else if (v.every(isPair)) lines.push(`${name} ${oneLine(v.map((x) => inline(x, record.currency)).join(' · '), 240)}`);
    else lines.push(`${name} ${v.length}`, ...bullets(v, (item) => inline(item, record.currency), '  '));
  }
  return lines;
}

/** The data of a result that carries data and words about it, `{ data, text }` (an MCP tool's structured content and summary). */
export function resultData(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.keys(value).length === 2 && typeof value.text === 'string' && value.data !== undefined ? value.data : value;
}

/** An id nobody but the system needs: `id`, `*_id`, `*Id`, a SKU; or a value that is a system's own reference (`ch_1234_a`, a UUID). */
const isInternalId = (key: string): boolean => key === 'id' || /_id$|[a-z]Id$/.test(key) || /^sku$|_sku$/i.test(key);
const isInternalValue = (value: unknown): boolean =>
  typeof value === 'string' && (/^[a-z]{1,6}_[A-Za-z0-9]*\d[A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value));
/** Where the data came from: for the operator, not the visitor. */
const PROVENANCE = /^(?:source|sources|provenance|origin|data_source)$/i;

/**
 * The result without its noise, at every level: `found: true` (the answer shows it), where the
 * data came from, echoes of the call's own values (`echo`) and, when `hideIds`, internal ids
 * (a lookup's; an action's confirmation number stays).
 */
export function tidyOutput(value: unknown, options: { echo: ReadonlySet<string>; hideIds: boolean }, depth = 0): unknown {
  if (depth > 6 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => tidyOutput(item, options, depth + 1));
  const out: Fields = {};
  for (const [key, v] of Object.entries(value as Fields)) {
    if ((key === 'found' && v === true) || PROVENANCE.test(key) || isInternalValue(v) || (options.hideIds && isInternalId(key))) continue;
    if (!(typeof v === 'string' && options.echo.has(v))) out[key] = tidyOutput(v, options, depth + 1);
  }
  return out;
}

/**
 * The list a result carries: the result itself, the field named like a search's (results, items…)
 * or, with `sole`, the one field left in it (`{ products: [...] }`).
 */
export function resultList(value: unknown, sole = false): unknown[] | undefined {
  if (!isRecord(value)) return Array.isArray(value) ? value : undefined;
  const keys = sole ? (Object.keys(value).length === 1 ? Object.keys(value) : []) : ['results', 'items', 'articles', 'documents', 'docs', 'matches', 'hits'];
  const key = keys.find((k) => Array.isArray(value[k]));
  return key ? (value[key] as unknown[]) : undefined;
}

/** A list entry with its main facts labelled: "**Alpine 4 Tent**: Price $419.00 · Available 1". */
export function labelledItem(item: unknown): string {
  if (!isRecord(item)) return inline(item);
  const title = titleOf(item);
  const facts = scalarEntries(item).filter(([key]) => key !== title?.key).slice(0, 4);
  const text = oneLine(facts.map(([key, v]) => `${label(key)} ${formatValue(key, v, item.currency)}`).join(' · '), 200);
  return title ? `**${title.title}**${text ? `: ${text}` : ''}` : text;
}

/** What a result says about itself in words (`note`, `summary`, `issues`, `warnings`): said first, before its facts. */
export function leadNote(value: unknown): { key: string; text: string } | undefined {
  for (const [key, v] of isRecord(value) ? Object.entries(value) : []) {
    if (!/^(?:note|notes|summary|issues?|warnings?|alerts?)$/i.test(key)) continue;
    const text = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' ');
    if (text) return { key, text: sentences(text, 300) };
  }
  return undefined;
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** What an action was done with, read back from its arguments: "for 2 on 24 December 2026 at 19:30" (a count, a day, a time). */
export function actionDetails(args: Fields): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    const day = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
    if (day && !Number.isNaN(day.getTime())) parts.push(`on ${LONG_DATE.format(day)}`);
    else if (typeof value === 'string' && /^\d{2}:\d{2}$/.test(value)) parts.push(`at ${value}`);
    // The count first: "a table for 2 on … at …".
    else if (typeof value === 'number' && !MONEY_KEY.test(key) && !/id$|quantity|qty/i.test(key)) parts.unshift(`for ${value}`);
  }
  return parts.join(' ');
}
