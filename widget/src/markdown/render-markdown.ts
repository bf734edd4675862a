import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import type { Token, Tokens } from 'marked';
import { renderCodeBlock, type CodeLabels } from './code-block.ts';
import en from '../i18n/en.ts';
import { lexMarkdown } from './lex-markdown.ts';
import { checkbox, renderInline, type Inline } from './render-inline.ts';

/*
 * Renders model markdown (CommonMark + GFM tables, strikethrough, autolinks and task lists,
 * parsed by marked's lexer) as Lit templates, never as HTML strings: model text only lands
 * in text nodes and attribute values (no innerHTML, no unsafeHTML), so raw HTML shows as text.
 * Chat choices: headings are styled paragraphs with role="heading" below the widget's own
 * title, a single newline is a line break, links open in a new tab, and unsafe link or image
 * targets render as their text.
 */

/** Block containers nested deeper than this render as their source text (the lexer already limits nesting). */
const MAX_DEPTH = 32;

type Block = Inline | Inline[] | typeof nothing;

/** In a tight list marked gives an item's text as a `text` block, which renders without <p>. */
function listItem(item: Tokens.ListItem, depth: number, labels: CodeLabels): TemplateResult {
  return html`<li>${renderBlocks(item.tokens, depth + 1, labels)}</li>`;
}

/** Tables wider than this render as their source text; cells past MAX_TABLE_CELLS render as text rows. */
const MAX_TABLE_COLUMNS = 64;
const MAX_TABLE_CELLS = 4000;

/** Rows that do not fit the table, as `| a | b |` lines of text. */
function rowsAsText(rows: readonly Tokens.TableCell[][]): TemplateResult {
  return html`<p class="md-table-rest">${rows.map((row) => `| ${row.map((c) => c.text).join(' | ')} |`).join('\n')}</p>`;
}

function table(token: Tokens.Table): TemplateResult {
  if (token.header.length > MAX_TABLE_COLUMNS) return html`<p class="md-table-rest">${token.raw.replace(/\n+$/, '')}</p>`;
  const fit = Math.floor(MAX_TABLE_CELLS / token.header.length);
  const rest = token.rows.length > fit ? rowsAsText(token.rows.slice(fit)) : nothing;
  const rows = token.rows.slice(0, fit);

  const cell = (c: Tokens.TableCell, tag: 'th' | 'td') =>
    tag === 'th'
      ? html`<th align=${c.align ?? nothing}>${renderInline(c.tokens)}</th>`
      : html`<td align=${c.align ?? nothing}>${renderInline(c.tokens)}</td>`;
  const body = rows.length
    ? html`<tbody>${rows.map((row) => html`<tr>${row.map((c) => cell(c, 'td'))}</tr>`)}</tbody>`
    : nothing;
  return html`<div class="md-table"><table><thead><tr>${token.header.map((c) => cell(c, 'th'))}</tr></thead>${body}</table></div>${rest}`;
}

function renderBlock(token: Token, depth: number, labels: CodeLabels): Block {
  switch (token.type) {
    case 'space':
    case 'def':
      return nothing;
    case 'paragraph':
      return html`<p>${renderInline(token.tokens!)}</p>`;
    case 'text':
      return token.tokens ? renderInline(token.tokens) : (token.text as string);
    case 'heading': {
      // Message headings sit under the widget's own title: levels 1-6 map to aria-level 3-6.
      const level = token.depth as number;
      return html`<p class="md-heading md-h${level}" role="heading" aria-level=${Math.min(6, level + 2)}>${renderInline(token.tokens!)}</p>`;
    }
    case 'code':
      return renderCodeBlock(token as Tokens.Code, labels);
    case 'hr':
      return html`<hr />`;
    case 'checkbox':
      return checkbox(token as Tokens.Checkbox);
    case 'blockquote':
      return html`<blockquote>${renderBlocks(token.tokens!, depth + 1, labels)}</blockquote>`;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item) => listItem(item, depth, labels));
      if (!list.ordered) return html`<ul>${items}</ul>`;
      return html`<ol start=${list.start === 1 || list.start === '' ? nothing : list.start}>${items}</ol>`;
    }
    case 'table':
      return table(token as Tokens.Table);
    default:
      // Raw HTML blocks and anything unknown: the source, as text.
      return html`<p>${token.raw.replace(/\n+$/, '')}</p>`;
  }
}

function renderBlocks(tokens: readonly Token[], depth: number, labels: CodeLabels): Block[] {
  if (depth > MAX_DEPTH) return [html`<p>${tokens.map((token) => token.raw).join('')}</p>`];
  return tokens.map((token) => renderBlock(token, depth, labels));
}

/**
 * Renders markdown source as a Lit template. While a text streams, its finished blocks keep
 * their tokens (see lexMarkdown), and `guard` skips re-rendering them: only the last block changes.
 */
export function renderMarkdown(source: string, labels: CodeLabels = en): TemplateResult {
  // Blank lines and link definitions show nothing: no part for them (a text of 25 000
  // definitions would otherwise cost 25 000 empty parts).
  const tokens = lexMarkdown(source).filter((token) => token.type !== 'space' && token.type !== 'def');
  return html`${tokens.map((token) => guard([token, labels], () => renderBlock(token, 0, labels)))}`;
}
