/** The longest display name kept, in characters (the extension is kept when a name is cut). */
export const MAX_NAME_CHARS = 120;

/**
 * A visitor's file name made safe to show: the last path part only, no control or bidi
 * formatting characters, whitespace collapsed, at most MAX_NAME_CHARS. Only ever displayed: the
 * bytes are stored under their hash, never under this name.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[/\\]/).at(-1) ?? '';
  const cleaned = base
    .normalize('NFC')
    // Whitespace controls separate words: a space; every other control or format character goes.
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    // A name of dots only ("..") is a path part, not a name.
    .replace(/^\.+$/, '');
  const chars = [...cleaned];
  if (chars.length === 0) return 'file';
  if (chars.length <= MAX_NAME_CHARS) return cleaned;
  const ext = extensionOf(cleaned);
  const tail = ext && ext.length <= 10 ? `.${ext}` : '';
  return chars.slice(0, MAX_NAME_CHARS - tail.length).join('').trimEnd() + tail;
}

/** The lower-case extension of a name without its dot ('' when it has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}
