import { html, nothing, type TemplateResult } from 'lit';
import type { ThreadSummary } from '@agent-chat/shared';
import type { UiStrings } from '../i18n/en.ts';
import type { ThreadList } from '../state/view-model.ts';
import { newIcon, trashIcon } from './icons.ts';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "now", in `locale` (the widget's language). */
export function relativeTime(iso: string, locale: string, now: number = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Number.isNaN(seconds)) return '';
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, 'second');
}

/** Options for {@link threadListView}. */
export interface ThreadListOptions {
  t: UiStrings;
  /** The locale of the widget's language, for "5 minutes ago". */
  lang: string;
  list: ThreadList | null;
  /** Only threads of this workflow are listed (the element answers with it). */
  workflow: string;
  currentId: string | null;
  /** Thread id whose deletion waits for confirmation. */
  confirming: string | null;
  enabled: boolean;
  onOpen(threadId: string): void;
  onNew(): void;
  onDeleteStart(threadId: string): void;
  onDeleteConfirm(threadId: string): void;
  onDeleteCancel(): void;
  onBack(): void;
}

/**
 * The visitor's threads, newest first: open one, delete one (after a confirmation), or start a
 * new chat. A list of buttons, so it reads as a list to a screen reader and Tab moves through
 * it; Escape goes back to the conversation. Titles are the visitor's own text: bound as text.
 */
export function threadListView(o: ThreadListOptions): TemplateResult {
  // A thread with no message has no title: nothing worth going back to, unless it is this one.
  const threads = (o.list?.threads ?? []).filter((t) => t.workflow === o.workflow && (t.title !== '' || t.id === o.currentId));
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (o.confirming) o.onDeleteCancel();
    else o.onBack();
  };
  const row = (t: ThreadSummary) => {
    const title = t.title || o.t.untitledConversation;
    const current = t.id === o.currentId;
    return html`<li data-thread=${t.id}>
      ${o.confirming === t.id
        ? html`<div part="confirm" class="confirm" role="group" aria-label=${o.t.confirmDeleteThis}>
            <span>${o.t.confirmDeleteThis}</span>
            <button part="confirm-button" class="button button--danger" type="button" @click=${() => o.onDeleteConfirm(t.id)}>${o.t.delete}</button>
            <button part="cancel-button" class="button" type="button" @click=${o.onDeleteCancel}>${o.t.cancel}</button>
          </div>`
        : html`<button part="thread" class="threads__open" type="button" ?disabled=${!o.enabled} aria-current=${current ? 'true' : 'false'}
              @click=${() => o.onOpen(t.id)}>
              <span>${title}</span>
              <time datetime=${t.updatedAt}>${relativeTime(t.updatedAt, o.lang)}</time>
            </button>
            <button part="thread-delete-button" class="icon-button" type="button" ?disabled=${!o.enabled}
              title=${o.t.deleteNamed(title)} aria-label=${o.t.deleteNamed(title)} @click=${() => o.onDeleteStart(t.id)}>${trashIcon}</button>`}
    </li>`;
  };
  return html`<section part="thread-list" class="threads" aria-labelledby="threads-heading" @keydown=${onKeydown}>
    <div class="threads__bar">
      <button part="back-button" class="link-button" type="button" @click=${o.onBack}>${o.t.backToConversation}</button>
      <button part="thread-new-button" class="button" type="button" ?disabled=${!o.enabled} @click=${o.onNew}>${newIcon} ${o.t.newChat}</button>
    </div>
    <h3 id="threads-heading" tabindex="-1">${o.t.yourConversations}</h3>
    ${o.list?.loading && threads.length === 0
      ? html`<p role="status">${o.t.loading}</p>`
      : threads.length === 0
        ? html`<p>${o.t.noConversations}</p>`
        : html`<ul role="list">${threads.map(row)}</ul>`}
  </section>`;
}
