import type { Attachment, Limits } from '@agent-chat/shared';
import en, { type UiStrings } from '../i18n/en.ts';

/** A file the visitor chose for the next message: uploading, uploaded, or refused by the server. */
export interface DraftFile {
  /** The widget's own id for the file (the upload id comes with `attachment`). */
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
  /** An object URL of the file itself, for an image's thumbnail. */
  readonly previewUrl?: string | undefined;
  readonly status: 'uploading' | 'done' | 'failed';
  /** Bytes sent so far (upload progress). */
  readonly loaded: number;
  /** What the server stored, once the upload succeeded. */
  readonly attachment?: Attachment | undefined;
  /** Why the upload failed: the server's message (an `ErrorCode` in `errorCode`). */
  readonly error?: string | undefined;
  readonly errorCode?: string | undefined;
}

/*
 * Browsers give some text files no type (or an odd one) depending on the platform, so a
 * known extension stands in for the type the server decides from the bytes anyway.
 */
const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
};

/** Short names for the accepted-types message ("PNG, PDF, Markdown"). */
const TYPE_NAMES: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'text/markdown': 'Markdown',
  'text/csv': 'CSV',
  'application/json': 'JSON',
};

const extension = (name: string): string => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** Whether the server takes files at all (`ready.limits`). */
export function uploadsEnabled(limits: Limits | null): limits is Limits {
  return !!limits && limits.maxFilesPerMessage > 0 && limits.maxFileBytes > 0;
}

/** Whether an attachment or draft is shown as an image (thumbnail) rather than a file chip. */
export function isImage(mime: string): boolean {
  return /^image\/(png|jpeg|gif|webp)$/.test(mime);
}

/** A file's type as the widget judges it: the browser's, else the one its extension implies. */
export function fileType(file: { name: string; type: string }): string {
  return file.type || EXTENSION_TYPES[extension(file.name)] || '';
}

/**
 * Whether `acceptedTypes` (MIME types, `type/*` or `.ext`; empty: anything) lets this file
 * through. Lenient on purpose: the type the browser reports or the one its extension implies
 * will do, since platforms disagree on types (.csv, .md) and the server decides from the bytes.
 */
export function isAccepted(file: { name: string; type: string }, acceptedTypes: readonly string[]): boolean {
  if (acceptedTypes.length === 0) return true;
  const type = fileType(file);
  const byExtension = EXTENSION_TYPES[extension(file.name)];
  return acceptedTypes.some((accepted) => {
    const a = accepted.trim().toLowerCase();
    if (a.startsWith('.')) return extension(file.name) === a.slice(1);
    if (a.endsWith('/*')) return type.startsWith(a.slice(0, -1));
    return a === type || a === byExtension;
  });
}

/** The file input's `accept`: the accepted types plus the extensions that stand for them. */
export function acceptAttribute(acceptedTypes: readonly string[]): string {
  const extensions = Object.entries(EXTENSION_TYPES)
    .filter(([, type]) => acceptedTypes.includes(type))
    .map(([ext]) => `.${ext}`);
  return [...acceptedTypes, ...extensions].join(',');
}

/** "PNG, JPEG, PDF" for a refusal message; `text` names plain text in the visitor's language. */
export function describeTypes(acceptedTypes: readonly string[], text = 'text'): string {
  return acceptedTypes.map((t) => (t === 'text/plain' ? text : (TYPE_NAMES[t] ?? t))).join(', ');
}

/** "812 B", "4.2 KB", "10 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)} ${units[unit]}`;
}

/**
 * Splits the files the visitor chose into those to upload and a message about the rest (too
 * big, a type not accepted, more than the per-message limit), checked before any byte leaves,
 * worded in the visitor's language (`t`).
 */
export function checkFiles(
  files: readonly File[],
  limits: Limits,
  alreadyChosen: number,
  t: Pick<UiStrings, 'typeRefused' | 'tooLarge' | 'tooMany' | 'fileSize' | 'typeText'> = en,
): { accepted: File[]; refusals: string[] } {
  const accepted: File[] = [];
  const refusals: string[] = [];
  let tooMany = 0;
  for (const file of files) {
    if (!isAccepted(file, limits.acceptedTypes)) {
      refusals.push(t.typeRefused(file.name, describeTypes(limits.acceptedTypes, t.typeText)));
    } else if (file.size > limits.maxFileBytes) {
      refusals.push(t.tooLarge(file.name, t.fileSize(file.size), t.fileSize(limits.maxFileBytes)));
    } else if (alreadyChosen + accepted.length >= limits.maxFilesPerMessage) {
      tooMany++;
    } else {
      accepted.push(file);
    }
  }
  if (tooMany) refusals.push(t.tooMany(limits.maxFilesPerMessage, tooMany));
  return { accepted, refusals };
}

/** Whether the drafts let a message go: none, or all uploaded. */
export function draftsReady(drafts: readonly DraftFile[]): boolean {
  return drafts.every((d) => d.status === 'done');
}
