import type { Attachment, ErrorCode } from '@agent-chat/shared';
import { emit } from '../events.ts';
import { checkFiles, fileType, isImage, uploadsEnabled, type DraftFile } from '../state/attachments.ts';
import type { UiStrings } from '../i18n/en.ts';
import type { Action } from '../state/reducer.ts';
import type { ViewModel } from '../state/view-model.ts';
import { httpUrl } from './server-url.ts';
import { fetchUpload, startUpload, type UploadHandle } from './upload-request.ts';

/** What {@link Uploads} needs from the chat controller. */
export interface UploadsHost {
  readonly element: HTMLElement;
  vm(): ViewModel;
  dispatch(action: Action): void;
  /** The server's normalized base URL. */
  server(): string;
  /** The upload token of the current connection (`ready.uploadToken`), if any yet. */
  token(): string | null;
  /** The current token was refused (it expired): get a fresh one; false when that was just tried. */
  renewToken(): boolean;
  /** Re-render (a thumbnail arrived). */
  update(): void;
  /** The texts in the visitor's language, for refusals and upload failures. */
  strings(): UiStrings;
}

/** How long a downloaded file's blob URL lives: long enough for the browser to start saving it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/**
 * The files of the next message and the bytes of sent ones: checks chosen files against
 * `ready.limits`, uploads each at once (progress into the view model), retries, removes (aborting
 * the upload), and fetches sent attachments with the token for thumbnails, full-size views and
 * downloads. It owns every object URL it creates and revokes it when the file goes.
 */
export class Uploads {
  #host: UploadsHost;
  #files = new Map<string, { file: File; handle?: UploadHandle | undefined }>();
  /** Sent images by upload id: a blob URL, or the fetch in flight, or a failure (not retried until a new token). */
  #images = new Map<string, string | Promise<string | undefined> | null>();
  #count = 0;

  constructor(host: UploadsHost) {
    this.#host = host;
  }

