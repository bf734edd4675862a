import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { renderMarkdown } from '../src/markdown/render-markdown.ts';
import { safeHref } from '../src/markdown/render-inline.ts';

/** Renders markdown into a detached container and returns it. */
function md(source: string): HTMLElement {
  const host = document.createElement('div');
  render(renderMarkdown(source), host);
  return host;
}

/** The container's elements, by tag name, ignoring Lit's comment markers. */
function tags(host: HTMLElement): string[] {
  return [...host.querySelectorAll('*')].map((e) => e.localName);
}

describe('renderMarkdown: formatting', () => {
  it('renders paragraphs, line breaks, bold, italic, code and strikethrough', () => {
    const host = md('Hello **bold** and *it* and _it2_ with `x < y`\nnext line\n\nSecond ~~old~~');
    const ps = host.querySelectorAll('p');
    expect(ps).to.have.length(2);
    expect(ps[0]!.querySelector('strong')!.textContent).to.equal('bold');
    expect([...ps[0]!.querySelectorAll('em')].map((e) => e.textContent)).to.deep.equal(['it', 'it2']);
    expect(ps[0]!.querySelector('code')!.textContent).to.equal('x < y');
    expect(ps[0]!.querySelector('br')).to.exist;
    expect(ps[1]!.querySelector('del')!.textContent).to.equal('old');
  });

  it('keeps snake_case words and lone asterisks literal', () => {
    const host = md('call get_order_status with 2 * 3 * 4');
    expect(host.querySelector('em') === null, 'no element for host.querySelector("em")').to.equal(true);
    expect(host.textContent!.trim()).to.equal('call get_order_status with 2 * 3 * 4');
  });

  it('renders fenced code verbatim, including markdown and HTML inside', () => {
    const host = md('```js\nconst a = "**not bold**";\n<b>x</b>\n```\nafter');
    const code = host.querySelector('pre code')!;
    expect(code.textContent).to.equal('const a = "**not bold**";\n<b>x</b>');
    expect(code.getAttribute('data-lang')).to.equal('js');
    expect(code.querySelector('b, strong') === null, 'no element for code.querySelector("b, strong")').to.equal(true);
    expect(host.querySelector('p')!.textContent!.trim()).to.equal('after');
  });

  it('renders an unterminated fence (mid-stream) as code so far', () => {
    const host = md('Look:\n```\nline one');
    expect(host.querySelector('pre code')!.textContent).to.equal('line one');
  });

  it('renders bullet and numbered lists, with nesting', () => {
    const host = md('- one\n- **two**\n  - nested\n\n3. three\n4. four');
    const ul = host.querySelector('ul')!;
    expect(ul.children).to.have.length(2);
    expect(ul.querySelector('strong')!.textContent).to.equal('two');
    expect(ul.querySelector('li ul li')!.textContent!.trim()).to.equal('nested');
    const ol = host.querySelector('ol')!;
    expect(ol.getAttribute('start')).to.equal('3');
    expect([...ol.children].map((li) => li.textContent!.trim())).to.deep.equal(['three', 'four']);
  });

  it('renders headings as headings below the widget title, and block quotes', () => {
    const host = md('# Title\n### Small\n> quoted *text*');
    const headings = host.querySelectorAll('[role="heading"]');
    expect([...headings].map((h) => [h.textContent!.trim(), h.getAttribute('aria-level')])).to.deep.equal([
      ['Title', '3'],
      ['Small', '5'],
    ]);
    expect(host.querySelector('blockquote em')!.textContent).to.equal('text');
  });

  it('renders safe links with noopener and a new tab, and bare URLs', () => {
    const host = md('See [the docs](https://example.com/a_b?x=1) or https://example.org/path. Mail [us](mailto:help@example.com)');
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.com/a_b?x=1',
      'https://example.org/path',
      'mailto:help@example.com',
    ]);
    for (const a of links) {
      expect(a.getAttribute('rel')).to.equal('noopener noreferrer');
      expect(a.getAttribute('target')).to.equal('_blank');
    }
    expect(links[0]!.textContent).to.equal('the docs');
    expect(host.textContent).to.contain('https://example.org/path.'); // the period stays text
  });
});

describe('renderMarkdown: model text is inert', () => {
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).__pwned;
  });

  it('renders script tags as text', () => {
    const host = md('<script>window.__pwned = 1</script> hi');
    expect(host.querySelector('script') === null, 'no element for host.querySelector("script")').to.equal(true);
    expect(host.textContent).to.contain('<script>window.__pwned = 1</script>');
    expect((window as unknown as Record<string, unknown>).__pwned).to.equal(undefined);
  });

  it('renders img/onerror and other HTML as text, never as elements or attributes', async () => {
    const host = md('<img src=x onerror="window.__pwned=1"> **<b onclick="x()">b</b>** <iframe src="javascript:alert(1)"></iframe>');
    document.body.append(host);
    await new Promise((r) => setTimeout(r, 50)); // give a (wrongly) created <img> time to error
    host.remove();
    expect(tags(host)).to.deep.equal(['p', 'strong']);
    expect([...host.querySelectorAll('*')].every((e) => e.getAttributeNames().length === 0)).to.equal(true);
    expect(host.textContent).to.contain('<img src=x onerror="window.__pwned=1">');
    expect((window as unknown as Record<string, unknown>).__pwned).to.equal(undefined);
  });

  it('refuses javascript:, data: and relative links, in any spelling', () => {
    const host = md(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,<script>alert(1)</script>) [d](/relative) [e](vbscript:x) [f]( javascript:alert(1))',
    );
    expect(host.querySelector('a') === null, 'no element for host.querySelector("a")').to.equal(true);
    expect(host.querySelectorAll('*')).to.have.length(1); // just the paragraph
    const text = host.textContent!.replace(/\s+/g, ' ').trim();
    expect(text.startsWith('a b ')).to.equal(true);
    expect(text.endsWith(' d e f')).to.equal(true);
  });

  it('safeHref accepts only absolute http(s) and mailto URLs', () => {
    expect(safeHref('https://example.com/x')).to.equal('https://example.com/x');
    expect(safeHref('http://example.com')).to.equal('http://example.com/');
    expect(safeHref('mailto:a@b.c')).to.equal('mailto:a@b.c');
    expect(safeHref('javascript:alert(1)')).to.equal(null);
    expect(safeHref('\tjava\nscript:alert(1)')).to.equal(null);
    expect(safeHref('//evil.example/x')).to.equal(null);
    expect(safeHref('data:text/html,x')).to.equal(null);
  });

  it('does not nest links inside link text', () => {
    const host = md('[see https://example.com](https://example.org)');
    expect(host.querySelectorAll('a')).to.have.length(1);
    expect(host.querySelector('a')!.getAttribute('href')).to.equal('https://example.org/');
  });

  it('survives pathological input without hanging', () => {
    const started = performance.now();
    const nasty = `${'*'.repeat(5000)} ${'['.repeat(2000)}${'_a'.repeat(2000)} ${'`'.repeat(3000)}\n${'- '.repeat(500)}x`;
    const host = md(nasty);
    expect(host.textContent!.length).to.be.greaterThan(1000);
    expect(performance.now() - started).to.be.lessThan(2000);
  });
});
