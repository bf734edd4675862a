import { html, nothing, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';
import type { Rating } from '../state/view-model.ts';
import { thumbDownIcon, thumbUpIcon } from './icons.ts';

/** What {@link feedbackBar} needs for one answer. */
export interface FeedbackOptions {
  itemId: string;
  rating: Rating | undefined;
  /** The comment box of this answer is open (after thumbs down). */
  commenting: boolean;
  t: UiStrings;
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
  return html`<div part="feedback" class="feedback" role="group" aria-label=${o.t.rateAnswer}>
    ${button('up', o.t.helpful, thumbUpIcon)}${button('down', o.t.notHelpful, thumbDownIcon)}
    <span role="status">${o.rating?.saved && !o.commenting ? o.t.feedbackThanks : nothing}</span>
    ${o.commenting
      ? html`<form part="feedback-comment" @submit=${submit} @keydown=${onKeydown}>
          <label>${o.t.whatWentWrong}<textarea name="comment" class="input" rows="2" maxlength="4000"></textarea></label>
          <button part="feedback-send-button" class="button" type="submit" ?disabled=${o.disabled}>${o.t.send}</button>
          <button part="feedback-skip-button" class="button" type="button" @click=${o.onCloseComment}>${o.t.skip}</button>
        </form>`
      : nothing}
  </div>`;
}
