import type { Attachment } from '@agent-chat/shared';
import type { ModelContentPart } from '../models/model.ts';

/**
 * An attachment made ready for a model: an image as base64 bytes, or text (a text file's
 * content, a PDF's extracted text, or a note saying why there is none), already capped.
 */
export type PreparedAttachment =
  | { kind: 'image'; name: string; mime: string; dataBase64: string }
  | { kind: 'text'; name: string; mime: string; text: string };

/** Prepared attachments of a run, by upload id. */
export type PreparedAttachments = ReadonlyMap<string, PreparedAttachment>;

const KIND_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'text/plain': 'text',
  'text/markdown': 'Markdown',
  'text/csv': 'CSV',
  'application/json': 'JSON',
};

/** A short name of a file's type for people and models: "PDF", "image", "CSV"… */
export function kindLabel(mime: string): string {
  if (mime.startsWith('image/')) return 'image';
  return KIND_LABELS[mime] ?? mime;
}

/** Said for an attachment whose content could not be read for this run. */
export const NOT_AVAILABLE = '(this file is not available)';

/**
 * The first line of every attachment's text part: `[Attachment: report.pdf (PDF)]`. The model
 * learns the file's name and type from it; the offline model reads it back (`readAttachmentHeader`).
 */
export function attachmentHeader(name: string, mime: string): string {
  // A name is one line: a newline would let it end the header early.
  return `[Attachment: ${name.replace(/[\r\n]+/g, ' ')} (${kindLabel(mime)})]`;
}

const HEADER = /^\[Attachment: (.*) \(([^()\n]*)\)\]$/;

/** The name and type label of a text part written by `attachmentParts`, and its content; undefined for any other text. */
export function readAttachmentHeader(text: string): { name: string; kind: string; body: string } | undefined {
  const newline = text.indexOf('\n');
  const first = newline === -1 ? text : text.slice(0, newline);
  const match = HEADER.exec(first);
  if (!match) return undefined;
  return { name: match[1] ?? '', kind: match[2] ?? '', body: newline === -1 ? '' : text.slice(newline + 1) };
}

/**
 * The content parts an attachment adds to its user message: the header with the text, or the
 * header and the image. `prepared` absent: the header and a note that the file is not available.
 */
export function attachmentParts(attachment: Attachment, prepared: PreparedAttachment | undefined): ModelContentPart[] {
  const header = attachmentHeader(attachment.name, attachment.mime);
  if (!prepared) return [{ type: 'text', text: `${header}\n${NOT_AVAILABLE}` }];
  if (prepared.kind === 'image') {
    return [
      { type: 'text', text: header },
      { type: 'image', mime: prepared.mime, dataBase64: prepared.dataBase64 },
    ];
  }
  return [{ type: 'text', text: `${header}\n${prepared.text}` }];
}
