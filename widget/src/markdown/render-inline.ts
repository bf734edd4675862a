import { html, type TemplateResult } from 'lit';

/** What inline rendering produces: plain strings (rendered by Lit as text) and templates. */
export type Inline = string | TemplateResult;

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The href to use for a link target, or null when it is not an absolute http(s) or mailto URL.
 * Parsing with URL (rather than matching a prefix) normalizes case, whitespace and entities
 * the way the browser would, so `JaVaScRiPt:`, ` javascript:` and `data:` are all refused.
 */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/*
 * One pass over the text with an alternation; the first alternative that matches at the
 * leftmost position wins. Groups, in order:
 *  1 escaped char | 2,3 code span | 4,5 link | 6 **bold** | 7 __bold__ | 8 ~~strike~~ |
 *  9 *italic* | 10 _italic_ | 11 bare URL
 */
const INLINE =
  /\\([\\`*_{}[\]()#+\-.!~>|])|(`+)([^`]|[^`][\s\S]*?[^`])\2(?!`)|\[([^[\]]*)\]\(\s*<?([^\s<>()]+(?:\([^\s<>()]*\)[^\s<>()]*)*)>?(?:\s+"[^"]*")?\s*\)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__(?!\w)|~~(?=\S)([\s\S]*?\S)~~|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\b(https?:\/\/[^\s<>"'`]+)/g;

/** Trailing punctuation that ends a sentence rather than a bare URL. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1]!;
    if ('.,;:!?\'"*_'.includes(ch)) end -= 1;
    else if (ch === ')' && (url.slice(0, end).match(/\(/g)?.length ?? 0) < (url.slice(0, end).match(/\)/g)?.length ?? 0)) end -= 1;
    else break;
  }
  return url.slice(0, end);
}

function link(href: string, children: Inline[]): TemplateResult {
  return html`<a href=${href} target="_blank" rel="noopener noreferrer">${children}</a>`;
}

/**
 * Renders inline markdown (code spans, links, bold, italic, strikethrough, bare URLs and
 * backslash escapes) as Lit values. Everything else, HTML included, stays literal text:
 * Lit puts strings into text nodes, so nothing here can create an element or an attribute
 * from model text except the fixed tags above, and links only with a {@link safeHref}.
 */
export function renderInline(text: string, depth = 0, inLink = false): Inline[] {
  if (depth > 6) return [text];
  const out: Inline[] = [];
  let last = 0;
  const re = new RegExp(INLINE); // own lastIndex: this function recurses
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    let value: Inline | Inline[] | null = null;
    let consumed = m[0].length;
    if (m[1] !== undefined) value = m[1];
    else if (m[2] !== undefined) value = html`<code>${m[3]!.replace(/^ (.*) $/s, '$1')}</code>`;
    else if (m[4] !== undefined) {
      const href = inLink ? null : safeHref(m[5]!);
      const label = renderInline(m[4], depth + 1, true);
      value = href ? link(href, label.length ? label : [href]) : label;
    } else if (m[6] !== undefined || m[7] !== undefined) value = html`<strong>${renderInline((m[6] ?? m[7])!, depth + 1, inLink)}</strong>`;
    else if (m[8] !== undefined) value = html`<del>${renderInline(m[8], depth + 1, inLink)}</del>`;
    else if (m[9] !== undefined || m[10] !== undefined) value = html`<em>${renderInline((m[9] ?? m[10])!, depth + 1, inLink)}</em>`;
    else if (m[11] !== undefined) {
      const url = trimUrl(m[11]);
      consumed = url.length;
      const href = inLink ? null : safeHref(url);
      value = href ? link(href, [url]) : url;
    }
    if (value === null) continue; // unreachable: every alternative has a group
    if (start > last) out.push(text.slice(last, start));
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
    last = start + consumed;
    // A trimmed URL gave characters back: resume scanning right after what we used.
    if (consumed !== m[0].length) re.lastIndex = last;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
