import { expect, waitUntil } from '@open-wc/testing';
import type { AgentChat } from '../src/agent-chat.component.ts';
import { peerSession } from './support/peer.ts';

/*
 * The BUILT bundle (widget/dist/widget.js, with its minified css``/html`` literals and its
 * tree-shaken marked) renders exactly what the sources render: the same conversation in two
 * same-sized frames, one loading the bundle and one the TypeScript sources, compared element
 * by element (tag, attributes, computed style) and text by text. Whitespace in text may differ
 * only where the element's white-space collapses it.
 */

const wait = { timeout: 8000, interval: 20 };
/** Markdown (code block, table, list, quote, links), a user message kept on several lines. */
const VISITOR_TEXT = 'Show me markdown please\n  with an indented line';

async function frame(script: string, server: string): Promise<AgentChat> {
  const iframe = document.createElement('iframe');
  iframe.style.cssText = 'width:420px;height:640px;border:0';
  iframe.srcdoc = `<!doctype html><html><head>${script}</head><body style="margin:0">
<agent-chat mode="inline" theme="light" server="${server}" style="height:600px"></agent-chat></body></html>`;
  const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  document.body.append(iframe);
  await loaded;
  const win = iframe.contentWindow as Window & typeof globalThis;
  await win.customElements.whenDefined('agent-chat');
  const el = win.document.querySelector('agent-chat') as AgentChat;
  await waitUntil(() => el.viewModel?.thread, 'no thread', wait);
  return el;
}

async function converse(el: AgentChat): Promise<void> {
  expect(el.send(VISITOR_TEXT)).to.equal(true);
  await waitUntil(() => el.viewModel.lastRun && el.viewModel.activeRunId === null, 'no reply', wait);
  await el.updateComplete;
}

/** White-space values under which a whitespace run is shown as it is. */
const KEEPS_WHITESPACE = new Set(['pre', 'pre-wrap', 'break-spaces']);

/** Elements and texts of a shadow tree in document order, with what must match. */
function describeTree(root: ShadowRoot): string[] {
  const out: string[] = [];
  const view = root.host.ownerDocument.defaultView!;
  const walk = (node: Node): void => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.ELEMENT_NODE) {
        const el = child as Element;
        const style = view.getComputedStyle(el);
        const attributes = el
          .getAttributeNames()
          .sort()
          // The two conversations ran a few ms apart: their times differ, not their markup.
          .map((name) => `${name}=${name === 'datetime' ? '(time)' : el.getAttribute(name)}`);
        const tag = `<${el.localName} ${attributes.join(' ')}>`;
        // Custom properties compute to their text (#fff is not #ffffff there); what they
        // style shows in the properties that use them.
        // Without a background image its position paints nothing (the minifier writes
        // `background: none` as `background: 0 0`).
        const noImage = style.backgroundImage === 'none';
        const properties = Array.from(style).filter((name) => !name.startsWith('--') && !(noImage && name.startsWith('background-position')));
        out.push(tag, ...properties.map((name) => `${tag} ${name}: ${style.getPropertyValue(name)}`));
        walk(el);
      } else if (child.nodeType === Node.TEXT_NODE) {
        const parent = child.parentElement;
        const keeps = parent ? KEEPS_WHITESPACE.has(view.getComputedStyle(parent).whiteSpace) : false;
        const text = parent?.localName === 'time' ? '(time)' : keeps ? child.textContent! : child.textContent!.replace(/\s+/g, ' ');
        if (text !== ' ' || keeps) out.push(`"${text}"`);
      }
    }
  };
  walk(root);
  return out;
}

describe('widget.js as built', () => {
  it('renders a conversation exactly as the sources do (elements, attributes, computed styles, texts)', async () => {
    const built = await frame('<script type="module" src="/widget/dist/widget.js"></script>', (await peerSession()).server);
    const source = await frame('<script type="module" src="/widget/src/agent-chat.ts"></script>', (await peerSession()).server);
    await Promise.all([converse(built), converse(source)]);
    const [fromBundle, fromSource] = [describeTree(built.shadowRoot!), describeTree(source.shadowRoot!)];
    // The conversation is there: the visitor's lines as typed, the rendered markdown.
    expect(fromSource.some((line) => line.includes('"Show me markdown please\n  with an indented line"'))).to.equal(true);
    expect(fromSource.filter((line) => /^<(strong|li) [^>]*>$/.test(line)).length).to.equal(3);
    const differences = fromBundle.flatMap((line, i) => (line === fromSource[i] ? [] : [`bundle: ${line}\nsource: ${fromSource[i]}`]));
    expect(differences.slice(0, 10).join('\n')).to.equal('');
    expect(fromBundle.length).to.equal(fromSource.length);
  });

  it('keeps the launcher above the page with the full z-index (a long number the CSS minifier must not round)', async () => {
    const built = await frame('<script type="module" src="/widget/dist/widget.js"></script>', (await peerSession()).server);
    built.setAttribute('mode', 'launcher');
    expect(built.ownerDocument.defaultView!.getComputedStyle(built).zIndex).to.equal('2147483000');
  });
});
