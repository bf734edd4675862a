import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { renderMarkdown } from '../src/markdown/render-markdown.ts';
import { PATHOLOGICAL } from './support/pathological-markdown.ts';
import { XSS, type PwnedWindow } from './support/xss-corpus.ts';

/** A hang, not a slow machine: the 1 s goal per input is `pnpm bench --only markdown`'s. */
const SANITY_MS = 8_000;

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

describe('renderMarkdown: pathological input', () => {
  for (const [name, source] of Object.entries(PATHOLOGICAL)) {
    // The goal (each under a second) is measured by `pnpm bench --only markdown` on a quiet
    // machine; here a generous bound catches a parser that goes quadratic, not a slow machine.
    it(`renders ${name} without overflowing the stack`, function () {
      this.timeout(SANITY_MS * 2);
      const host = document.createElement('div');
      const started = performance.now();
      render(renderMarkdown(source), host);
      const elapsed = performance.now() - started;
      console.log(`pathological: ${name} (${source.length} chars) ${elapsed.toFixed(0)} ms`);
      expect(host.textContent!.length).to.be.greaterThan(0);
      expect(elapsed).to.be.lessThan(SANITY_MS);
    });
  }

  it('renders a text over 1 MB as plain text', function () {
    this.timeout(SANITY_MS * 2);
    const host = document.createElement('div');
    const source = `**big** ${'`e'.repeat(3_000_000)}`;
    const started = performance.now();
    render(renderMarkdown(source), host);
    expect(performance.now() - started).to.be.lessThan(SANITY_MS);
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
