import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { pressKey } from './support/keys.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * "Show earlier messages" against the scripted protocol peer: a thread seeded with N messages
 * ("Message 1".."Message N", ids it_m1..it_mN) is opened with the newest 50 and `hasMore` when
 * N > 50; `thread.history` pages back 50 at a time (docs/protocol.md, Requests).
 */

const wait = { timeout: 5000, interval: 20 };

function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}
function log(el: AgentChat): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('[part~="messages"]')!;
}
/** The control: a button, first in the conversation log (message-list.ts; it has no part of its own). */
function earlierButton(el: AgentChat): HTMLButtonElement | null {
  return el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="earlier-button"]');
}
/**
 * Whether the control is shown. Assertions compare this boolean, never the element: a failing
 * assertion on a DOM node makes the runner try to serialise it and hang instead of failing.
 */
function showsControl(el: AgentChat): boolean {
  return earlierButton(el) !== null;
}
/** The texts of the rendered messages, top to bottom. */
function texts(el: AgentChat): string[] {
  return parts(el, 'message').map((m) => m.querySelector('.bubble')!.textContent!.trim());
}
function messageWithText(el: AgentChat, text: string): HTMLElement {
  return parts(el, 'message').find((m) => m.querySelector('.bubble')!.textContent!.trim() === text)!;
}
/** "Message a".."Message b". */
function range(a: number, b: number): string[] {
  return Array.from({ length: b - a + 1 }, (_, i) => `Message ${a + i}`);
}
async function historyRequests(session: PeerSession) {
  return (await session.frames()).filter((f) => f.frame.type === 'thread.history');
}

/** Mounts an inline widget that reopens a seeded thread of `count` messages (as after a reload). */
async function mountThread(session: PeerSession, count: number): Promise<AgentChat> {
  const threadId = await session.thread(count);
  localStorage.setItem(`agent-chat:${session.server}/:thread:support`, threadId);
  const el = await fixture<AgentChat>(
    html`<agent-chat mode="inline" server=${session.server} workflow="support" style="height: 480px"></agent-chat>`,
  );
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  await el.updateComplete;
  expect(el.viewModel.thread!.id).to.equal(threadId);
  // The widget pins the log to the newest message once the browser has laid the thread out (a
  // ResizeObserver, a frame later): a test that scrolled before that would be sent back down.
  await waitUntil(() => {
    const list = log(el);
    return list.scrollHeight <= list.clientHeight || list.scrollHeight - list.scrollTop - list.clientHeight <= 1;
  }, 'never pinned to the newest message', wait);
  await nextFrame();
  return el;
}

/** Scrolls the log to the top (or near it), where the visitor finds the control, and lets a frame render. */
async function scrollToTop(el: AgentChat, offset = 0): Promise<void> {
  log(el).scrollTop = offset;
  await nextFrame();
}

/** Where an element's top is, relative to the top of the log's visible area. */
function offsetInLog(el: AgentChat, target: HTMLElement): number {
  return target.getBoundingClientRect().top - log(el).getBoundingClientRect().top;
}

/**
 * The message the visitor was reading (`anchor`, `before` px below the log's top) is still in
 * view, where it was, after older messages were added above it: no jump to the top or bottom.
 */
function expectKeptInPlace(el: AgentChat, anchor: HTMLElement, before: number): void {
  const list = log(el);
  const after = offsetInLog(el, anchor);
  expect(after, 'still in view').to.be.within(0, list.clientHeight - 1);
  expect(Math.abs(after - before), `moved from ${before} to ${after}`).to.be.at.most(2);
  expect(list.scrollTop, 'not left at the top').to.be.greaterThan(0);
  expect(list.scrollHeight - list.scrollTop - list.clientHeight, 'not sent to the bottom').to.be.greaterThan(100);
}

