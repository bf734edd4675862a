import { fileTypeFromBuffer } from 'file-type/core';
import { extensionOf } from './file-name.ts';
import { UploadError } from './upload-error.ts';

/** The extensions each known type may have (the name must agree with the bytes). */
const EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text', 'log'],
  'text/markdown': ['md', 'markdown'],
  'text/csv': ['csv'],
  'application/json': ['json'],
};

/** Types with no signature: told by the extension, then checked as text. */
const TEXT_TYPES = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

/** What a text file may not start with: a browser (or a careless viewer) would run it as a page. */
const LOOKS_LIKE_MARKUP = /^\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|object|embed|meta|style|a\s|img\s)/i;

function refused(accepted: readonly string[], why: string): UploadError {
  return new UploadError('invalid_request', 415, `${why} Accepted types: ${accepted.join(', ')}.`);
}

/**
 * Decides a file's type from its bytes and checks it against `accepted` and its name's
 * extension: binary formats by their signature (`file-type`), text formats by the extension,
 * then as valid UTF-8 that does not look like a web page (JSON must parse). What the client
 * declared is never trusted.
 * @throws UploadError 415 for a type not accepted, a name that disagrees with the bytes, an
 *   executable, or markup in a text or image file.
 */
export async function detectFileType(bytes: Uint8Array, name: string, accepted: readonly string[]): Promise<string> {
  const ext = extensionOf(name);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const mime = detected.mime === 'image/jpg' ? 'image/jpeg' : detected.mime;
    if (!accepted.includes(mime) || TEXT_TYPES.has(mime)) throw refused(accepted, 'This type of file is not accepted.');
    if (!EXTENSIONS[mime]?.includes(ext)) throw refused(accepted, `The file name does not match its content (${mime}).`);
    return mime;
  }
  const mime = Object.keys(EXTENSIONS).find((type) => TEXT_TYPES.has(type) && EXTENSIONS[type]!.includes(ext));
  if (!mime) {
    const claimed = Object.keys(EXTENSIONS).find((type) => EXTENSIONS[type]!.includes(ext));
    throw refused(accepted, claimed ? `The file is not a valid ${claimed} file.` : 'This type of file is not accepted.');
  }
  if (!accepted.includes(mime)) throw refused(accepted, 'This type of file is not accepted.');
  const text = utf8(bytes);
  if (text === undefined || text.includes('\u0000')) throw refused(accepted, 'A text file must be UTF-8 text.');
  if (LOOKS_LIKE_MARKUP.test(text.slice(0, 1024).replace(/^\uFEFF/, ''))) throw refused(accepted, 'Web pages and markup are not accepted.');
  if (mime === 'application/json' && !parses(text)) throw refused(accepted, 'The JSON file does not parse.');
  return mime;
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
