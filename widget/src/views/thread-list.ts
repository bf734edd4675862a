import { html, nothing, type TemplateResult } from 'lit';
import type { ThreadSummary } from '@agent-chat/shared';
import type { ThreadList } from '../state/view-model.ts';
import { newIcon, trashIcon } from './icons.ts';

const TEXT = {
  heading: 'Your conversations',
  back: 'Back to the conversation',
  newChat: 'New chat',
  loading: 'Loading…',
  empty: 'No earlier conversations yet.',
  untitled: 'Conversation',
  deleteLabel: (title: string) => `Delete conversation: ${title}`,
  confirm: 'Delete this conversation? This can’t be undone.',
  confirmButton: 'Delete',
  cancel: 'Cancel',
} as const;

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "now". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Number.isNaN(seconds)) return '';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, 'second');
}

/** Options for {@link threadListView}. */
export interface ThreadListOptions {
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
    const title = t.title || TEXT.untitled;
    const current = t.id === o.currentId;
    return html`<li data-thread=${t.id}>
      ${o.confirming === t.id
        ? html`<div part="confirm" class="confirm" role="group" aria-label=${TEXT.confirm}>
            <span>${TEXT.confirm}</span>
            <button part="confirm-button" class="button button--danger" type="button" @click=${() => o.onDeleteConfirm(t.id)}>${TEXT.confirmButton}</button>
            <button part="cancel-button" class="button" type="button" @click=${o.onDeleteCancel}>${TEXT.cancel}</button>
          </div>`
        : html`<button part="thread" class="threads__open" type="button" ?disabled=${!o.enabled} aria-current=${current ? 'true' : 'false'}
              @click=${() => o.onOpen(t.id)}>
              <span>${title}</span>
              <time datetime=${t.updatedAt}>${relativeTime(t.updatedAt)}</time>
            </button>
            <button part="thread-delete-button" class="icon-button" type="button" ?disabled=${!o.enabled}
              title=${TEXT.deleteLabel(title)} aria-label=${TEXT.deleteLabel(title)} @click=${() => o.onDeleteStart(t.id)}>${trashIcon}</button>`}
    </li>`;
  };
  return html`<section part="thread-list" class="threads" aria-labelledby="threads-heading" @keydown=${onKeydown}>
    <div class="threads__bar">
      <button part="back-button" class="link-button" type="button" @click=${o.onBack}>${TEXT.back}</button>
      <button part="thread-new-button" class="button" type="button" ?disabled=${!o.enabled} @click=${o.onNew}>${newIcon} ${TEXT.newChat}</button>
    </div>
    <h3 id="threads-heading" tabindex="-1">${TEXT.heading}</h3>
    ${o.list?.loading && threads.length === 0
      ? html`<p role="status">${TEXT.loading}</p>`
      : threads.length === 0
        ? html`<p>${TEXT.empty}</p>`
        : html`<ul role="list">${threads.map(row)}</ul>`}
  </section>`;
}