  /** The visitor chose, dropped or pasted files. */
  choose(files: readonly File[]): void {
    const { limits, drafts } = this.#host.vm();
    if (!uploadsEnabled(limits) || files.length === 0) return;
    const { accepted, refusals } = checkFiles(files, limits, drafts.length, this.#host.strings());
    const chosen: DraftFile[] = accepted.map((file) => {
      const key = `file-${++this.#count}`;
      const mime = fileType(file);
      this.#files.set(key, { file });
      return { key, name: file.name, size: file.size, mime, status: 'uploading', loaded: 0, previewUrl: isImage(mime) ? URL.createObjectURL(file) : undefined };
    });
    this.#host.dispatch({ type: 'local.files-chosen', drafts: chosen, refusals });
    for (const draft of chosen) this.#upload(draft.key);
  }

  /** Uploads a failed file again. */
  retry(key: string): void {
    const draft = this.#host.vm().drafts.find((d) => d.key === key);
    if (draft?.status === 'failed') this.#upload(key);
  }

  /** Removes a chosen file, aborting its upload if it is still in flight. */
  remove(key: string): void {
    const entry = this.#files.get(key);
    this.#files.delete(key);
    entry?.handle?.abort();
    const draft = this.#host.vm().drafts.find((d) => d.key === key);
    if (draft?.previewUrl) URL.revokeObjectURL(draft.previewUrl);
    this.#host.dispatch({ type: 'local.draft-remove', key });
  }

  /** The drafts leave with a message: their attachments; their thumbnails are freed. */
  take(): Attachment[] {
    const drafts = this.#host.vm().drafts;
    for (const d of drafts) {
      if (d.previewUrl) URL.revokeObjectURL(d.previewUrl);
      this.#files.delete(d.key);
    }
    return drafts.flatMap((d) => (d.attachment ? [d.attachment] : []));
  }

  /** A new connection brought a fresh token: uploads refused for the old one go again. */
  tokenRenewed(): void {
    for (const d of this.#host.vm().drafts) if (d.status === 'failed' && d.errorCode === 'unauthorized') this.#upload(d.key);
    for (const [id, value] of this.#images) if (value === null) this.#images.delete(id);
  }

  /** The blob URL of a sent image, fetching it the first time (the view re-renders when it arrives). */
  imageUrl(attachment: Attachment): string | undefined {
    const cached = this.#images.get(attachment.id);
    if (cached === undefined) void this.#loadImage(attachment.id);
    return typeof cached === 'string' ? cached : undefined;
  }

  /** Saves a sent file: fetch with the token → Blob → `a[download]`; a failure shows in the status line. */
  async download(attachment: Attachment): Promise<void> {
    const blob = await this.#fetch(attachment.id, true);
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = attachment.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
  }

  /** Forgets every chosen file, aborting uploads in flight (the server changed: they were for the old one). */
  reset(): void {
    for (const { handle } of this.#files.values()) handle?.abort();
    this.#files.clear();
    for (const d of this.#host.vm().drafts) if (d.previewUrl) URL.revokeObjectURL(d.previewUrl);
    this.dispose();
  }

  /** Frees every blob URL of sent images (the element left the page). */
  dispose(): void {
    for (const value of this.#images.values()) if (typeof value === 'string') URL.revokeObjectURL(value);
    this.#images.clear();
  }

  async #loadImage(id: string): Promise<string | undefined> {
    const loading = this.#fetch(id).then((blob) => (blob ? URL.createObjectURL(blob) : undefined));
    this.#images.set(id, loading);
    const url = await loading;
    if (this.#images.get(id) !== loading) {
      if (url) URL.revokeObjectURL(url); // disposed meanwhile
      return undefined;
    }
    this.#images.set(id, url ?? null);
    this.#host.update();
    return url;
  }

  async #fetch(id: string, show = false): Promise<Blob | undefined> {
    const token = this.#host.token();
    if (!token) return undefined;
    const result = await fetchUpload(httpUrl(this.#host.server(), `v1/uploads/${encodeURIComponent(id)}`), token, this.#host.strings());
    if (result instanceof Blob) return result;
    // A thumbnail that cannot load stays a file chip; a download the visitor asked for says why.
    if (show) this.#host.dispatch({ type: 'error', code: result.code as ErrorCode, message: result.message, retryable: false });
    emit(this.#host.element, 'agent-chat-error', { code: result.code, message: result.message });
    return undefined;
  }

  #upload(key: string): void {
    const entry = this.#files.get(key);
    const token = this.#host.token();
    if (!entry || !token) return;
    const update = (patch: Partial<Omit<DraftFile, 'key'>>) => this.#host.dispatch({ type: 'local.draft-update', key, patch });
    update({ status: 'uploading', loaded: 0, error: undefined, errorCode: undefined });
    const handle = startUpload(httpUrl(this.#host.server(), 'v1/uploads'), token, entry.file, (loaded) => update({ loaded }), this.#host.strings());
    entry.handle = handle;
    void handle.done.then((outcome) => {
      // Removed, or started again, meanwhile: this outcome is stale.
      if (this.#files.get(key) !== entry || entry.handle !== handle) return;
      entry.handle = undefined;
      if (outcome.ok) {
        update({ status: 'done', loaded: entry.file.size, attachment: outcome.attachment });
        emit(this.#host.element, 'agent-chat-upload', { attachment: outcome.attachment });
        return;
      }
      if (outcome.status === 401) {
        // The token expires; a reconnect brings a fresh one in `ready`.
        if (this.#host.token() !== token) return this.#upload(key);
        if (this.#host.renewToken()) return update({ status: 'failed', error: this.#host.strings().uploadReconnecting, errorCode: 'unauthorized' });
      }
      update({ status: 'failed', error: outcome.message, errorCode: outcome.code });
      emit(this.#host.element, 'agent-chat-error', { code: outcome.code, message: outcome.message });
    });
  }
}
