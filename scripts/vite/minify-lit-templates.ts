import { transform as transformCss } from 'lightningcss';
import { type Plugin, Visitor, parseSync } from 'vite';

/*
 * Lit's css`` and html`` literals reach the bundle as written: indentation, newlines, CSS
 * comments. This plugin minifies them in the widget's sources at build time:
 * - css``: lightningcss, with each `${…}` (a fragment of declarations, in our styles) held by a
 *   placeholder declaration; a literal that is itself such a fragment is minified inside a rule;
 * - html``/svg``: a whitespace run that holds a newline becomes one newline in text (the same
 *   rendering under `white-space: normal`, `nowrap` and `pre-line`), one space between
 *   attributes and nothing before a tag's `>`; quoted attribute values and the content of
 *   <pre>, <textarea>, <script> and <style> stay as they are.
 * Anything else in a template (text, attribute values, bindings) is left alone.
 */

const RAW_TEXT = new Set(['pre', 'textarea', 'script', 'style']);
const PLACEHOLDER = (i: number) => `--lit-placeholder-${i}:0`;
/** A CSS number token with more than 6 digits (not part of a name or a hex colour). */
const LONG_NUMBER = /(?<![\w#.-])(?=(?:\.?\d){7})\d*\.?\d+/g;

/** Where an html`` literal's scan is between two static parts (the state carries across `${…}`). */
interface HtmlScan {
  state: 'text' | 'tag' | 'quote';
  quote: string;
  tagName: string;
  closing: boolean;
  rawTextDepth: number;
}

/** Minifies the static parts of one html`` literal, in order. */
export function minifyHtmlParts(parts: readonly string[]): string[] {
  const scan: HtmlScan = { state: 'text', quote: '', tagName: '', closing: false, rawTextDepth: 0 };
  return parts.map((part) => minifyHtmlPart(part, scan));
}

function minifyHtmlPart(part: string, scan: HtmlScan): string {
  let out = '';
  let i = 0;
  while (i < part.length) {
    const ch = part[i]!;
    if (scan.state === 'quote') {
      out += ch;
      if (ch === scan.quote) scan.state = 'tag';
      i += 1;
      continue;
    }
    if (/\s/.test(ch)) {
      let end = i;
      while (end < part.length && /\s/.test(part[end]!)) end += 1;
      const run = part.slice(i, end);
      i = end;
      if (scan.state === 'tag') {
        // Between attributes one space does; before `>` or `/>` none is needed.
        const next = part[end];
        out += next === '>' || (next === '/' && part[end + 1] === '>') ? '' : ' ';
      } else {
        out += scan.rawTextDepth === 0 && run.includes('\n') ? '\n' : run;
      }
      continue;
    }
    if (scan.state === 'text' && ch === '<' && /[a-zA-Z/]/.test(part[i + 1] ?? '')) {
      const name = /^<(\/?)([a-zA-Z][\w-]*)/.exec(part.slice(i));
      scan.state = 'tag';
      scan.closing = name?.[1] === '/';
      scan.tagName = name?.[2]?.toLowerCase() ?? '';
      const taken = name?.[0] ?? '<';
      out += taken;
      i += taken.length;
      continue;
    }
    if (scan.state === 'tag') {
      if (ch === '"' || ch === "'") {
        scan.state = 'quote';
        scan.quote = ch;
      } else if (ch === '>') {
        scan.state = 'text';
        if (RAW_TEXT.has(scan.tagName)) scan.rawTextDepth += scan.closing ? -1 : 1;
      }
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** Minifies one css`` literal's static parts (`parts.length - 1` interpolations between them). */
export function minifyCssParts(parts: readonly string[], where: string): string[] {
  const joined = parts.reduce((all, part, i) => (i === 0 ? part : `${all}${PLACEHOLDER(i - 1)};${part}`), '');
  // lightningcss keeps numbers as 32-bit floats (2147483000 in a var() fallback would come out
  // as 2147480000): numbers of more than 6 digits pass through it as identifiers.
  const numbers: string[] = [];
  const source = joined.replace(LONG_NUMBER, (number) => `lit-number-${numbers.push(number) - 1}`);
  // A literal of bare declarations (a fragment interpolated into rules) is minified inside a rule.
  const fragment = !source.includes('{');
  const minified = transformCss({
    filename: where,
    code: Buffer.from(fragment ? `a{${source}}` : source),
    minify: true,
  })
    .code.toString()
    .replace(/lit-number-(\d+)/g, (_, i: string) => numbers[Number(i)]!);
  const body = fragment ? minified.replace(/^a\{/, '').replace(/\}$/, '') : minified;
  const split = body.split(/--lit-placeholder-\d+:0/);
  if (split.length !== parts.length) throw new Error(`minify-lit-templates: ${where}: a css\`\` interpolation was moved or dropped`);
  return split;
}

/** The escaped text of a template part, as it must appear in the source again. */
function escapeTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

interface Quasi {
  start: number;
  end: number;
  value: { raw: string; cooked: string | null };
}

/** Rewrites every css``, html`` and svg`` literal of a module's source. */
export function minifyLitTemplates(code: string, id: string): string {
  const { program, errors } = parseSync(id, code);
  if (errors.length > 0) throw new Error(`minify-lit-templates: ${id}: ${errors[0]!.message}`);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  new Visitor({
    TaggedTemplateExpression(node) {
      if (node.tag.type !== 'Identifier' || !['css', 'html', 'svg'].includes(node.tag.name)) return;
      // A part's span may include its delimiters (` ${ }): place its text by the opening one.
      const quasis = (node.quasi.quasis as unknown as Quasi[]).map((q) => {
        const start = code[q.start] === '`' || code[q.start] === '}' ? q.start + 1 : q.start;
        return { start, end: start + q.value.raw.length, value: q.value };
      });
      // Only literals whose parts have no escapes (cooked === raw) are safe to re-escape.
      if (quasis.some((q) => q.value.cooked !== q.value.raw || code.slice(q.start, q.end) !== q.value.raw)) return;
      const parts = quasis.map((q) => q.value.cooked!);
      const where = `${id}:${node.start}`;
      const minified = node.tag.name === 'css' ? minifyCssParts(parts, where) : minifyHtmlParts(parts);
      quasis.forEach((q, i) => edits.push({ start: q.start, end: q.end, text: escapeTemplate(minified[i]!) }));
    },
  }).visit(program);
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The vite plugin: `minifyLitTemplates` on the widget's TypeScript sources that import from lit. */
export function minifyLitTemplatesPlugin(): Plugin {
  return {
    name: 'agent-chat:minify-lit-templates',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]widget[\\/]src[\\/].*\.ts$/, code: /from 'lit'/ },
      handler(code, id) {
        return { code: minifyLitTemplates(code, id), map: null };
      },
    },
  };
}
