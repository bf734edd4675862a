import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { renderMarkdown } from '../src/markdown/render-markdown.ts';
import { peerSession } from './support/peer.ts';

/*
 * Rendering a streamed answer: text deltas received before the next animation frame are
 * rendered once, together. Against the scripted protocol peer over a real WebSocket: "burst"
 * answers with a long markdown text as ~500 deltas sent at once (each its own WebSocket message,
 * so each its own task in the page), "essay" with the same text at a model's pace.
 */

const wait = { timeout: 15_000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

async function mount(): Promise<AgentChat> {
  const session = await peerSession();
  const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 480px"></agent-chat>`);
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  return el;
}

/** The assistant message being streamed, if any. */
function streamingText(el: AgentChat): string | null {
  const item = el.viewModel.items.at(-1);
  return item?.type === 'assistant_message' && item.status === 'in_progress' ? item.text : null;
}

/** The next assistant message that reached its final state (the visitor's own comes first). */
function assistantDone(el: AgentChat): Promise<{ type: string; text: string }> {
  return new Promise((resolve) => {
    const on = (event: Event) => {
      const { item } = (event as CustomEvent).detail;
      if (item.type !== 'assistant_message') return;
      el.removeEventListener('agent-chat-message', on);
      resolve(item);
    };
    el.addEventListener('agent-chat-message', on);
  });
}

/** Tag names and text of every element under `root`: the DOM's shape, free of Lit's comment markers. */
function shape(root: Element): string[] {
  return [...root.querySelectorAll('*')].map((e) => `${e.localName}${e.getAttribute('role') ? `[${e.getAttribute('role')}]` : ''}:${e.children.length ? '' : e.textContent}`);
}

describe('<agent-chat> streaming: one render per animation frame', () => {
  beforeEach(() => localStorage.clear());

  it('renders a burst of deltas once per frame, not once per delta, and ends with the same DOM as one render', async function () {
    this.timeout(30_000);
    const el = await mount();
    // Every render that showed the reply in progress, with the animation frame it belonged to.
    const renders: Array<{ frame: number | null; text: string }> = [];
    el.addController({
      hostUpdated: () => {
        const text = streamingText(el);
        if (text) renders.push({ frame: Number(document.timeline.currentTime), text });
      },
    });
    const done = assistantDone(el);
    expect(el.send('burst please')).to.equal(true);
    const final = (await done).text;
    expect(final.length, 'a long answer').to.be.greaterThan(1500);

    // The peer sent the text in 4-character deltas, 100 at a time with a pause between (so a
    // frame comes even on a busy machine): hundreds of WebSocket messages, each its
    // own task in the page, yet only a few renders showed them.
    const deltas = Math.ceil(final.length / 4);
    expect(renders.length, 'renders while streaming').to.be.greaterThan(0);
    expect(renders.length, `${renders.length} renders for ${deltas} deltas`).to.be.lessThan(deltas / 5);
    // Never two renders of the stream in one animation frame.
    const frames = renders.map((r) => r.frame);
    expect(new Set(frames).size, `frames: ${frames.join(', ')}`).to.equal(frames.length);
    // Each render showed a longer prefix of the final text: nothing lost or reordered.
    for (const [i, r] of renders.entries()) {
      expect(final.startsWith(r.text), `render ${i}`).to.equal(true);
      if (i > 0) expect(r.text.length).to.be.greaterThan(renders[i - 1]!.text.length);
    }

    // The finished message has exactly the DOM of the whole text rendered at once.
    await el.updateComplete;
    const bubble = part(el, 'assistant-message')!.querySelector('.bubble')!;
    const whole = document.createElement('div');
    render(renderMarkdown(final), whole);
    expect(shape(bubble)).to.deep.equal(shape(whole));
    expect(bubble.querySelectorAll('table')).to.have.length(6);
    expect(bubble.querySelectorAll('pre code')).to.have.length(6);
  });

  it('renders the deltas of a paced stream as they come, and other events at once', async function () {
    this.timeout(30_000); // the whole answer streams, on a machine that may be busy
    const el = await mount();
    const texts: string[] = [];
    el.addController({
      hostUpdated: () => {
        const text = streamingText(el);
        if (text && text !== texts.at(-1)) texts.push(text);
      },
    });
    const done = assistantDone(el);
    expect(el.send('essay please')).to.equal(true);
    // A new item (not a delta) is rendered without waiting for a frame.
    await waitUntil(() => streamingText(el) !== null, 'no reply started', wait);
    await el.updateComplete;
    expect(part(el, 'assistant-message'), 'the new reply is on screen').to.not.equal(null);
    expect(part(el, 'messages')!.getAttribute('aria-busy'), 'the new reply shows at once').to.equal('true');
    const final = (await done).text;
    // At 20 ms a delta, a frame seldom holds more than one or two: the text grew in many steps.
    expect(texts.length, 'renders of the growing text').to.be.greaterThan(20);
    for (const text of texts) expect(final.startsWith(text)).to.equal(true);
    await el.updateComplete;
    expect(part(el, 'assistant-message')!.querySelector('.cursor'), 'no cursor once done').to.equal(null);
    el.remove();
  });
});
