import { html, svg, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';

const arrowDown = svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M12 5v14M6 13l6 6 6-6"/></svg>`;

/**
 * "Jump to latest": shown over the bottom of the conversation while the visitor has scrolled up,
 * away from the newest messages. Outside the `role="log"` live region, so it is never announced
 * as part of the conversation.
 */
export function jumpButton(onJump: () => void, t: UiStrings): TemplateResult {
  return html`<button part="jump-button" class="jump" type="button" aria-label=${t.jumpToLatestLabel} @click=${onJump}>
    ${arrowDown}<span>${t.jumpToLatest}</span>
  </button>`;
}
