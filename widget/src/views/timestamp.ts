import { html, type TemplateResult } from 'lit';

/** Formatters are costly to build; one per shape is enough. */
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "14:05" today, "3 Mar 2026, 14:05" on another day. */
export function formatTime(date: Date, now: Date = new Date()): string {
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateAndTime.format(date);
}

/**
 * When a message was sent, as `<time datetime>`, shown on hover and when the message or the
 * conversation has keyboard focus (CSS `visibility`, so until then it is neither seen, read
 * aloud, nor part of the message's text).
 */
export function timestamp(createdAt: string | undefined): TemplateResult | string {
  const date = createdAt ? new Date(createdAt) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return html`<time part="timestamp" class="msg__time" datetime=${date.toISOString()}>${formatTime(date)}</time>`;
}
