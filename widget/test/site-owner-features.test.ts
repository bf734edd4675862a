import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * What a site owner turns on, at run time, against the scripted protocol peer over a real
 * WebSocket: starters, position / radius / density / font (bad values fall back and warn
 * once), the thread list, feedback, Retry of a failed reply, the unread dot, timestamps.
 */

const wait = { timeout: 8000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}
async function sent(session: PeerSession, type: string) {
  return (await session.frames()).map((f) => f.frame).filter((f) => f.type === type);
}
async function mount(session: PeerSession, attrs = ''): Promise<AgentChat> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="height: 520px"></div>`,
  );
  wrapper.innerHTML = `<agent-chat mode="inline" workflow="support" style="height: 520px" ${attrs}></agent-chat>`;
  const el = wrapper.querySelector('agent-chat') as AgentChat;
  el.server = session.server;
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  await el.updateComplete;
  return el;
}
async function settle(el: AgentChat): Promise<void> {
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
}
function sendText(el: AgentChat, text: string): void {
  expect(el.send(text), `send "${text}"`).to.equal(true);
}
async function replied(el: AgentChat, count = 1): Promise<void> {
  await waitUntil(
    () => el.viewModel.items.filter((i) => i.type === 'assistant_message' && i.status === 'done').length >= count && !el.viewModel.activeRunId,
    'no finished reply',
    wait,
  );
  await el.updateComplete;
}

/** Collects console.warn calls while `fn` runs. */
async function warnings(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

describe('<agent-chat> site-owner features', () => {
  beforeEach(() => localStorage.clear());

  describe('starters', () => {
    it('shows the prompts on an empty thread, sends the one clicked, and follows the attribute at run time', async function () {
      this.timeout(30_000);
      const session = await peerSession();
      const el = await mount(session, `starters='["  Where is my order?  ","Refund"]'`);
      const buttons = parts(el, 'starter');
      expect(buttons.map((b) => b.textContent)).to.deep.equal(['Where is my order?', 'Refund']);
      // Under the greeting, inside the empty state.
      expect(buttons[0]!.closest('.empty')).to.not.equal(null);

      el.setAttribute('starters', JSON.stringify(['a', '', 'b', 'c', 'd', 'e', 'f', 'g', 'x'.repeat(300)]));
      await settle(el);
      const capped = parts(el, 'starter').map((b) => b.textContent!);
      expect(capped).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f']);

      el.setAttribute('starters', '["Where is my order?"]');
      await settle(el);
      parts(el, 'starter')[0]!.click();
      await waitUntil(async () => (await sent(session, 'message.send')).length === 1, 'no message.send', wait);
      expect((await sent(session, 'message.send'))[0]).to.include({ text: 'Where is my order?' });
      await replied(el);
      expect(parts(el, 'starter')).to.have.length(0);
    });

    it('shows none for invalid JSON or a non-array, with one warning per element', async () => {
      const session = await peerSession();
      let el!: AgentChat;
      const warned = await warnings(async () => {
        el = await mount(session, `starters="not json"`);
        expect(parts(el, 'starter')).to.have.length(0);
        el.setAttribute('starters', '{"a":1}');
        await settle(el);
        expect(parts(el, 'starter')).to.have.length(0);
        el.setAttribute('starters', '[1, 2]');
        await settle(el);
      });
      expect(parts(el, 'starter')).to.have.length(0);
      expect(warned.filter((w) => w.includes('starters'))).to.have.length(1);
      el.setAttribute('starters', '["Fine now"]');
      await settle(el);
      expect(parts(el, 'starter').map((b) => b.textContent)).to.deep.equal(['Fine now']);
    });
  });

  describe('look attributes', () => {
    it('position="bottom-left" moves the launcher and its panel to the left; a bad value keeps the right and warns once', async () => {
      const session = await peerSession();
      const warned = await warnings(async () => {
        const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
        wrapper.innerHTML = '<agent-chat workflow="support" position="bottom-left"></agent-chat>';
        const el = wrapper.querySelector('agent-chat') as AgentChat;
        el.server = session.server;
        await el.show();
        await settle(el);
        const host = el.getBoundingClientRect();
        expect(host.left).to.be.closeTo(20, 1);
        const launcher = part(el, 'launcher')!.getBoundingClientRect();
        const panel = part(el, 'panel')!.getBoundingClientRect();
        expect(launcher.left).to.be.closeTo(20, 1);
        expect(panel.left).to.be.closeTo(20, 1);
        el.setAttribute('position', 'top-middle');
        await settle(el);
        expect(window.innerWidth - el.getBoundingClientRect().right).to.be.closeTo(20, 1);
        expect(window.innerWidth - part(el, 'panel')!.getBoundingClientRect().right).to.be.closeTo(20, 1);
        el.setAttribute('position', 'nowhere');
        await settle(el);
        el.setAttribute('position', 'bottom-right');
        await settle(el);
        expect(window.innerWidth - part(el, 'launcher')!.getBoundingClientRect().right).to.be.closeTo(20, 1);
      });
      expect(warned.filter((w) => w.includes('position'))).to.have.length(1);
    });

    it('radius and font set the theme variables; a bad value keeps the default and warns once; the attribute beats the page variable', async () => {
      const session = await peerSession();
      let el!: AgentChat;
      const radius = () => getComputedStyle(part(el, 'panel')!).borderTopLeftRadius;
      const font = () => getComputedStyle(part(el, 'base')!).fontFamily;
      const warned = await warnings(async () => {
        el = await mount(session, 'radius="4px" font="Georgia, serif"');
        expect(radius()).to.equal('4px');
        expect(font()).to.contain('Georgia');
        el.setAttribute('radius', '0');
        await settle(el);
        expect(radius()).to.equal('0px');
        el.setAttribute('radius', 'round');
        el.setAttribute('font', '12px');
        await settle(el);
        expect(radius()).to.equal('14px');
        expect(font()).to.not.contain('Georgia');
        el.setAttribute('radius', '50%');
        el.setAttribute('font', 'initial');
        await settle(el);
        expect(radius()).to.equal('14px');
      });
      expect(warned.filter((w) => w.includes('radius'))).to.have.length(1);
      expect(warned.filter((w) => w.includes('font'))).to.have.length(1);
      // The page's own variable applies without the attribute, and the attribute beats it.
      el.style.setProperty('--agent-chat-radius', '9px');
      el.removeAttribute('radius');
      await settle(el);
      expect(radius()).to.equal('9px');
      el.setAttribute('radius', '3px');
      await settle(el);
      expect(radius()).to.equal('3px');
    });

    it('density="compact" tightens the spacing; a bad value keeps comfortable and warns once', async () => {
      const session = await peerSession();
      let el!: AgentChat;
      const padding = () => getComputedStyle(part(el, 'messages')!).paddingTop;
      const warned = await warnings(async () => {
        el = await mount(session);
        expect(padding()).to.equal('16px');
        el.setAttribute('density', 'compact');
        await settle(el);
        expect(padding()).to.equal('6px');
        el.setAttribute('density', 'cosy');
        await settle(el);
        expect(padding()).to.equal('16px');
        el.setAttribute('density', 'tiny');
        await settle(el);
      });
      expect(warned.filter((w) => w.includes('density'))).to.have.length(1);
    });
  });

  describe('history (thread list)', () => {
    it('lists the visitor\'s threads, opens an older one, deletes one after a confirmation, and Escape goes back', async function () {
      this.timeout(30_000);
      const session = await peerSession();
      const older = await session.thread(4);
      const el = await mount(session, 'history');
      sendText(el, 'Newest question');
      await replied(el);
      const current = el.viewModel.thread!.id;
      expect(part(el, 'thread-list')).to.equal(null);
      part(el, 'history-button')!.click();
      await waitUntil(() => parts(el, 'thread').length === 2, 'no thread list', wait);
      await settle(el);
      const list = part(el, 'thread-list')!;
      expect(list.querySelector('ul')!.getAttribute('role')).to.equal('list');
      expect(el.shadowRoot!.activeElement?.id).to.equal('threads-heading');
      const titles = parts(el, 'thread').map((b) => b.querySelector('span')!.textContent);
      expect(titles).to.deep.equal(['Newest question', 'Message 1']);
      expect(parts(el, 'thread')[0]!.getAttribute('aria-current')).to.equal('true');
      expect(parts(el, 'thread')[1]!.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-/);
      await expect(el).shadowDom.to.be.accessible();

      // Escape returns to the conversation, focus on the button that opened the list.
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await settle(el);
      expect(part(el, 'thread-list')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'history-button'));

      // Open the older thread.
      part(el, 'history-button')!.click();
      await waitUntil(() => parts(el, 'thread').length === 2, 'no thread list', wait);
      parts(el, 'thread')[1]!.click();
      await waitUntil(() => el.viewModel.thread?.id === older && el.viewModel.items.length === 4, 'older thread not opened', wait);
      await settle(el);
      expect((await sent(session, 'thread.open')).at(-1)).to.include({ threadId: older });
      expect(parts(el, 'message').map((m) => m.querySelector('.bubble')?.textContent?.trim())).to.deep.equal(['Message 1', 'Message 2', 'Message 3', 'Message 4']);

      // Delete the other one (after a confirmation).
      part(el, 'history-button')!.click();
      await waitUntil(() => parts(el, 'thread').length === 2, 'no thread list', wait);
      const row = el.shadowRoot!.querySelector(`[data-thread="${current}"]`)!;
      (row.querySelector('[part~="thread-delete-button"]') as HTMLButtonElement).click();
      await settle(el);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'cancel-button'));
      expect(await sent(session, 'thread.delete')).to.have.length(0);
      part(el, 'confirm-button')!.click();
      await waitUntil(() => parts(el, 'thread').length === 1, 'thread not removed from the list', wait);
      expect((await sent(session, 'thread.delete'))[0]).to.include({ threadId: current });
      // The open thread was not the deleted one: it stays.
      expect(el.viewModel.thread?.id).to.equal(older);
    });

    it('starts a new chat from the list, and renders titles as text', async () => {
      const session = await peerSession();
      const el = await mount(session, 'history');
      sendText(el, '<img src=x onerror="window.__pwnedTitle=1"> hello');
      await replied(el);
      const first = el.viewModel.thread!.id;
      part(el, 'history-button')!.click();
      await waitUntil(() => parts(el, 'thread').length === 1, 'no thread list', wait);
      expect(parts(el, 'thread')[0]!.querySelector('span')!.textContent).to.equal('<img src=x onerror="window.__pwnedTitle=1"> hello');
      expect(part(el, 'thread-list')!.querySelector('img')).to.equal(null);
      part(el, 'thread-new-button')!.click();
      await waitUntil(() => el.viewModel.thread !== null && el.viewModel.thread.id !== first, 'no new thread', wait);
      await settle(el);
      expect(part(el, 'thread-list')).to.equal(null);
      expect(el.viewModel.items).to.have.length(0);
      expect((window as { __pwnedTitle?: number }).__pwnedTitle).to.equal(undefined);
    });
  });

  describe('feedback', () => {
    it('rates a finished answer (aria-pressed), shows it saved, takes a comment after thumbs down, and keeps the rating across a reload', async function () {
      this.timeout(30_000);
      const session = await peerSession();
      const el = await mount(session, 'feedback');
      sendText(el, 'hello');
      await replied(el);
      const answerId = el.viewModel.items.find((i) => i.type === 'assistant_message')!.id;
      const bar = part(el, 'feedback')!;
      const [up, down] = [...bar.querySelectorAll<HTMLButtonElement>('[part~="feedback-button"]')];
      expect(up!.getAttribute('aria-pressed')).to.equal('false');
      expect(down!.getAttribute('aria-pressed')).to.equal('false');
      // Only finished answers are rated, never the visitor's messages.
      expect(part(el, 'user-message')!.querySelector('[part~="feedback"]')).to.equal(null);

      up!.click();
      await waitUntil(() => el.viewModel.feedback[answerId]?.saved === true, 'not saved', wait);
      await settle(el);
      expect(up!.getAttribute('aria-pressed')).to.equal('true');
      expect(bar.textContent).to.contain('Thanks for your feedback.');
      expect((await sent(session, 'feedback'))[0]).to.include({ itemId: answerId, rating: 'up' });

      down!.click();
      await settle(el);
      expect(down!.getAttribute('aria-pressed')).to.equal('true');
      expect(up!.getAttribute('aria-pressed')).to.equal('false');
      const box = part(el, 'feedback-comment')!.querySelector('textarea')!;
      expect(el.shadowRoot!.activeElement).to.equal(box);
      box.value = 'It missed my order number';
      part(el, 'feedback-send-button')!.click();
      await waitUntil(async () => (await sent(session, 'feedback')).length === 3, 'no comment sent', wait);
      expect((await sent(session, 'feedback'))[2]).to.include({ itemId: answerId, rating: 'down', comment: 'It missed my order number' });
      await settle(el);
      expect(part(el, 'feedback-comment')).to.equal(null);

      // A reload: the server sends the rating with the items.
      const again = await mount(session, 'feedback');
      await waitUntil(() => again.viewModel.items.length === 2, 'thread not reopened', wait);
      await settle(again);
      const pressed = part(again, 'feedback')!.querySelector('[aria-pressed="true"]') as HTMLElement;
      expect(pressed.dataset.rating).to.equal('down');
    });

    it('shows no rating buttons without the attribute, and adds them when it is set', async () => {
      const session = await peerSession();
      const el = await mount(session);
      sendText(el, 'hello');
      await replied(el);
      expect(part(el, 'feedback')).to.equal(null);
      el.feedback = true;
      await settle(el);
      expect(part(el, 'feedback')).to.not.equal(null);
    });
  });

  describe('retry after a failed reply', () => {
    it('offers Retry after a failed run and runs the reply again without sending the message twice', async () => {
      const session = await peerSession();
      const el = await mount(session);
      sendText(el, 'please fail');
      await waitUntil(() => el.viewModel.lastRun?.status === 'failed', 'run did not fail', wait);
      await settle(el);
      const line = part(el, 'status-line')!;
      expect(line.textContent).to.contain('The model is unavailable right now.');
      const retry = part(el, 'run-retry-button')!;
      expect(retry.textContent).to.equal('Retry');
      const failedRun = el.viewModel.lastRun!.runId;
      retry.click();
      await replied(el);
      await settle(el);
      const frames = await sent(session, 'run.retry');
      expect(frames).to.have.length(1);
      expect(frames[0]).to.include({ runId: failedRun, threadId: el.viewModel.thread!.id });
      expect(await sent(session, 'message.send')).to.have.length(1);
      expect(parts(el, 'user-message')).to.have.length(1);
      expect(parts(el, 'assistant-message').at(-1)!.textContent).to.contain('on the second try');
      expect(part(el, 'run-retry-button')).to.equal(null);
      expect(el.viewModel.lastRun?.status).to.equal('completed');
    });
  });

  describe('unread dot', () => {
    it('marks the launcher when a reply finishes while closed, names the count, and clears on open', async () => {
      const session = await peerSession();
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.innerHTML = '<agent-chat workflow="support"></agent-chat>';
      const el = wrapper.querySelector('agent-chat') as AgentChat;
      el.server = session.server;
      await el.show();
      await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
      const launcher = part(el, 'launcher')!;
      sendText(el, 'slow one');
      el.hide();
      await settle(el);
      expect(part(el, 'unread')).to.equal(null);
      expect(launcher.getAttribute('aria-label')).to.equal('Open chat');
      await replied(el);
      await settle(el);
      expect(part(el, 'unread')).to.not.equal(null);
      expect(launcher.getAttribute('aria-label')).to.equal('Open chat, 1 new reply');
      await el.show();
      await settle(el);
      expect(part(el, 'unread')).to.equal(null);
      expect(launcher.getAttribute('aria-label')).to.equal('Close chat');
      el.hide();
      await settle(el);
      expect(launcher.getAttribute('aria-label')).to.equal('Open chat');
    });
  });

  describe('timestamps', () => {
    it('gives each message a <time datetime>, hidden (and out of its text) until hover or keyboard focus', async () => {
      const session = await peerSession();
      const el = await mount(session, 'feedback');
      sendText(el, 'hello');
      await replied(el);
      await settle(el);
      const times = parts(el, 'timestamp') as HTMLTimeElement[];
      expect(times).to.have.length(2);
      const user = el.viewModel.items.find((i) => i.type === 'user_message')!;
      expect(times[0]!.tagName).to.equal('TIME');
      expect(times[0]!.dateTime).to.equal(new Date(user.createdAt).toISOString());
      expect(times[0]!.textContent).to.equal(new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(user.createdAt)));
      expect(getComputedStyle(times[1]!).visibility).to.equal('hidden');
      // Not part of the message's text until shown.
      expect(part(el, 'assistant-message')!.innerText).to.not.contain(times[1]!.textContent);
      // Keyboard focus inside the answer (its rating buttons) shows its time.
      (part(el, 'feedback-button') as HTMLButtonElement).focus();
      await settle(el);
      expect(getComputedStyle(times[1]!).visibility).to.equal('visible');
      expect(getComputedStyle(times[0]!).visibility).to.equal('hidden');
      // Keyboard focus on the conversation shows every time.
      part(el, 'messages')!.focus({ focusVisible: true } as FocusOptions);
      await settle(el);
      expect(part(el, 'messages')!.matches(':focus-visible')).to.equal(true);
      expect(getComputedStyle(times[0]!).visibility).to.equal('visible');
    });
  });
});
