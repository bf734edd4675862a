import { html, nothing, type TemplateResult } from 'lit';
import type { Attachment } from '@agent-chat/shared';
import type { UiStrings } from '../i18n/en.ts';
import { isImage, type DraftFile } from '../state/attachments.ts';
import { closeIcon, fileIcon } from './icons.ts';

/*
 * File names come from visitors and are untrusted: they are only ever rendered as text (Lit
 * escapes interpolations) or as attribute values, never as HTML.
 */

/** What the chips of chosen files can do. */
export interface DraftActions {
  onRemove(key: string): void;
  onRetry(key: string): void;
}

function draftChip(d: DraftFile, actions: DraftActions, t: UiStrings): TemplateResult {
  const failed = d.status === 'failed';
  return html`<li part="attachment-chip" class="chip" data-status=${d.status}>
    ${d.previewUrl ? html`<img class="chip__thumb" src=${d.previewUrl} alt="" />` : html`<span class="chip__icon">${fileIcon}</span>`}
    <span class="chip__body">
      <span class="chip__name" title=${d.name}>${d.name}</span>
      <span class="chip__meta">${d.status === 'uploading' ? t.uploadingSize(t.fileSize(d.size)) : t.fileSize(d.size)}</span>
      ${d.status === 'uploading'
        ? html`<progress part="upload-progress" class="chip__progress" max=${Math.max(d.size, 1)} .value=${d.loaded} aria-label=${t.uploadingFile(d.name)}></progress>`
        : nothing}
      ${failed
        ? html`<span class="chip__error" role="alert">${d.error}
            <button part="upload-retry-button" type="button" class="link-button" @click=${() => actions.onRetry(d.key)}>${t.retry}</button></span>`
        : nothing}
    </span>
    <button part="remove-attachment-button" type="button" class="chip__remove" aria-label=${t.removeFile(d.name)} title=${t.remove} @click=${() => actions.onRemove(d.key)}>
      ${closeIcon}
    </button>
  </li>`;
}

/** The files chosen for the next message, above the text box, and why others were left out. */
export function draftFiles(
  drafts: readonly DraftFile[],
  notice: readonly string[],
  actions: DraftActions & { onDismissNotice(): void },
  t: UiStrings,
): TemplateResult | typeof nothing {
  if (!drafts.length && !notice.length) return nothing;
  return html`<div class="drafts">
    ${notice.length
      ? html`<div part="attach-notice" class="attach-notice" role="alert">
          <span>${notice.map((line) => html`<span>${line}</span> `)}</span>
          <button type="button" class="chip__remove" aria-label=${t.dismiss} @click=${actions.onDismissNotice}>${closeIcon}</button>
        </div>`
      : nothing}
    ${drafts.length ? html`<ul class="chips" aria-label=${t.attachedFiles}>${drafts.map((d) => draftChip(d, actions, t))}</ul>` : nothing}
  </div>`;
}

/** What the attachments of sent messages can do. */
export interface AttachmentActions {
  /** A sent image's blob URL, once fetched. */
  imageUrl(attachment: Attachment): string | undefined;
  onOpenImage(attachment: Attachment): void;
  onDownload(attachment: Attachment): void;
}

/** The attachments of a sent message: images as thumbnails that open full size, other files as chips that download. */
export function sentAttachments(attachments: readonly Attachment[], actions: AttachmentActions | undefined, t: UiStrings): TemplateResult | typeof nothing {
  if (!attachments.length) return nothing;
  return html`<div class="attachments">
    ${attachments.map((a) => {
      const url = actions && isImage(a.mime) ? actions.imageUrl(a) : undefined;
      if (url) {
        return html`<button part="attachment-thumbnail" type="button" class="thumb" aria-label=${t.openFile(a.name)} @click=${() => actions?.onOpenImage(a)}>
          <img src=${url} alt=${a.name} />
        </button>`;
      }
      const body = html`<span class="chip__icon">${fileIcon}</span>
        <span class="chip__body"><span class="chip__name">${a.name}</span><span class="chip__meta">${t.fileSize(a.size)}</span></span>`;
      // A message not yet stored shows its files without actions.
      if (!actions) return html`<span part="attachment" class="chip chip--sent">${body}</span>`;
      return html`<button part="attachment" type="button" class="chip chip--sent" aria-label=${t.downloadFile(a.name, t.fileSize(a.size))} @click=${() => actions.onDownload(a)}>
        ${body}
      </button>`;
    })}
  </div>`;
}

/** Shown over the panel while files are dragged over it. */
export const dropOverlay = (t: UiStrings): TemplateResult => html`<div part="drop-overlay" class="drop-overlay" aria-hidden="true">${t.dropFiles}</div>`;
