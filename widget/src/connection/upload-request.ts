import type { Attachment } from '@agent-chat/shared';
import en, { type UiStrings } from '../i18n/en.ts';

/** How an upload or a download ended: the stored file, or why not (the server's code and message). */
export type UploadOutcome =
  | { ok: true; attachment: Attachment }
  | { ok: false; status: number; code: string; message: string };

/** An upload in flight. */
export interface UploadHandle {
  readonly done: Promise<UploadOutcome>;
  abort(): void;
}

/** Fallback wording when the server sent no JSON error (a proxy's page, a dropped connection). */
function fallbackMessage(status: number, t: UiStrings): string {
  if (status === 0) return t.uploadUnreachable;
  if (status === 413) return t.uploadTooLarge;
  return t.uploadFailed(status);
}

/** The `{ error: { code, message } }` body of a refusal, if that is what came back. */
function refusal(status: number, body: string, t: UiStrings): { ok: false; status: number; code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') return { ok: false, status, code, message };
  } catch {
    // not JSON: fall through
  }
  return { ok: false, status, code: status === 401 ? 'unauthorized' : status === 413 ? 'payload_too_large' : 'upload_failed', message: fallbackMessage(status, t) };
}

function isAttachment(v: unknown): v is Attachment {
  const a = v as Record<string, unknown> | null;
  return !!a && typeof a.id === 'string' && typeof a.name === 'string' && typeof a.mime === 'string' && typeof a.size === 'number';
}

/**
 * Uploads one file as `multipart/form-data` (field `file`) with the connection's upload token.
 * XMLHttpRequest rather than fetch: only it reports upload progress (`onProgress(bytesSent)`).
 * Failures the server did not word itself are worded in the visitor's language (`t`).
 */
export function startUpload(url: string, token: string, file: File, onProgress: (loaded: number) => void, t: UiStrings = en): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status !== 201) return resolve(refusal(xhr.status, xhr.responseText, t));
      try {
        const body: unknown = JSON.parse(xhr.responseText);
        if (isAttachment(body)) return resolve({ ok: true, attachment: { id: body.id, name: body.name, mime: body.mime, size: body.size } });
      } catch {
        // fall through
      }
      resolve({ ok: false, status: xhr.status, code: 'upload_failed', message: t.uploadUnexpected });
    };
    xhr.onerror = () => resolve(refusal(0, '', t));
    xhr.onabort = () => resolve({ ok: false, status: 0, code: 'aborted', message: t.uploadCancelled });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/**
 * Fetches an uploaded file with the upload token: `<img src>` and links cannot send the
 * Authorization header, so the widget shows and saves the bytes through a Blob.
 */
export async function fetchUpload(url: string, token: string, t: UiStrings = en): Promise<Blob | { status: number; code: string; message: string }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    return { status: 0, code: 'upload_failed', message: t.fileUnreachable };
  }
  if (response.ok) return response.blob();
  const { status, code, message } = refusal(response.status, await response.text().catch(() => ''), t);
  return { status, code, message: status === 404 ? t.fileGone : message };
}
