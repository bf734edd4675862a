/**
 * Reads a tool's output for the offline model's reply: did it work, was it denied, and what
 * are its key facts as short markdown bullets. Tool output is untrusted text: it is parsed,
 * trimmed and flattened to single lines, never executed or echoed at length.
 */

/** What a tool call came back with. */
export type Outcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'denied'; detail: string }
  | { kind: 'failed'; detail: string };

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Text cut to at most `max` characters at a word boundary, never inside a word. */
export function wholeWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 3 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}

/** One line, at most `max` characters, cut between words. */
export function oneLine(text: string, max = 160): string {
  return wholeWords(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * Whole sentences of a text, as many as fit in `max` characters (at least the first one, cut
 * between words if it alone is longer): a quote that ends mid-sentence or mid-word misleads.
 */
export function sentences(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! or ? before a space ("$5.95" goes on); one the source already cut ("…") is dropped.
  const all = flat.split(/(?<=[.!?]["”’)]?)\s+/);
  const complete = all.filter((x, i) => x && (!x.endsWith('…') || i === 0));
  let out = '';
  for (const sentence of complete) {
    if (out && out.length + sentence.length + 1 > max) break;
    out = out ? `${out} ${sentence}` : sentence;
  }
  return out.endsWith('…') || out.length > max ? wholeWords(out.replace(/…$/, ''), max) : out;
}

/**
 * Classifies an output from its fields, never from its prose: denied when `status` is
 * "denied" (how the run loop reports a call the visitor refused) or `approved: false`; failed
 * when `status` is "failed", or it has an `error` field, or `ok: false` / `success: false`.
 */
export function classifyOutput(output: string): Outcome {
  const value = parse(output);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'ok', value };
  const record = value as Record<string, unknown>;
  const error = record.error;
  const errorText = typeof error === 'string' ? error : error && typeof error === 'object' ? String((error as { message?: unknown }).message ?? '') : '';
  const detail = oneLine(errorText || (typeof record.message === 'string' ? record.message : ''));
  if (record.status === 'denied' || record.approved === false) return { kind: 'denied', detail };
  if (record.status === 'failed' || error || record.ok === false || record.success === false) {
    // A connector's failure names its tool first ("The reserve_item tool reported an error: …"): the tool's own words are the detail.
    return { kind: 'failed', detail: detail.replace(/^the \S+ tool reported an error:\s*/i, '') };
  }
  return { kind: 'ok', value };
}

const MONEY_KEY = /amount|total|price|cost|balance|fee|refund|charge|paid|subtotal/i;
const UNIT_SUFFIX: Record<string, string> = { c: ' (°C)', f: ' (°F)', pct: ' (%)', percent: ' (%)', kmh: ' (km/h)', mph: ' (mph)', mm: ' (mm)' };

/** `created_at` → "Created at", `temperature_c` → "Temperature (°C)", `orderId` → "Order ID". */
export function label(key: string): string {
  const parts = key.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-\s]+/).filter(Boolean);
  const last = parts.at(-1) ?? '';
  const unit = parts.length > 1 && UNIT_SUFFIX[last] ? UNIT_SUFFIX[last] : '';
  const words = (unit ? parts.slice(0, -1) : parts).map((p) => (p === 'id' ? 'ID' : p));
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${unit}`;
}

function money(value: number, currency: unknown): string {
  const code = typeof currency === 'string' ? currency.toUpperCase() : 'USD';
  return code === 'USD' ? `$${value.toFixed(2)}` : `${value.toFixed(2)} ${code}`;
}

/** A scalar for a sentence: money for amount-like keys, yes/no for booleans, one trimmed line for text. */
export function formatValue(key: string, value: unknown, currency?: unknown): string {
  if (typeof value === 'number') return MONEY_KEY.test(key) && !/count|qty|quantity|id$/i.test(key) ? money(value, currency) : String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') {
    // ISO timestamps read better as "2026-11-02 10:00".
    const iso = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(value);
    return iso ? (iso[2] === '00:00' ? `${iso[1]}` : `${iso[1]} ${iso[2]}`) : oneLine(value, 120);
  }
  return oneLine(JSON.stringify(value), 120);
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The scalar fields of a record worth a line (not its currency, which goes with the amounts). */
function scalarEntries(record: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(record).filter(([key, v]) => isScalar(v) && key !== 'currency');
}

/** A name and its figure, `{ warehouse: "Portland, OR", available: 4 }`: read as "Portland, OR: 4". */
function isPair(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 2 && typeof entries[0]?.[1] === 'string' && (typeof entries[1]?.[1] === 'number' || typeof entries[1]?.[1] === 'boolean');
}

/** An object on one line: "59.00 · 2026-11-02 · captured", or "Portland, OR: 4" for a pair. */
function inline(value: unknown, currency?: unknown): string {
  if (isScalar(value)) return formatValue('', value);
  if (Array.isArray(value)) return oneLine(value.map((v) => inline(v, currency)).join(', '), 160);
  const record = value as Record<string, unknown>;
  const cur = record.currency ?? currency;
  if (isPair(record)) {
    const [[, name], [key, figure]] = Object.entries(record) as [[string, unknown], [string, unknown]];
    return oneLine(`${formatValue('', name)}: ${formatValue(key, figure, cur)}`, 160);
  }
  const parts = scalarEntries(record)
    .slice(0, 5)
    .map(([key, v]) => formatValue(key, v, cur));
  return oneLine(parts.join(' · '), 160);
}

/** Key facts as markdown bullets: up to 8 fields, lists shown as a count plus their first items. */
export function factLines(value: unknown, skipKeys: ReadonlySet<string> = new Set()): string[] {
  if (isScalar(value)) return typeof value === 'string' && value.trim() ? [`> ${sentences(value, 400)}`] : [];
  if (Array.isArray(value)) {
    const lines = value.slice(0, 5).map((item) => `- ${itemTitle(item)}`);
    if (value.length > 5) lines.push(`- …and ${value.length - 5} more`);
    return lines;
  }
  const record = value as Record<string, unknown>;
  const lines: string[] = [];
  for (const [key, v] of Object.entries(record)) {
    if (skipKeys.has(key) || key === 'currency' || lines.length >= 8) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) lines.push(`- **${label(key)}:** none`);
      else if (v.every(isScalar)) lines.push(`- **${label(key)}:** ${oneLine(v.map((x) => formatValue(key, x)).join(', '))}`);
      else if (v.every(isPair)) lines.push(`- **${label(key)}:** ${oneLine(v.map((x) => inline(x, record.currency)).join(' · '), 240)}`);
      else {
        lines.push(`- **${label(key)}:** ${v.length}`);
        for (const item of v.slice(0, 5)) lines.push(`  - ${inline(item, record.currency)}`);
        if (v.length > 5) lines.push(`  - …and ${v.length - 5} more`);
      }
    } else if (v && typeof v === 'object') {
      lines.push(`- **${label(key)}:** ${inline(v, record.currency)}`);
    } else {
      lines.push(`- **${label(key)}:** ${formatValue(key, v, record.currency)}`);
    }
  }
  return lines;
}

/**
 * The data of a result that carries data and words about it, `{ data, text }` (an MCP tool that
 * returned structured content and a prose summary): the data is what gets put in words.
 */
export function resultData(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const { data, text } = value as { data?: unknown; text?: unknown };
  return keys.length === 2 && typeof text === 'string' && data !== undefined ? data : value;
}

/** The title of a record: its `title`, `name` or `heading` text. */
export function titleOf(record: Record<string, unknown>): { key: string; title: string } | undefined {
  for (const key of ['title', 'name', 'heading']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return { key, title: oneLine(value, 80) };
  }
  return undefined;
}

/** An id nobody but the system needs: `id`, `*_id`, `*Id`, a SKU. */
function isInternalId(key: string): boolean {
  return key === 'id' || /_id$|[a-z]Id$/.test(key) || /^sku$|_sku$/i.test(key);
}

/** A value that is a system's own reference (`ch_1234_a`, a UUID), not a number a person reads out. */
function isInternalValue(value: unknown): boolean {
  return typeof value === 'string' && (/^[a-z]{1,6}_[A-Za-z0-9]*\d[A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value));
}

/** Where the data came from: for the operator, not the visitor. */
const PROVENANCE = /^(?:source|sources|provenance|origin|data_source)$/i;

/** What to leave out of a result before it is put in words. */
export interface TidyOptions {
  /** Values the call was made with ("Alpine 2 tent"): the visitor knows them, an echo adds nothing. */
  echo: ReadonlySet<string | number>;
  /** Leave out internal ids (a lookup's product SKU or charge ids); an action's confirmation number stays. */
  hideIds: boolean;
}

/**
 * The result without its noise: `found: true` (the answer shows it was found), echoes of the
 * call's own arguments and, when asked, internal ids, at every level.
 */
export function tidyOutput(value: unknown, options: TidyOptions, depth = 0): unknown {
  if (depth > 6 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => tidyOutput(item, options, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if ((key === 'found' && v === true) || PROVENANCE.test(key) || isInternalValue(v)) continue;
    if ((typeof v === 'string' || typeof v === 'number') && options.echo.has(v)) continue;
    if (options.hideIds && isInternalId(key)) continue;
    out[key] = tidyOutput(v, options, depth + 1);
  }
  return out;
}

/** The one list a result carries when nothing else is left in it (`{ products: [...] }`). */
export function soleList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!value || typeof value !== 'object') return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 1 && Array.isArray(entries[0]?.[1]) ? (entries[0]?.[1] as unknown[]) : undefined;
}

/**
 * A record in words: its title in bold on a line of its own, then its facts as bullets.
 * `**Alpine 2 Tent**` / `- **Price:** $289.00` / `- **Warehouses:** Portland, OR: 4 · Denver, CO: 2`.
 */
export function describeRecord(record: Record<string, unknown>): string[] {
  const title = titleOf(record);
  const facts = factLines(record, new Set(title ? [title.key] : []));
  return title ? [`**${title.title}**`, ...facts] : facts;
}

/** A list entry with its main facts labelled: "**Alpine 4 Tent**: Price $419.00 · Available 1". */
export function labelledItem(item: unknown): string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return `- ${inline(item)}`;
  const record = item as Record<string, unknown>;
  const title = titleOf(record);
  const facts = scalarEntries(record)
    .filter(([key]) => key !== title?.key)
    .slice(0, 4)
    .map(([key, v]) => `${label(key)} ${formatValue(key, v, record.currency)}`);
  const text = oneLine(facts.join(' · '), 200);
  return title ? `- **${title.title}**${text ? `: ${text}` : ''}` : `- ${text}`;
}

/** A search hit or list entry: bold title (when there is one) and a short snippet. */
function itemTitle(item: unknown): string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return inline(item);
  const record = item as Record<string, unknown>;
  const title = record.title ?? record.name ?? record.heading;
  const body = record.snippet ?? record.summary ?? record.excerpt ?? record.description ?? record.text ?? record.content;
  if (typeof title === 'string') return typeof body === 'string' ? `**${oneLine(title, 80)}**: ${sentences(body)}` : `**${oneLine(title, 80)}**`;
  return inline(item);
}

/** The list a search-like output carries: the output itself, or its results/items/articles field. */
export function resultList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['results', 'items', 'articles', 'documents', 'docs', 'matches', 'hits']) {
      if (Array.isArray(record[key])) return record[key] as unknown[];
    }
  }
  return undefined;
}

/** What a result says about itself in words (`note`, `summary`, `issues`, `warnings`): said first, before its facts. */
export function leadNote(value: unknown): { key: string; text: string } | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^(?:note|notes|summary|issues?|warnings?|alerts?)$/i.test(key)) continue;
    const text = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' ');
    if (text) return { key, text: sentences(text, 300) };
  }
  return undefined;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * What an action was done with, read back from its arguments: "for 2 on 24 December 2026 at
 * 19:30" (a count, a day, a time).
 */
export function actionDetails(args: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    const day = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    if (day) parts.push(`on ${Number(day[3])} ${MONTHS[Number(day[2]) - 1] ?? day[2]} ${day[1]}`);
    else if (typeof value === 'string' && /^\d{2}:\d{2}$/.test(value)) parts.push(`at ${value}`);
    else if (typeof value === 'number' && !MONEY_KEY.test(key) && !/id$|quantity|qty/i.test(key)) parts.push(`for ${value}`);
  }
  // The count first: "a table for 2 on … at …".
  parts.sort((a, b) => Number(!a.startsWith('for ')) - Number(!b.startsWith('for ')));
  return parts.join(' ');
}
