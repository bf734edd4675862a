import { extractPdfText, type PdfLimits } from './extract-pdf-text.ts';
import type { PreparedAttachment } from './prepared-attachment.ts';
import type { UploadContent } from './read-upload.ts';

/** How much of a file reaches the model. */
export interface PrepareLimits extends PdfLimits {
  /** Characters of text per file (a text file's content or a PDF's text). */
  maxTextChars: number;
}

/** The defaults: 20 000 characters, 20 pages, 5 seconds per PDF. */
export const DEFAULT_PREPARE_LIMITS: PrepareLimits = { maxTextChars: 20_000, maxPages: 20, timeoutMs: 5_000 };

const TEXT_TYPES = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

/** Said instead of the text of a PDF that has none. */
export const NO_TEXT_LAYER = '(this PDF has no text layer: it is probably scanned images)';

/** `text` cut to `max` characters, with a visible marker saying how much was left out. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[… truncated: ${text.length - max} more characters]`;
}

async function pdfText(bytes: Uint8Array, limits: PrepareLimits): Promise<string> {
  let read;
  try {
    read = await extractPdfText(bytes, limits);
  } catch {
    return '(this PDF could not be read)';
  }
  if (read.text.trim() === '') return read.timedOut ? '(this PDF could not be read in time)' : NO_TEXT_LAYER;
  const notes: string[] = [];
  if (read.timedOut) notes.push(`[… stopped: reading this PDF took too long; ${read.pagesRead} of ${read.totalPages} pages read]`);
  else if (read.totalPages > read.pagesRead) notes.push(`[… truncated: ${read.totalPages - read.pagesRead} more pages]`);
  return [capText(read.text, limits.maxTextChars), ...notes].join('\n');
}

/**
 * What the model gets of one file: an image as base64 bytes; text, Markdown, CSV and JSON as
 * their text; a PDF as its extracted text (or a note that it has none); any other type as a
 * note. Text is capped at `maxTextChars` with a visible marker. Never throws on a file's content.
 */
export async function prepareAttachment(
  upload: UploadContent,
  limits: PrepareLimits = DEFAULT_PREPARE_LIMITS,
): Promise<PreparedAttachment> {
  const { name, bytes } = upload;
  // "text/plain; charset=utf-8" is text/plain.
  const mime = upload.mime.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mime.startsWith('image/')) return { kind: 'image', name, mime, dataBase64: Buffer.from(bytes).toString('base64') };
  if (TEXT_TYPES.has(mime)) {
    // The server accepted only valid UTF-8 for these types; a stray BOM is dropped.
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
    return { kind: 'text', name, mime, text: capText(text, limits.maxTextChars) };
  }
  if (mime === 'application/pdf') return { kind: 'text', name, mime, text: await pdfText(bytes, limits) };
  return { kind: 'text', name, mime, text: '(this type of file cannot be read)' };
}
