import { html, nothing, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';

/** The site owner's suggested first messages, under the greeting of an empty conversation; a click sends one. */
export function starters(prompts: readonly string[], disabled: boolean, onPick: (prompt: string) => void, t: UiStrings): TemplateResult | typeof nothing {
  if (prompts.length === 0) return nothing;
  return html`<ul class="starters" aria-label=${t.suggestedQuestions}>
    ${prompts.map(
      (prompt) => html`<li><button part="starter" class="starter" type="button" ?disabled=${disabled} @click=${() => onPick(prompt)}>${prompt}</button></li>`,
    )}
  </ul>`;
}
