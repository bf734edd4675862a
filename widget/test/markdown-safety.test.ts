import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { renderMarkdown } from '../src/markdown/render-markdown.ts';
import { XSS, type PwnedWindow } from './support/xss-corpus.ts';

/** Renders markdown into a container attached to the page, so images would load and handlers could fire. */
function mount(source: string): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  render(renderMarkdown(source), host);
  return host;
}


const UNEXPECTED = 'script, style, link, iframe, object, embed, svg, math, form, details, meta, base, textarea, select, button:not(.md-copy)';

describe('renderMarkdown: an XSS corpus in model text', () => {
  afterEach(() => {
    delete (window as PwnedWindow).__pwned;
  });

  it('creates no active element, no handler attribute and no unsafe URL, and nothing runs', async () => {
    const hosts = XSS.map(mount);
    await new Promise((resolve) => setTimeout(resolve, 200)); // time for a (wrongly) created image to fail
    for (const [n, host] of hosts.entries()) {
      const where = `input ${n}: ${XSS[n]}`;
      expect(host.querySelector(UNEXPECTED), where).to.equal(null);
      for (const el of host.querySelectorAll('*')) {
        expect(el.getAttributeNames().filter((name) => name.startsWith('on')), where).to.deep.equal([]);
        expect(['a', 'img', 'input'].includes(el.localName) || !el.hasAttribute('href') && !el.hasAttribute('src'), where).to.equal(true);
      }
      for (const a of host.querySelectorAll('a')) {
        expect(a.getAttribute('href'), where).to.match(/^(https?:\/\/|mailto:)/);
        expect(a.getAttribute('rel'), where).to.equal('noopener noreferrer');
        expect(a.getAttribute('target'), where).to.equal('_blank');
      }
      for (const img of host.querySelectorAll('img')) expect(img.getAttribute('src'), where).to.match(/^https:\/\//);
      for (const input of host.querySelectorAll('input')) {
        expect(input.getAttributeNames().sort(), where).to.deep.equal(['checked', 'disabled', 'type'].filter((a) => a !== 'checked' || input.checked));
      }
      host.remove();
    }
    expect((window as PwnedWindow).__pwned).to.equal(undefined);
  });

  it('shows raw HTML and decoded entities as text', () => {
    const host = mount('<b onclick="x()">bold?</b> &lt;i&gt; &copy; &#35;');
    expect(host.querySelector('b, i')).to.equal(null);
    expect(host.textContent).to.contain('<b onclick="x()">bold?</b> <i> © #');
    host.remove();
  });

  it('links an https image only with no referrer and lazy loading, and keeps a quoted title inert', () => {
    const host = mount('![a cat](https://example.com/cat.png "A \\"cat\\"") [t](https://example.com "x\\" onclick=\\"y")');
    const img = host.querySelector('img')!;
    expect(img.getAttribute('src')).to.equal('https://example.com/cat.png');
    expect([img.alt, img.title, img.referrerPolicy, img.loading]).to.deep.equal(['a cat', 'A "cat"', 'no-referrer', 'lazy']);
    const a = host.querySelector('a')!;
    expect(a.getAttributeNames().sort()).to.deep.equal(['href', 'rel', 'target', 'title']);
    expect(a.title).to.equal('x" onclick="y');
    host.remove();
  });
});

/**
 * Inputs after cmark-gfm's pathological tests, at their sizes where those stay under the
 * 1 MB above which a text renders as plain text (backticks, references and lists are scaled down to fit).
 */
const PATHOLOGICAL: Record<string, string> = {
  'nested strong emphasis': `${'*a **a '.repeat(65000)}b${' a** a*'.repeat(65000)}`,
  'many emphasis closers without openers': 'a_ '.repeat(65000),
  'many emphasis openers without closers': '_a '.repeat(65000),
  'many link closers without openers': 'a]'.repeat(65000),
  'many link openers without closers': '[a'.repeat(65000),
  'mismatched openers and closers': '*a_ '.repeat(50000),
  'openers and closers multiple of 3': `a**b${'c* '.repeat(50000)}`,
  'link openers and emphasis closers': '[ a_'.repeat(50000),
  'pattern [ (]( repeated': '[ (]('.repeat(80000),
  'pattern ![[]() repeated': '![[]()'.repeat(160000),
  'nested brackets': `${'['.repeat(50000)}a${']'.repeat(50000)}`,
  'nested block quotes': `${'> '.repeat(50000)}a`,
  'deeply nested lists': Array.from({ length: 900 }, (_, i) => `${'  '.repeat(i)}* a`).join('\n'),
  'backticks': Array.from({ length: 1400 }, (_, i) => `e${'`'.repeat(i)}`).join(''),
  'unclosed links A': '[a](<b'.repeat(30000),
  'unclosed links B': '[a](b'.repeat(30000),
  'many references': Array.from({ length: 25000 }, (_, i) => `[${i}]: https://example.com/${i}\n`).join('') + '[0] [24999]',
  'huge table': `| a | b | c |\n| - | - | - |\n${'| x | *y* | `z` |\n'.repeat(20000)}`,
  'wide table': `|${'x|'.repeat(5000)}\n|${'-|'.repeat(5000)}\n${`|${'y|'.repeat(5000)}\n`.repeat(10)}`,
};

describe('renderMarkdown: pathological input', () => {
  for (const [name, source] of Object.entries(PATHOLOGICAL)) {
    it(`renders ${name} in under a second without overflowing the stack`, () => {
      const host = document.createElement('div');
      const started = performance.now();
      render(renderMarkdown(source), host);
      const elapsed = performance.now() - started;
      console.log(`pathological: ${name} (${source.length} chars) ${elapsed.toFixed(0)} ms`);
      expect(host.textContent!.length).to.be.greaterThan(0);
      expect(elapsed).to.be.lessThan(1000);
    });
  }

  it('renders a text over 1 MB as plain text, quickly', () => {
    const host = document.createElement('div');
    const source = `**big** ${'`e'.repeat(3_000_000)}`;
    const started = performance.now();
    render(renderMarkdown(source), host);
    expect(performance.now() - started).to.be.lessThan(1000);
    expect(host.querySelector('strong')).to.equal(null);
    expect(host.textContent!.length).to.equal(source.length);
  });

  it('renders a table past its size limits partly or wholly as text rows', () => {
    const host = document.createElement('div');
    render(renderMarkdown(`| a | b |\n| - | - |\n${'| x | y |\n'.repeat(2100)}`), host);
    expect(host.querySelectorAll('tbody tr')).to.have.length(2000);
    expect(host.querySelector('.md-table-rest')!.textContent!.split('\n')).to.have.length(100);
    render(renderMarkdown(`|${'h|'.repeat(100)}\n|${'-|'.repeat(100)}`), host);
    expect(host.querySelector('table')).to.equal(null);
    expect(host.textContent).to.contain('|h|h|');
  });

  it('renders nesting past the depth limit as text', () => {
    const host = document.createElement('div');
    render(renderMarkdown(`${'> '.repeat(30)}deep *text*`), host);
    const quotes = host.querySelectorAll('blockquote');
    expect(quotes.length).to.be.within(5, 12);
    expect(host.querySelector('em')).to.equal(null);
    expect(host.textContent).to.contain('deep *text*');
  });
});
