import { html, nothing, type TemplateResult } from 'lit';
import type { Rating } from '../state/view-model.ts';
import { thumbDownIcon, thumbUpIcon } from './icons.ts';

const TEXT = {
  group: 'Rate this answer',
  up: 'Helpful',
  down: 'Not helpful',
  saved: 'Thanks for your feedback.',
  commentLabel: 'What went wrong? (optional)',
  send: 'Send',
  skip: 'Skip',
} as const;

/** What {@link feedbackBar} needs for one answer. */
export interface FeedbackOptions {
  itemId: string;
  rating: Rating | undefined;
  /** The comment box of this answer is open (after thumbs down). */
  commenting: boolean;
  disabled: boolean;
  onRate(itemId: string, rating: 'up' | 'down'): void;
  onComment(itemId: string, comment: string): void;
  onCloseComment(): void;
}

/**
 * Thumbs up / down under a finished answer (`aria-pressed` says which one is chosen), an
 * optional comment after thumbs down, and "Thanks" once the server saved the rating.
 */
export function feedbackBar(o: FeedbackOptions): TemplateResult {
  const chosen = o.rating?.rating;
  const button = (rating: 'up' | 'down', label: string, icon: TemplateResult) =>
    html`<button part="feedback-button" class="icon-button" type="button" title=${label} aria-label=${label}
      aria-pressed=${chosen === rating ? 'true' : 'false'} ?disabled=${o.disabled} data-rating=${rating}
      @click=${() => o.onRate(o.itemId, rating)}>${icon}</button>`;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const box = (event.currentTarget as HTMLFormElement).elements.namedItem('comment') as HTMLTextAreaElement;
    o.onComment(o.itemId, box.value);
  };
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    o.onCloseComment();
  };
  return html`<div part="feedback" class="feedback" role="group" aria-label=${TEXT.group}>
    ${button('up', TEXT.up, thumbUpIcon)}${button('down', TEXT.down, thumbDownIcon)}
    <span role="status">${o.rating?.saved && !o.commenting ? TEXT.saved : nothing}</span>
    ${o.commenting
      ? html`<form part="feedback-comment" @submit=${submit} @keydown=${onKeydown}>
          <label>${TEXT.commentLabel}<textarea name="comment" class="input" rows="2" maxlength="4000"></textarea></label>
          <button part="feedback-send-button" class="button" type="submit" ?disabled=${o.disabled}>${TEXT.send}</button>
          <button part="feedback-skip-button" class="button" type="button" @click=${o.onCloseComment}>${TEXT.skip}</button>
        </form>`
      : nothing}
  </div>`;
}
