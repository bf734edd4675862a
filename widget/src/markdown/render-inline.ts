import { html, nothing, type TemplateResult } from 'lit';
import type { Token, Tokens } from 'marked';
import { decodeEntities } from './decode-entities.ts';

/** What inline rendering produces: plain strings (rendered by Lit as text) and templates. */
export type Inline = string | TemplateResult;

const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'];
const IMAGE_PROTOCOLS = ['https:'];
/** Inline tokens nested deeper than this render as their source text (the lexer already limits nesting). */
const MAX_DEPTH = 32;

/**
 * Percent-encodes what a URL may not contain as written (`\\`, `[`, spaces, non-ASCII), keeping
 * existing escapes, as CommonMark renders destinations. URL alone would read `\\` as `/`.
 */
function encodeUrl(raw: string): string {
  return encodeURI(raw).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}

/**
 * `raw` as an absolute URL when its protocol is one of `protocols`, else null. Parsing with URL
 * (rather than matching a prefix) normalizes case, whitespace and entities the way the browser
 * would, so `JaVaScRiPt:`, ` javascript:` and `data:` are all refused.
 */
function safeUrl(raw: string, protocols: readonly string[]): string | null {
  try {
    const url = new URL(encodeUrl(raw));
    return protocols.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** The href to use for a link target, or null when it is not an absolute http(s) or mailto URL. */
export function safeHref(raw: string): string | null {
  return safeUrl(raw, LINK_PROTOCOLS);
}

/** The src to use for an image from model text, or null unless it is an absolute https URL. */
export function safeImageSrc(raw: string): string | null {
  return safeUrl(raw, IMAGE_PROTOCOLS);
}

/** The plain text of inline tokens, for an image's alt text. */
function plainText(tokens: readonly Token[] | undefined, fallback: string): string {
  if (!tokens) return decodeEntities(fallback);
  return tokens
    .map((token): string => {
      if (token.type === 'br') return '\n';
      if (token.type === 'codespan' || token.type === 'escape' || token.type === 'html') return token.text as string;
      if ('tokens' in token && token.tokens) return plainText(token.tokens, token.text as string);
      return decodeEntities((token as Tokens.Text).text ?? token.raw);
    })
    .join('');
}

function link(token: Tokens.Link, depth: number): Inline | Inline[] {
  const children = token.autolink ? [token.text] : renderInline(token.tokens, depth + 1);
  const href = safeHref(token.autolink ? token.href : decodeEntities(token.href));
  if (href === null) return children;
  const title = token.title ? decodeEntities(token.title) : nothing;
  return html`<a href=${href} title=${title} target="_blank" rel="noopener noreferrer">${children}</a>`;
}

function image(token: Tokens.Image): Inline {
  const alt = plainText(token.tokens, token.text);
  const src = safeImageSrc(decodeEntities(token.href));
  if (src === null) return alt;
  const title = token.title ? decodeEntities(token.title) : nothing;
  return html`<img src=${src} alt=${alt} title=${title} loading="lazy" referrerpolicy="no-referrer" />`;
}

/**
 * Chat text uses single newlines as line breaks, so a soft break renders as a line break
 * (marked as soft, to tell it from a hard break the text asked for).
 */
function softBreaks(text: string): Inline | Inline[] {
  if (!text.includes('\n')) return decodeEntities(text);
  return text.split(/ *\n */).flatMap((line, n) => (n === 0 ? [decodeEntities(line)] : [html`<br class="md-soft" />`, decodeEntities(line)]));
}

/** A task list item's box: shown, not editable. */
export function checkbox(token: Tokens.Checkbox): TemplateResult {
  return html`<input type="checkbox" disabled ?checked=${token.checked} /> `;
}

function renderToken(token: Token, depth: number): Inline | Inline[] {
  switch (token.type) {
    case 'text':
      return token.tokens ? renderInline(token.tokens, depth + 1) : softBreaks(token.text as string);
    case 'escape':
      return token.text as string;
    case 'codespan':
      return html`<code>${token.text}</code>`;
    case 'strong':
      return html`<strong>${renderInline(token.tokens!, depth + 1)}</strong>`;
    case 'em':
      return html`<em>${renderInline(token.tokens!, depth + 1)}</em>`;
    case 'del':
      return html`<del>${renderInline(token.tokens!, depth + 1)}</del>`;
    case 'br':
      return html`<br />`;
    case 'link':
      return link(token as Tokens.Link, depth);
    case 'image':
      return image(token as Tokens.Image);
    case 'checkbox':
      return checkbox(token as Tokens.Checkbox);
    default:
      // Raw HTML and anything unknown: the source, as text.
      return token.raw;
  }
}

/**
 * Renders marked's inline tokens as Lit values. Model text only ever becomes text nodes or
 * attribute values of the fixed tags here; raw HTML shows as text, links only with a
 * {@link safeHref}, images only with a {@link safeImageSrc}.
 */
export function renderInline(tokens: readonly Token[], depth = 0): Inline[] {
  if (depth > MAX_DEPTH) return [tokens.map((token) => token.raw).join('')];
  const out: Inline[] = [];
  for (const token of tokens) {
    const value = renderToken(token, depth);
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  return out;
}
