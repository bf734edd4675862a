import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession } from './support/peer.ts';

/*
 * Scroll pinning while an answer streams, against the scripted protocol peer over a real
 * WebSocket: "essay" streams a long markdown answer at a model's pace (20 ms a delta).
 */

const wait = { timeout: 15_000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function log(el: AgentChat): HTMLElement {
  return part(el, 'messages')!;
}
const fromBottom = (list: HTMLElement) => list.scrollHeight - list.scrollTop - list.clientHeight;
const streamedLength = (el: AgentChat) => {
  const item = el.viewModel.items.at(-1);
  return item?.type === 'assistant_message' ? item.text.length : 0;
};
const streaming = (el: AgentChat) => el.viewModel.items.some((i) => i.type === 'assistant_message' && i.status === 'in_progress');

/** An inline widget 320px high that is streaming the long answer, already taller than the log. */
async function streamEssay(): Promise<AgentChat> {
  const session = await peerSession();
  const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 320px"></agent-chat>`);
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  expect(el.send('essay please')).to.equal(true);
  await waitUntil(() => streaming(el) && log(el).scrollHeight > log(el).clientHeight * 2, 'the answer never overflowed', wait);
  return el;
}

/** Waits until the streamed answer grew by `chars` more characters, and lets the frame render. */
async function moreText(el: AgentChat, chars = 60): Promise<void> {
  const length = streamedLength(el);
  // Or the answer ended: its last piece may be shorter than `chars`.
  await waitUntil(() => streamedLength(el) > length + chars || !streaming(el), 'no more text', wait);
  await nextFrame();
  await nextFrame();
}

/** Replaces `matchMedia` so that `prefers-reduced-motion: reduce` answers `reduce`, until restored. */
function preferReducedMotion(reduce: boolean): () => void {
  const original = window.matchMedia;
  window.matchMedia = (query: string) =>
    query.includes('prefers-reduced-motion') ? ({ matches: reduce === query.includes('reduce'), media: query } as MediaQueryList) : original.call(window, query);
  return () => (window.matchMedia = original);
}

describe('<agent-chat> streaming: scroll pinning', () => {
  beforeEach(() => localStorage.clear());

  it('stays pinned to the bottom while an answer streams, with no jump button', async function () {
    this.timeout(30_000); // the whole answer streams, on a machine that may be busy
    const el = await streamEssay();
    const list = log(el);
    // Sampled between frames while the answer grows: always at the end.
    const samples: number[] = [];
    while (streaming(el) && samples.length < 40) {
      await moreText(el, 24);
      if (!streaming(el)) break; // sampled while the answer grows, not as it ends
      samples.push(fromBottom(list));
      expect(part(el, 'jump-button'), 'no jump button at the bottom').to.equal(null);
    }
    expect(samples.length, 'sampled while streaming').to.be.greaterThan(5);
    expect(Math.max(...samples), `distances from the bottom: ${samples.join(', ')}`).to.be.at.most(1);
    el.remove();
  });

  it('scrolled up: keeps the position while text arrives, offers "Jump to latest", which goes to the end and pins again', async function () {
    this.timeout(30_000);
    const restore = preferReducedMotion(false);
    try {
      const el = await streamEssay();
      const list = log(el);
      list.scrollTop = 40;
      await nextFrame();
      await moreText(el);
      expect(list.scrollTop, 'the reader is not moved').to.equal(40);
      await moreText(el);
      expect(list.scrollTop, 'still not moved').to.equal(40);
      expect(fromBottom(list)).to.be.greaterThan(100);

      const button = part(el, 'jump-button') as HTMLButtonElement;
      expect(button, 'jump button shown').to.not.equal(null);
      expect(button.getAttribute('aria-label')).to.equal('Jump to latest message');
      expect(button.textContent!.trim()).to.equal('Jump to latest');
      expect(log(el).contains(button), 'outside the live region').to.equal(false);
      // Keyboard reachable: a real button, in the tab order.
      expect(button.localName).to.equal('button');
      button.focus();
      expect(el.shadowRoot!.activeElement).to.equal(button);
      await expect(el).shadowDom.to.be.accessible();

      button.click();
      await waitUntil(() => fromBottom(list) <= 1, 'never reached the bottom', wait);
      await el.updateComplete;
      expect(part(el, 'jump-button'), 'button gone').to.equal(null);
      expect(el.shadowRoot!.activeElement, 'focus stays in the conversation').to.equal(list);
      // Pinned again: the stream is followed.
      if (streaming(el)) {
        await moreText(el);
        expect(fromBottom(list)).to.be.at.most(1);
      }
      el.remove();
    } finally {
      restore();
    }
  });

  it('jumps smoothly by default and at once when the visitor prefers reduced motion', async function () {
    this.timeout(30_000);
    for (const reduce of [true, false]) {
      const restore = preferReducedMotion(reduce);
      try {
        const el = await streamEssay();
        const list = log(el);
        const asked: Array<ScrollBehavior | undefined> = [];
        const scrollTo = list.scrollTo.bind(list);
        list.scrollTo = ((options: ScrollToOptions) => {
          asked.push(options.behavior);
          scrollTo(options);
        }) as typeof list.scrollTo;
        list.scrollTop = 0;
        await nextFrame();
        await waitUntil(() => part(el, 'jump-button') !== null, 'no jump button', wait);
        (part(el, 'jump-button') as HTMLButtonElement).click();
        expect(asked, reduce ? 'reduced motion: at once' : 'smooth').to.deep.equal([reduce ? 'instant' : 'smooth']);
        await waitUntil(() => fromBottom(list) <= 1, 'never reached the bottom', wait);
        el.remove();
      } finally {
        restore();
      }
    }
  });

  it('sending a message while scrolled up brings the view back to the end', async function () {
    this.timeout(30_000);
    const el = await streamEssay();
    const list = log(el);
    await waitUntil(() => !streaming(el) && el.viewModel.activeRunId === null, 'the answer never finished', { timeout: 20_000, interval: 50 });
    list.scrollTop = 0;
    await nextFrame();
    await waitUntil(() => part(el, 'jump-button') !== null, 'no jump button', wait);
    expect(el.send('one more question')).to.equal(true);
    await waitUntil(() => fromBottom(list) <= 1 && part(el, 'jump-button') === null, 'not back at the end', wait);
    el.remove();
  });
});
