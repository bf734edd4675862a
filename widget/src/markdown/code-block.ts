import { html, nothing, type TemplateResult } from 'lit';
import type { Tokens } from 'marked';
import type { UiStrings } from '../i18n/en.ts';
import { decodeEntities } from './decode-entities.ts';

/** The copy button's words, in the visitor's language. */
export type CodeLabels = Pick<UiStrings, 'copy' | 'copied' | 'copyCode'>;

/** Copies a code block's text; the button says so briefly. Clipboard access may be refused: then nothing happens. */
async function copy(event: Event, text: string, labels: CodeLabels): Promise<void> {
  const button = event.currentTarget as HTMLButtonElement;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    return;
  }
  button.textContent = labels.copied;
  setTimeout(() => (button.textContent = labels.copy), 1500);
}

/**
 * A fenced or indented code block: a bar with the language (the first word of the info
 * string) and a copy button, above the code as text.
 */
export function renderCodeBlock(token: Tokens.Code, labels: CodeLabels): TemplateResult {
  const lang = decodeEntities(token.lang ?? '').match(/^\S*/)![0];
  const text = token.text;
  return html`<div class="md-code"><div class="md-code-bar"><span class="md-code-lang">${lang}</span><button
        type="button"
        class="md-copy"
        aria-label=${labels.copyCode(lang)}
        @click=${(event: Event) => void copy(event, text, labels)}
      >${labels.copy}</button></div><pre><code class=${lang ? `language-${lang}` : nothing} data-lang=${lang || nothing}>${text}</code></pre></div>`;
}
