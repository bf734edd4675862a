import { html, nothing, type TemplateResult } from 'lit';
import { sendIcon } from './icons.ts';

/** Options for {@link composer}. */
export interface ComposerOptions {
  /** Sending is possible (connected, thread open, no run active). */
  canSend: boolean;
  /** The text box has non-blank text. */
  hasDraft: boolean;
  /** A run is active: show Stop instead of Send. */
  running: boolean;
  stopping: boolean;
  placeholder: string;
  maxLength?: number | undefined;
  onInput(event: InputEvent): void;
  onSubmit(): void;
  onStop(): void;
}

/**
 * The text box with Send (or Stop while a run is active). Enter sends, Shift+Enter inserts a
 * line break, and Enter that confirms an IME composition is left to the IME. The text box
 * stays editable while disconnected so a draft survives a reconnect; sending is disabled.
 */
export function composer(o: ComposerOptions): TemplateResult {
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (o.canSend && !o.running) o.onSubmit();
  };
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    if (o.canSend && !o.running) o.onSubmit();
  };
  return html`<form part="composer" class="composer" @submit=${onSubmit}>
    <textarea
      part="input"
      class="input"
      rows="1"
      aria-label="Message"
      placeholder=${o.placeholder}
      maxlength=${o.maxLength ?? nothing}
      enterkeyhint="send"
      @keydown=${onKeydown}
      @input=${o.onInput}
    ></textarea>
    ${o.running
      ? html`<button part="stop-button" class="stop" type="button" ?disabled=${o.stopping} @click=${o.onStop}>Stop</button>`
      : html`<button part="send-button" class="send" type="submit" aria-label="Send" title="Send" ?disabled=${!o.canSend || !o.hasDraft}>
          ${sendIcon}
        </button>`}
  </form>`;
}
