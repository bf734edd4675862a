import { html, nothing, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';
import type { DraftFile } from '../state/attachments.ts';
import { draftFiles, type DraftActions } from './attachments.ts';
import { paperclipIcon, sendIcon } from './icons.ts';

/** The attach button and the chosen files, when the server takes files. */
export interface ComposerAttach extends DraftActions {
  /** The file input's `accept` (from `ready.limits.acceptedTypes`). */
  accept: string;
  drafts: readonly DraftFile[];
  notice: readonly string[];
  onFiles(files: File[]): void;
  onDismissNotice(): void;
}

/** Options for {@link composer}. */
export interface ComposerOptions {
  /** Sending is possible (connected, thread open, no run active). */
  canSend: boolean;
  /** The message can go now: text or files, and every chosen file uploaded. */
  ready: boolean;
  /** A run is active: show Stop instead of Send. */
  running: boolean;
  stopping: boolean;
  placeholder: string;
  t: UiStrings;
  maxLength?: number | undefined;
  /** Absent when the server takes no files. */
  attach?: ComposerAttach | undefined;
  onInput(event: InputEvent): void;
  onSubmit(): void;
  onStop(): void;
}

/**
 * The text box with Send (or Stop while a run is active), and the attach button with the chosen
 * files. Enter sends, Shift+Enter inserts a line break, and Enter that confirms an IME
 * composition is left to the IME. The text box stays editable while disconnected so a draft
 * survives a reconnect; sending is disabled. Pasting files (a screenshot) attaches them.
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
  const attach = o.attach;
  const onPaste = (event: ClipboardEvent) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!attach || files.length === 0) return;
    event.preventDefault();
    attach.onFiles(files);
  };
  const onChosen = (event: Event) => {
    const input = event.target as HTMLInputElement;
    attach?.onFiles([...(input.files ?? [])]);
    input.value = ''; // choosing the same file again fires change again
  };
  const openPicker = (event: Event) => (event.currentTarget as HTMLElement).parentElement?.querySelector<HTMLInputElement>('input[type=file]')?.click();
  return html`<form part="composer" class="composer" @submit=${onSubmit}>
    ${attach ? draftFiles(attach.drafts, attach.notice, attach, o.t) : nothing}
    ${attach
      ? html`<button part="attach-button" class="attach" type="button" aria-label=${o.t.attachFiles} title=${o.t.attachFiles} @click=${openPicker}>
            ${paperclipIcon}
          </button>
          <input type="file" multiple accept=${attach.accept || nothing} hidden tabindex="-1" @change=${onChosen} />`
      : nothing}
    <textarea
      part="input"
      class="input"
      rows="1"
      aria-label=${o.t.message}
      placeholder=${o.placeholder}
      maxlength=${o.maxLength ?? nothing}
      enterkeyhint="send"
      @keydown=${onKeydown}
      @input=${o.onInput}
      @paste=${onPaste}
    ></textarea>
    ${o.running
      ? html`<button part="stop-button" class="stop" type="button" ?disabled=${o.stopping} @click=${o.onStop}>${o.t.stop}</button>`
      : html`<button part="send-button" class="send" type="submit" aria-label=${o.t.send} title=${o.t.send} ?disabled=${!o.ready}>${sendIcon}</button>`}
  </form>`;
}
