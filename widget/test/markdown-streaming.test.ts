import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { lexMarkdown } from '../src/markdown/lex-markdown.ts';
import { renderMarkdown } from '../src/markdown/render-markdown.ts';

/** Streams `text` into a container in chunks of `size` characters, rendering after each. */
function stream(text: string, size: number, onChunk?: (host: HTMLElement) => void): HTMLElement {
  const host = document.createElement('div');
  for (let end = size; end < text.length + size; end += size) {
    render(renderMarkdown(text.slice(0, end)), host);
    onChunk?.(host);
  }
  return host;
}

const ANSWER = [
  '# Plan',
  'First paragraph with **bold** and a [link](https://example.com/a).',
  '- one\n- two\n  - nested',
  '```ts\nconst x = 1;\n```',
  '| a | b |\n| - | -: |\n| 1 | 2 |',
  '> quoted *text*',
  'Last paragraph.',
].join('\n\n');

describe('renderMarkdown: streaming', () => {
  it('lexes a growing text again only from its last block on', () => {
    const first = lexMarkdown('Intro with *emphasis*.\n\n- a\n- b\n\nTail so');
    const second = lexMarkdown('Intro with *emphasis*.\n\n- a\n- b\n\nTail so far');
    expect(first.map((t) => t.type)).to.deep.equal(['paragraph', 'space', 'list', 'space', 'paragraph']);
    // The finished paragraph and list are the very same token objects (so their templates are reused) ...
    expect(second.slice(0, 4)).to.deep.equal(first.slice(0, 4));
    for (let i = 0; i < 4; i++) expect(second[i]).to.equal(first[i]);
    // ... while the last block, which may still change, is lexed again.
    expect(second[4]).to.not.equal(first[4]);
    expect(second[4]!.raw).to.equal('Tail so far');
    // A text that does not continue the first one reuses nothing.
    const other = lexMarkdown('Intro with *emphasis*.\n\n- a\n- b\n- c');
    expect(other[0]).to.not.equal(first[0]);
    expect((other[2] as { items: unknown[] }).items).to.have.length(3);
  });

  it('keeps the DOM of finished blocks while the answer grows', () => {
    let heading: Element | null = null;
    let paragraph: Element | null = null;
    const host = stream(ANSWER, 7, (h) => {
      // Once a later block has started, the first two are finished and must stay the same nodes.
      if (h.querySelector('ul')) {
        heading ??= h.querySelector('[role="heading"]');
        paragraph ??= h.querySelector('p:not([role])');
        expect(h.querySelector('[role="heading"]')).to.equal(heading);
        expect(h.querySelector('p:not([role])')).to.equal(paragraph);
      }
    });
    expect(heading).to.not.equal(null);
    expect(host.querySelector('ul ul li')!.textContent).to.equal('nested');
    expect(host.querySelector('td[align="right"]')!.textContent).to.equal('2');
  });

  it('ends with the same DOM as rendering the whole answer at once', () => {
    const streamed = stream(ANSWER, 3);
    const whole = document.createElement('div');
    render(renderMarkdown(`${ANSWER}\n`), whole); // a different text, so no memoised blocks
    const shape = (host: HTMLElement) => [...host.querySelectorAll('*')].map((e) => `${e.localName}:${e.childNodes.length ? e.textContent : ''}`);
    expect(shape(streamed)).to.deep.equal(shape(whole));
  });

  it('resolves a link whose definition arrives after its use', () => {
    const host = stream('See [the docs][d] for more.\n\nSecond paragraph.\n\n[d]: https://example.com/docs\n', 5);
    expect(host.querySelector('a')!.getAttribute('href')).to.equal('https://example.com/docs');
  });

  it('renders an unclosed fence mid-stream as code, then the text after it once closed', () => {
    const host = document.createElement('div');
    render(renderMarkdown('Look:\n\n```py\nprint(1)\n'), host);
    expect(host.querySelector('pre code')!.textContent).to.equal('print(1)');
    render(renderMarkdown('Look:\n\n```py\nprint(1)\n```\n\n**done**'), host);
    expect(host.querySelector('pre code')!.textContent).to.equal('print(1)');
    expect(host.querySelector('strong')!.textContent).to.equal('done');
  });
});

describe('renderMarkdown: code blocks', () => {
  it('labels the language and copies the code with the copy button', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    render(renderMarkdown('```python extra words\nprint("<b>hi</b>")\n```'), host);
    expect(host.querySelector('.md-code-lang')!.textContent).to.equal('python');
    expect(host.querySelector('code')!.className).to.equal('language-python');
    const copied: string[] = [];
    const clipboard = navigator.clipboard as Clipboard & { writeText: (text: string) => Promise<void> };
    const original = Object.getOwnPropertyDescriptor(clipboard, 'writeText');
    Object.defineProperty(clipboard, 'writeText', { configurable: true, value: async (text: string) => void copied.push(text) });
    try {
      const button = host.querySelector<HTMLButtonElement>('button.md-copy')!;
      expect(button.getAttribute('aria-label')).to.equal('Copy python code');
      button.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(copied).to.deep.equal(['print("<b>hi</b>")']);
      expect(button.textContent).to.equal('Copied');
    } finally {
      if (original) Object.defineProperty(clipboard, 'writeText', original);
      else delete (clipboard as unknown as Record<string, unknown>).writeText;
      host.remove();
    }
  });

  it('offers the copy button without a label when no language is given', () => {
    const host = document.createElement('div');
    render(renderMarkdown('    indented code'), host);
    expect(host.querySelector('.md-code-lang')!.textContent).to.equal('');
    expect(host.querySelector('button.md-copy')!.getAttribute('aria-label')).to.equal('Copy code');
    expect(host.querySelector('pre code')!.textContent).to.equal('indented code');
  });
});
