import { render } from 'lit';
import { renderMarkdown } from '../../src/markdown/render-markdown.ts';
import { safeHref, safeImageSrc } from '../../src/markdown/render-inline.ts';

/** One example of the CommonMark or GFM spec: markdown in, the HTML the spec expects out. */
export interface SpecExample {
  readonly section: string;
  readonly number: number;
  readonly markdown: string;
  readonly html: string;
}

/** The CommonMark spec's examples, read from the spec text the `commonmark-spec` package ships. */
export async function commonMarkExamples(): Promise<SpecExample[]> {
  const text = await (await fetch('/node_modules/commonmark-spec/spec.txt')).text();
  const examples: SpecExample[] = [];
  let section = '';
  const tests = text.replace(/^<!-- END TESTS -->[\s\S]*/m, '');
  // The same extraction as the package's own index.js (which reads the file with node:fs).
  const re = /^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$/gm;
  for (let m = re.exec(tests); m; m = re.exec(tests)) {
    if (m[3] !== undefined) section = m[3];
    else examples.push({ section, number: examples.length + 1, markdown: m[1]!.replace(/→/g, '\t'), html: m[2]!.replace(/→/g, '\t') });
  }
  return examples;
}

const MARKDOWN_TAGS = new Set(
  'p h1 h2 h3 h4 h5 h6 pre code blockquote ul ol li em strong a img hr br table thead tbody tr th td del input'.split(' '),
);

/** Whether an example is about raw HTML (passed through by the spec, shown as text here by design). */
export function usesRawHtml(example: SpecExample): boolean {
  if (/^(HTML blocks|Raw HTML|Disallowed Raw HTML)/.test(example.section.replace(/^[\d.]+ /, ''))) return true;
  for (const tag of example.html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)) if (!MARKDOWN_TAGS.has(tag[1]!.toLowerCase())) return true;
  for (const tag of example.markdown.matchAll(/<[A-Za-z/!?][^<>]*>/g)) if (example.html.includes(tag[0])) return true;
  return false;
}

const BLOCK = 'p|h[1-6]|blockquote|ul|ol|li|hr|br|table|thead|tbody|tr|th|td';
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function serialize(node: Node, inPre: boolean): string {
  if (node.nodeType === Node.TEXT_NODE) {
    return escapeText(node.textContent ?? '');
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const el = node as Element;
  const tag = el.localName;
  const attrs = [...el.attributes]
    .map((a) => [a.name, tag === 'a' && a.name === 'href' ? canonicalUrl(a.value) : tag === 'img' && a.name === 'src' ? canonicalUrl(a.value) : a.value])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([name, value]) => ` ${name}="${escapeAttr(value!)}"`)
    .join('');
  let inner = [...el.childNodes].map((child) => serialize(child, inPre || tag === 'pre')).join('');
  if (tag === 'code' && el.parentElement?.localName === 'pre') inner = inner.replace(/\n$/, '');
  return tag === 'hr' || tag === 'br' || tag === 'img' || tag === 'input' ? `<${tag}${attrs}>` : `<${tag}${attrs}>${inner}</${tag}>`;
}

function canonicalUrl(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}

/** Serializes a tree with whitespace between and inside block tags dropped and other runs collapsed. */
function normalize(root: Node): string {
  const out = [...root.childNodes]
    .map((child) => serialize(child, false))
    .join('')
    .split(/(<pre\b[\s\S]*?<\/pre>)/)
    .map((part, n) => (n % 2 === 1 ? part : part.replace(/\s+/g, ' ')))
    .join('');
  return out
    .replace(new RegExp(`\\s*(</?(?:${BLOCK})\\b[^>]*>)\\s*`, 'g'), '$1')
    .replace(/\s*<pre\b/g, '<pre')
    .replace(/<\/pre>\s*/g, '</pre>')
    .trim();
}

function replaceWith(el: Element, nodes: Node[]): void {
  el.replaceWith(...nodes);
}

/**
 * The spec's expected HTML with the widget's deliberate choices applied: links other than
 * http(s)/mailto become their text, images other than https become their alt text.
 */
export function expectedHtml(example: SpecExample): string {
  const template = document.createElement('template');
  template.innerHTML = example.html; // test fixture from the spec, parsed in an inert template
  const root = template.content;
  for (const a of [...root.querySelectorAll('a')]) if (safeHref(a.getAttribute('href') ?? '') === null) replaceWith(a, [...a.childNodes]);
  for (const img of [...root.querySelectorAll('img')]) {
    if (safeImageSrc(img.getAttribute('src') ?? '') === null) replaceWith(img, [document.createTextNode(img.getAttribute('alt') ?? '')]);
  }
  return normalize(root);
}

/**
 * What the widget renders for the example, mapped back to plain HTML for comparison: the
 * heading paragraphs become h1-h6, soft line breaks newlines, the code bar and wrappers go,
 * and attributes that only serve the chat (target, rel, loading, ...) are dropped.
 */
export function renderedHtml(example: SpecExample): string {
  const host = document.createElement('div');
  render(renderMarkdown(example.markdown), host);
  for (const bar of [...host.querySelectorAll('.md-code-bar')]) bar.remove();
  for (const wrap of [...host.querySelectorAll('.md-code, .md-table')]) replaceWith(wrap, [...wrap.childNodes]);
  for (const br of [...host.querySelectorAll('br.md-soft')]) replaceWith(br, [document.createTextNode('\n')]);
  for (const p of [...host.querySelectorAll('p[role="heading"]')]) {
    const h = document.createElement(`h${/md-h(\d)/.exec(p.className)![1]}`);
    h.append(...p.childNodes);
    p.replaceWith(h);
  }
  for (const el of [...host.querySelectorAll('*')]) {
    for (const name of ['target', 'rel', 'loading', 'referrerpolicy', 'data-lang']) el.removeAttribute(name);
  }
  return normalize(host);
}
