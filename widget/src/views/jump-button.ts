import { html, type TemplateResult } from 'lit';
import { arrowDownIcon } from './icons.ts';
import type { UiStrings } from '../i18n/en.ts';

/**
 * "Jump to latest": shown over the bottom of the conversation while the visitor has scrolled up,
 * away from the newest messages. Outside the `role="log"` live region, so it is never announced
 * as part of the conversation.
 */
export function jumpButton(onJump: () => void, t: UiStrings): TemplateResult {
  return html`<button part="jump-button" class="jump" type="button" aria-label=${t.jumpToLatestLabel} @click=${onJump}>
    ${arrowDownIcon}<span>${t.jumpToLatest}</span>
  </button>`;
}
