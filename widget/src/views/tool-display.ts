import type { ArgDisplay, ToolCallItem } from '@agent-chat/shared';

/*
 * How a tool call reads to the visitor: its title template filled with formatted arguments,
 * argument labels, values in the visitor's number and date formats. Everything here comes from
 * the server (and partly from the model) and is untrusted: the results are plain strings that
 * the views put in text bindings only.
 */

const MAX_INLINE = 160;
const MAX_TITLE = 200;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Own-property lookup, so keys such as `__proto__` or `constructor` never reach the prototype. */
function own<T>(record: unknown, key: string): T | undefined {
  return typeof record === 'object' && record !== null && Object.hasOwn(record, key) ? ((record as Record<string, T>)[key]) : undefined;
}

/** `refund_order` → "Refund order", `getWeather` → "Get weather", `search-docs` → "Search docs". */
export function humanizeName(name: string): string {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words ? `${words.charAt(0).toUpperCase()}${words.slice(1)}` : name;
}

/**
 * A value for display: strings as they are, anything else as JSON (indented by `indent`), cut
 * to `max` characters. The defaults give one short line.
 */
export function formatValue(value: unknown, max = MAX_INLINE, indent?: number): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value, null, indent) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return cut(text, max);
}

/**
 * One argument's value in its declared format, in the visitor's locale (`undefined`: the
 * browser's). A value that does not fit its format (a word where a number was declared, an
 * unknown currency code) is shown as it is rather than hidden.
 */
export function formatArg(value: unknown, arg: Partial<ArgDisplay> | undefined, locale?: string): string {
  const format = own<string>(arg, 'format');
  try {
    if (format === 'currency' || format === 'number') {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isFinite(n)) {
        const currency = own<string>(arg, 'currency');
        return new Intl.NumberFormat(locale, format === 'currency' ? { style: 'currency', currency: currency ?? '' } : {}).format(n);
      }
    } else if (format === 'date' && (typeof value === 'string' || typeof value === 'number')) {
      const date = new Date(value);
      // A bare date ("2026-11-02") is that day everywhere, not the evening before west of UTC.
      const bare = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
      if (!Number.isNaN(date.getTime())) return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(bare ? { timeZone: 'UTC' } : {}) }).format(date);
    }
  } catch {
    // RangeError from Intl (a bad currency code or locale): fall through to the plain value.
  }
  return formatValue(value);
}

/** The display settings of one argument, if the call carries any. */
export function argDisplay(item: ToolCallItem, name: string): Partial<ArgDisplay> | undefined {
  return own<Partial<ArgDisplay>>(own(item.display, 'args'), name);
}

/** The label of an argument: the declared one, else its key made readable (`order_id` → "Order id"). */
export function argLabel(item: ToolCallItem, name: string): string {
  const label = own<unknown>(argDisplay(item, name), 'label');
  return typeof label === 'string' && label ? label : humanizeName(name);
}

/**
 * The call's title: its template with each `{name}` replaced by that argument in its format, or
 * the tool name made readable when there is no template. A missing argument leaves nothing, and
 * a separator it would leave dangling at the end goes too ("Refund order 1234 — " → "Refund order 1234").
 */
export function toolTitle(item: ToolCallItem, locale?: string): string {
  const template = own<unknown>(item.display, 'title');
  if (typeof template === 'string') {
    const text = template
      .replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_whole, name: string) => {
        const value = own<unknown>(item.arguments, name);
        return value === undefined || value === null ? '' : formatArg(value, argDisplay(item, name), locale);
      })
      .replace(/[\s—–:,;·|-]+$/u, '')
      .trim();
    if (text) return cut(text, MAX_TITLE);
  }
  return humanizeName(item.name);
}

/** What a call that found nothing says about it: its output's `message`, if it has one. */
export function noMatchText(item: ToolCallItem): string | undefined {
  const message = own<unknown>(item.output, 'message');
  return typeof message === 'string' && message.trim() ? cut(message.trim(), MAX_INLINE) : undefined;
}