describe('<agent-chat> earlier messages', () => {
  beforeEach(() => localStorage.clear());

  it('offers "Show earlier messages" only when thread.opened says hasMore', async () => {
    const fifty = await mountThread(await peerSession(), 50);
    expect(texts(fifty)).to.deep.equal(range(1, 50));
    expect(fifty.viewModel.hasMore).to.equal(false);
    expect(showsControl(fifty), '50 items: nothing older').to.equal(false);
    fifty.remove();

    const session = await peerSession();
    const sixty = await mountThread(session, 60);
    expect(texts(sixty), 'the newest 50').to.deep.equal(range(11, 60));
    expect(showsControl(sixty), '60 items: older ones exist').to.equal(true);
    const button = earlierButton(sixty)!;
    expect(button.textContent!.trim()).to.equal('Show earlier messages');
    expect(button.type).to.equal('button');
    expect(button.compareDocumentPosition(messageWithText(sixty, 'Message 11')) & Node.DOCUMENT_POSITION_FOLLOWING, 'above the messages').to.not.equal(0);
    await expect(sixty).shadowDom.to.be.accessible();
    expect(await historyRequests(session), 'nothing is loaded until the visitor asks').to.have.length(0);
  });

  it('a click sends one thread.history, shows the older messages above, keeps the reader in place', async () => {
    const session = await peerSession();
    const el = await mountThread(session, 60);
    const threadId = el.viewModel.thread!.id;
    await scrollToTop(el);
    const anchor = messageWithText(el, 'Message 11');
    const before = offsetInLog(el, anchor);
    expect(before, 'the first message is in view').to.be.within(0, log(el).clientHeight - 1);
    const seen: Array<{ offset: number; count: number }> = [];
    el.addController({ hostUpdated: () => seen.push({ offset: offsetInLog(el, anchor), count: texts(el).length }) });

    earlierButton(el)!.click();
    await waitUntil(async () => (await historyRequests(session)).length > 0, 'no thread.history', wait);
    const { frame } = (await historyRequests(session))[0]!;
    expect(frame).to.include({ type: 'thread.history', threadId, beforeItemId: 'it_m11' });
    expect(frame.id, 'a request id, so the answer is matched').to.be.a('string').and.not.equal('');
    if ('limit' in frame) expect(frame.limit).to.be.within(1, 100);
    await waitUntil(() => texts(el).length === 60, 'older messages never rendered', wait);
    await nextFrame();
    await nextFrame();
    expect(await historyRequests(session), 'exactly one request').to.have.length(1);

    expect(texts(el), 'older ones above, all in order').to.deep.equal(range(1, 60));
    expect(showsControl(el), 'the answer said hasMore: false').to.equal(false);
    expect(el.viewModel.hasMore).to.equal(false);

    // The message the visitor was looking at stays where it was.
    expectKeptInPlace(el, anchor, before);
    const list = log(el);
    expect(messageWithText(el, 'Message 1').getBoundingClientRect().bottom, 'the new ones are above, out of view').to.be.at.most(list.getBoundingClientRect().top);
    for (const s of seen.filter((x) => x.count === 60)) expect(s.offset, 'no jump in any rendered update').to.be.within(0, list.clientHeight - 1);
  });

  it('works from the keyboard: Enter on the focused control loads the older messages', async () => {
    const session = await peerSession();
    const el = await mountThread(session, 60);
    await scrollToTop(el, 12); // not quite at the top: the control is still partly in view
    const anchor = messageWithText(el, 'Message 11');
    const before = offsetInLog(el, anchor);
    earlierButton(el)!.focus();
    expect(el.shadowRoot!.activeElement === earlierButton(el), 'the control has focus').to.equal(true);
    await pressKey('Enter');
    await waitUntil(() => texts(el).length === 60, 'older messages never rendered', wait);
    const requests = await historyRequests(session);
    expect(requests).to.have.length(1);
    expect(requests[0]!.frame).to.include({ beforeItemId: 'it_m11' });
    expect(texts(el)).to.deep.equal(range(1, 60));
    expect(showsControl(el)).to.equal(false);
    await nextFrame();
    expectKeptInPlace(el, anchor, before);
    // The focused control is gone: focus stays in the conversation, not on the page body.
    expect(el.shadowRoot!.activeElement === log(el), 'the conversation log has focus').to.equal(true);
  });

  it('does not send a second request while one is in flight, and pages on with the new oldest id', async () => {
    const session = await peerSession();
    const el = await mountThread(session, 110);
    expect(texts(el)).to.deep.equal(range(61, 110));
    await scrollToTop(el);
    await session.hold();
    earlierButton(el)!.click();
    await waitUntil(async () => (await historyRequests(session)).length === 1, 'no thread.history', wait);
    // Impatient visitor: click again and press Enter while the answer is still on its way.
    earlierButton(el)!.click();
    earlierButton(el)!.focus();
    await pressKey('Enter');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await historyRequests(session), 'no duplicate while in flight').to.have.length(1);
    expect(texts(el), 'nothing shown before the answer').to.deep.equal(range(61, 110));

    await session.release();
    await waitUntil(() => texts(el).length === 100, 'first page never rendered', wait);
    expect(texts(el)).to.deep.equal(range(11, 110));
    expect(showsControl(el), 'the answer said hasMore: true').to.equal(true);

    // The answer is in: the next activation asks for the page before the new oldest item.
    await scrollToTop(el);
    earlierButton(el)!.click();
    await waitUntil(() => texts(el).length === 110, 'second page never rendered', wait);
    const requests = await historyRequests(session);
    expect(requests.map((r) => r.frame.beforeItemId)).to.deep.equal(['it_m61', 'it_m11']);
    expect(new Set(requests.map((r) => r.frame.id)).size, 'distinct request ids').to.equal(2);
    expect(texts(el)).to.deep.equal(range(1, 110));
    expect(showsControl(el)).to.equal(false);
  });

  it('a request lost with a dropped socket does not block the control after reconnecting', async () => {
    const session = await peerSession();
    const el = await mountThread(session, 60);
    await session.hold();
    earlierButton(el)!.click();
    await waitUntil(async () => (await historyRequests(session)).length === 1, 'no thread.history', wait);
    await session.drop();
    await waitUntil(() => el.viewModel.connection === 'reconnecting', 'never saw the drop', wait);
    await session.release(); // the answer had nowhere to go: its socket is gone
    await waitUntil(() => el.viewModel.connection === 'connected', 'never reconnected', { timeout: 8000, interval: 50 });
    await el.updateComplete;
    expect(texts(el), 'the resume keeps what was shown').to.deep.equal(range(11, 60));
    earlierButton(el)!.click();
    await waitUntil(() => texts(el).length === 60, 'older messages never rendered after reconnecting', wait);
    const requests = await historyRequests(session);
    expect(requests).to.have.length(2);
    expect(requests[1]!.conn, 'sent on the new connection').to.be.greaterThan(requests[0]!.conn);
    expect(requests[1]!.frame).to.include({ beforeItemId: 'it_m11' });
    expect(texts(el)).to.deep.equal(range(1, 60));
  });
});
