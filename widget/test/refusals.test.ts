import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat, AgentChatErrorDetail } from '../src/index.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * How <agent-chat> tells the visitor about refusals, against the scripted protocol peer:
 * `rate_limited` waits (a countdown, or the site owner's text for a long one), identity
 * refusals that stop reconnecting, and close 1013 with a wait.
 */

const wait = { timeout: 5000, interval: 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function sendButton(el: AgentChat): HTMLButtonElement {
  return part(el, 'send-button') as HTMLButtonElement;
}
function statusLineText(el: AgentChat): string {
  return part(el, 'status-line')!.textContent!.replace(/\s+/g, ' ').trim();
}
/** What a sighted visitor reads in the wait notice (the countdown). */
function visibleNotice(el: AgentChat): string {
  return part(el, 'limit-notice')?.querySelector('[aria-hidden="true"]')?.textContent ?? '';
}

async function mount(session: PeerSession): Promise<AgentChat> {
  const el = await fixture<AgentChat>(
    html`<agent-chat mode="inline" server=${session.server} workflow="support" style="height: 480px"></agent-chat>`,
  );
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  return el;
}

/** Puts text in the box the way typing does (value + input event). */
async function type(el: AgentChat, text: string): Promise<void> {
  const box = part(el, 'input') as HTMLTextAreaElement;
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function typeAndEnter(el: AgentChat, text: string): Promise<void> {
  await type(el, text);
  part(el, 'input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
  await el.updateComplete;
}

async function hellos(session: PeerSession) {
  return (await session.frames()).filter((f) => f.frame.type === 'hello');
}

describe('<agent-chat> refusals', () => {
  beforeEach(() => localStorage.clear());

  it('counts down a short rate limit with Send off, keeps the text for Retry, and sends it after the wait', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await session.refuse({ on: 'message.send', code: 'rate_limited', message: 'messages_per_minute exceeded', retryAfterMs: 1500 });
    const errors: AgentChatErrorDetail[] = [];
    el.addEventListener('agent-chat-error', (e) => errors.push(e.detail));

    await typeAndEnter(el, 'Where is my order?');
    await waitUntil(() => part(el, 'limit-notice') !== null, 'no wait notice', wait);
    // Readable, never the raw code or the server's internal wording.
    expect(visibleNotice(el)).to.equal("You're sending messages too quickly. You can send again in 2 s.");
    expect(statusLineText(el)).to.not.contain('rate_limited');
    expect(part(el, 'status-line')!.getAttribute('role')).to.equal('status');
    // Screen readers hear the notice once; the ticking countdown is hidden from them.
    const spoken = part(el, 'limit-notice')!.querySelector('.sr-only')!.textContent;
    expect(spoken).to.equal("You're sending messages too quickly. You can send again in 2 s.");
    expect(errors).to.deep.equal([{ code: 'rate_limited', message: 'messages_per_minute exceeded' }]);

    // The refused message stays on screen with Retry, which waits too.
    const failed = el.shadowRoot!.querySelector<HTMLElement>('[data-pending="failed"]')!;
    expect(failed.querySelector('.bubble')!.textContent).to.equal('Where is my order?');
    const retry = failed.querySelector('button')!;
    expect(retry.textContent).to.equal('Retry');
    expect(retry.disabled).to.equal(true);
    // What the visitor types meanwhile stays in the box, but Send waits.
    await type(el, 'Also, one more thing');
    expect(sendButton(el).disabled).to.equal(true);

    await waitUntil(() => visibleNotice(el).endsWith('in 1 s.'), 'the countdown never ticked', wait);
    expect(part(el, 'limit-notice')!.querySelector('.sr-only')!.textContent, 'announcement unchanged').to.equal(spoken);
    await waitUntil(() => part(el, 'limit-notice') === null, 'the wait never ended', wait);
    expect(statusLineText(el)).to.equal('');
    expect(sendButton(el).disabled).to.equal(false);
    expect((part(el, 'input') as HTMLTextAreaElement).value).to.equal('Also, one more thing');

    // Retry sends the same message (same clientMessageId) and it goes through.
    expect(retry.disabled).to.equal(false);
    retry.click();
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed', 'the retried message got no reply', wait);
    const sends = (await session.frames()).filter((f) => f.frame.type === 'message.send').map((f) => f.frame);
    expect(sends).to.have.length(2);
    expect(sends[1]!.clientMessageId).to.equal(sends[0]!.clientMessageId);
    expect(sends[1]!.text).to.equal('Where is my order?');
  });

  it("shows a long wait (a daily budget) as the server's text, verbatim and as plain text", async () => {
    const session = await peerSession();
    const el = await mount(session);
    const message = '<b>The assistant has reached its limit for today.</b> <img src=x onerror="window.__pwned=1"> Back tomorrow!';
    await session.refuse({ on: 'message.send', code: 'rate_limited', message, retryAfterMs: 5 * 60 * 60 * 1000 });
    await typeAndEnter(el, 'Hello');
    await waitUntil(() => part(el, 'limit-notice') !== null, 'no notice', wait);
    const notice = part(el, 'limit-notice')!;
    expect(notice.textContent).to.equal(message);
    expect(notice.querySelector('b, img'), 'markup in the message is not rendered').to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    await type(el, 'Anything?');
    expect(sendButton(el).disabled).to.equal(true);
    expect(el.viewModel.wait!.long).to.equal(true);
  });

  for (const [code, readable] of [
    ['unauthorized', "This chat can't verify who you are. Please reload the page or sign in again."],
    ['forbidden', "This chat isn't available on this page."],
  ] as const) {
    it(`stops after ${code} with close 1008 and says so readably, without reconnecting`, async () => {
      const session = await peerSession();
      await session.refuse({ on: 'hello', code, message: `${code}: token signature mismatch (kid k1)`, close: 1008, times: 100 });
      const statuses: string[] = [];
      const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 480px"></agent-chat>`);
      el.addEventListener('agent-chat-connection', (e) => statuses.push(e.detail.status));
      await waitUntil(() => el.viewModel.connection === 'failed', 'never gave up', wait);
      await el.updateComplete;
      expect(statusLineText(el)).to.equal(readable);
      expect(sendButton(el).disabled).to.equal(true);
      // The default backoff would have tried again within 0.5-1 s; nothing may come.
      await sleep(2000);
      expect(await hellos(session)).to.have.length(1);
      expect(statuses).to.not.include('reconnecting');
    });
  }

  it('after close 1013 with rate_limited, reconnects no sooner than retryAfterMs and says it is waiting', async () => {
    const session = await peerSession();
    await session.refuse({ on: 'hello', code: 'rate_limited', message: 'too many connections from 127.0.0.1', retryAfterMs: 1500, close: 1013 });
    const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 480px"></agent-chat>`);
    await waitUntil(() => part(el, 'limit-notice') !== null, 'no wait notice', wait);
    expect(visibleNotice(el)).to.equal('Too many connections right now. Trying again in 2 s.');
    await waitUntil(() => el.viewModel.connection === 'connected', 'never reconnected', wait);
    const [first, second] = await hellos(session);
    expect(second, 'a second attempt').to.not.equal(undefined);
    expect(second!.at - first!.at, 'waited out retryAfterMs').to.be.at.least(1500);
    await el.updateComplete;
    expect(part(el, 'limit-notice')).to.equal(null);
  });

  it('asks for a new conversation again once a refused thread.create has waited', async () => {
    const session = await peerSession();
    await session.refuse({ on: 'thread.create', code: 'rate_limited', message: 'new_conversations_per_day', retryAfterMs: 1200 });
    const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 480px"></agent-chat>`);
    await waitUntil(() => part(el, 'limit-notice') !== null, 'no wait notice', wait);
    expect(el.viewModel.thread).to.equal(null);
    expect(sendButton(el).disabled).to.equal(true);
    await waitUntil(() => el.viewModel.connection === 'connected', 'no thread after the wait', wait);
    const creates = (await session.frames()).filter((f) => f.frame.type === 'thread.create');
    expect(creates).to.have.length(2);
    expect(creates[1]!.at - creates[0]!.at, 'asked again only after the wait').to.be.at.least(1200);
    expect(creates.map((f) => f.conn), 'on the same socket').to.deep.equal([1, 1]);
    await el.updateComplete;
    expect(part(el, 'limit-notice')).to.equal(null);
  });

  it('connects to /v1/ws?key=<publicKey> and still sends the key in hello', async () => {
    const session = await peerSession();
    const el = await fixture<AgentChat>(
      html`<agent-chat mode="inline" public-key="pk_live/a&b" server=${session.server} style="height: 480px"></agent-chat>`,
    );
    await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
    const path = new URL(session.server).pathname;
    expect(await session.upgrades()).to.deep.equal([`${path}/v1/ws?key=pk_live%2Fa%26b`]);
    expect((await hellos(session))[0]!.frame.publicKey).to.equal('pk_live/a&b');
  });
});
