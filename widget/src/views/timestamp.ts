import { html, type TemplateResult } from 'lit';

/** Formatters are costly to build: one per locale and shape, kept. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withDate}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, withDate ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' })));
  return f;
}

/** "14:05" today, "3 Mar 2026, 14:05" on another day, in `locale` (the widget's language). */
export function formatTime(date: Date, locale: string, now: Date = new Date()): string {
  return formatter(locale, date.toDateString() !== now.toDateString()).format(date);
}

/**
 * When a message was sent, as `<time datetime>`, shown on hover and when the message or the
 * conversation has keyboard focus (CSS `visibility`, so until then it is neither seen, read
 * aloud, nor part of the message's text).
 */
export function timestamp(createdAt: string | undefined, locale: string): TemplateResult | string {
  const date = createdAt ? new Date(createdAt) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return html`<time part="timestamp" class="msg__time" datetime=${date.toISOString()}>${formatTime(date, locale)}</time>`;
}
