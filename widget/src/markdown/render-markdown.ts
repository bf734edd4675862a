import { html, nothing, type TemplateResult } from 'lit';
import { renderInline } from './render-inline.ts';

/*
 * A small markdown renderer for model text, written for streaming and for safety:
 * - it builds Lit templates, never HTML strings, so model text only ever lands in text nodes
 *   (no innerHTML, no unsafeHTML): `<script>`, `<img onerror>` and friends render as text;
 * - it tolerates half-written input (an unclosed fence renders as code so far, an unclosed
 *   `**` stays literal) because it re-renders on every delta.
 * Supported: paragraphs (single newlines become line breaks), ATX headings, fenced code,
 * bullet and numbered lists (nested by indentation), block quotes, horizontal rules, and the
 * inline syntax in render-inline.ts.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const BULLET = /^( {0,3})([-*+])(\s+)(.*)$/;
const ORDERED = /^( {0,3})(\d{1,9})([.)])(\s+)(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const MAX_DEPTH = 6;

const isBlank = (line: string) => line.trim() === '';

/** Renders markdown source as a Lit template. */
export function renderMarkdown(source: string): TemplateResult {
  return html`${renderBlocks(source.replace(/\r\n?/g, '\n').split('\n'), 0)}`;
}

function renderBlocks(lines: string[], depth: number): Array<TemplateResult | typeof nothing> {
  if (depth > MAX_DEPTH) return [html`<p>${lines.join('\n')}</p>`];
  const out: Array<TemplateResult | typeof nothing> = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i += 1; // the closing fence (or past the end while it streams)
      out.push(html`<pre><code data-lang=${fence[2] || nothing}>${body.join('\n')}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      // Message headings sit under the widget's own title: levels 1-6 map to aria-level 3-6.
      const level = heading[1]!.length;
      out.push(
        html`<p class="md-heading md-h${Math.min(level, 4)}" role="heading" aria-level=${Math.min(6, level + 2)}>
          ${renderInline(heading[2] ?? '')}
        </p>`,
      );
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      out.push(html`<hr />`);
      i += 1;
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      i = renderList(lines, i, depth, out);
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      out.push(html`<blockquote>${renderBlocks(body, depth + 1)}</blockquote>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !isBlank(lines[i]!) && (para.length === 0 || !startsBlock(lines[i]!))) para.push(lines[i++]!.trim());
    out.push(html`<p>${para.map((l, n) => (n === 0 ? renderInline(l) : html`<br />${renderInline(l)}`))}</p>`);
  }
  return out;
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line);
}

/** Parses one list starting at `start`; pushes it to `out` and returns the next line index. */
function renderList(lines: string[], start: number, depth: number, out: Array<TemplateResult | typeof nothing>): number {
  const first = lines[start]!;
  const ordered = !BULLET.test(first);
  const pattern = ordered ? ORDERED : BULLET;
  const items: string[][] = [];
  let startNumber = 1;
  let i = start;
  while (i < lines.length) {
    const m = pattern.exec(lines[i]!);
    if (!m) break;
    if (items.length === 0 && ordered) startNumber = Number(m[2]);
    // Continuation lines must be indented at least as far as the item's text.
    const indent = ordered ? m[1]!.length + m[2]!.length + m[3]!.length + m[4]!.length : m[1]!.length + 1 + m[3]!.length;
    const body = [ordered ? m[5]! : m[4]!];
    i += 1;
    while (i < lines.length) {
      const next = lines[i]!;
      if (isBlank(next)) {
        // A blank line continues the item only if indented content follows it.
        const after = lines[i + 1];
        if (after !== undefined && leadingSpaces(after) >= Math.min(indent, 2) && !isBlank(after)) {
          body.push('');
          i += 1;
          continue;
        }
        break;
      }
      if (leadingSpaces(next) >= Math.min(indent, 2)) body.push(next.slice(Math.min(leadingSpaces(next), indent)));
      else if (!startsBlock(next)) body.push(next.trim()); // lazy continuation of the item's paragraph
      else break;
      i += 1;
    }
    items.push(body);
    if (i < lines.length && isBlank(lines[i]!) && pattern.test(lines[i + 1] ?? '')) i += 1;
  }
  const rendered = items.map((body) => html`<li>${renderBlocks(body, depth + 1)}</li>`);
  out.push(ordered ? html`<ol start=${startNumber === 1 ? nothing : startNumber}>${rendered}</ol>` : html`<ul>${rendered}</ul>`);
  return i;
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}
