import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * <agent-chat> against the scripted protocol peer over a real WebSocket on loopback.
 * The peer picks its reply by keyword: "drop" drops the socket mid-stream, "slow" streams
 * slowly, "refund" asks for approval, "billing" hands off, "blocked" trips a guardrail,
 * "withdraw" withdraws the reply, "markdown" sends markdown with hostile HTML.
 */

const wait = { timeout: 5000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}
function input(el: AgentChat): HTMLTextAreaElement {
  return part(el, 'input') as HTMLTextAreaElement;
}
function lastAssistantText(el: AgentChat): string {
  return parts(el, 'assistant-message').at(-1)?.querySelector('.bubble')?.textContent?.trim() ?? '';
}

async function mount(session: PeerSession, extra: { mode?: string } = {}): Promise<AgentChat> {
  const el = await fixture<AgentChat>(
    html`<agent-chat mode=${extra.mode ?? 'inline'} server=${session.server} workflow="support" style="height: 480px"></agent-chat>`,
  );
  if ((extra.mode ?? 'inline') === 'inline') await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  return el;
}

/** Types into the text box the way a visitor does (value + input event), then presses Enter. */
async function typeAndEnter(el: AgentChat, text: string, init: KeyboardEventInit = {}): Promise<KeyboardEvent> {
  const box = input(el);
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
  const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true, ...init });
  box.dispatchEvent(event);
  await el.updateComplete;
  return event;
}

async function sentOfType(session: PeerSession, type: string) {
  return (await session.frames()).filter((f) => f.frame.type === type);
}

describe('<agent-chat>', () => {
  beforeEach(() => localStorage.clear());

  it('renders an accessible chat panel, connects and creates a thread', async () => {
    const session = await peerSession();
    const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server}></agent-chat>`);
    const { detail } = await oneEvent(el, 'agent-chat-ready');
    expect(detail.workflow).to.equal('support');
    expect(detail.threadId).to.match(/^th_/);
    await el.updateComplete;
    const log = part(el, 'messages')!;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');
    expect(part(el, 'title')!.textContent).to.equal('Support desk');
    expect(part(el, 'status')!.textContent).to.contain('Online');
    expect(el.getAttribute('theme')).to.equal('auto');
    const frames = (await session.frames()).map((f) => f.frame);
    expect(frames.map((f) => f.type)).to.deep.equal(['hello', 'thread.create']);
    expect(frames[0]).to.include({ protocol: 1 });
    expect(frames[1]).to.include({ workflow: 'support' });
    await expect(el).shadowDom.to.be.accessible();
  });

  it('sends on Enter, keeps Shift+Enter for a new line, and shows the reply streaming in', async () => {
    const session = await peerSession();
    const el = await mount(session);
    const send = part(el, 'send-button') as HTMLButtonElement;
    expect(send.disabled, 'empty composer').to.equal(true);

    const shift = await typeAndEnter(el, 'line one', { shiftKey: true });
    expect(shift.defaultPrevented).to.equal(false);
    expect(await sentOfType(session, 'message.send')).to.have.length(0);

    // Record every render that showed a reply still streaming (polling could miss a short one).
    let partial: { text: string; busy: string | null } | null = null;
    el.addController({
      hostUpdated: () => {
        const streaming = el.viewModel.items.some((i) => i.type === 'assistant_message' && i.status === 'in_progress');
        if (!partial && streaming && lastAssistantText(el).length > 0) {
          partial = { text: lastAssistantText(el), busy: part(el, 'messages')!.getAttribute('aria-busy') };
        }
      },
    });
    const enter = await typeAndEnter(el, 'Hello there');
    expect(enter.defaultPrevented).to.equal(true);
    expect(input(el).value).to.equal('');
    await waitUntil(async () => (await sentOfType(session, 'message.send')).length === 1, 'no message.send', wait);
    const [{ frame }] = await sentOfType(session, 'message.send');
    expect(frame).to.include({ threadId: el.viewModel.thread!.id, text: 'Hello there' });
    expect(frame.clientMessageId).to.be.a('string').and.have.length.greaterThan(8);

    const message = await oneEvent(el, 'agent-chat-message');
    expect(message.detail.item.type).to.equal('assistant_message');
    await el.updateComplete;
    // Streamed text was visible before the reply was complete, with the log marked busy.
    expect(partial, 'a render showed partial text').to.not.equal(null);
    expect(partial!.busy).to.equal('true');
    // Deltas are rendered once per frame, so the first render may hold several, up to an unclosed `**`.
    expect('You said: Hello there. How else can I help?'.startsWith(partial!.text.replaceAll('*', '')), partial!.text).to.equal(true);
    expect(lastAssistantText(el)).to.equal('You said: Hello there. How else can I help?');
    expect(parts(el, 'assistant-message').at(-1)!.querySelector('strong')!.textContent).to.equal('Hello there');
    expect(parts(el, 'user-message').map((m) => m.querySelector('.bubble')!.textContent)).to.deep.equal(['Hello there']);
    expect(part(el, 'messages')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('renders hostile model markdown inertly', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await typeAndEnter(el, 'show me markdown');
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed', 'run did not finish', wait);
    await el.updateComplete;
    const bubble = parts(el, 'assistant-message').at(-1)!;
    expect(bubble.querySelector('img, script, iframe') === null, 'no element for bubble.querySelector("img, script, iframe")').to.equal(true);
    expect(bubble.textContent).to.contain('<img src=x onerror="window.__pwned=1">');
    expect([...bubble.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.com/']);
    expect(bubble.querySelectorAll('li')).to.have.length(2);
    expect((window as unknown as Record<string, unknown>).__pwned).to.equal(undefined);
  });

  it('reconnects after the socket drops and resumes with afterSeq, without duplicated text', async () => {
    const session = await peerSession();
    const el = await mount(session);
    const token = localStorage.getItem(`agent-chat:${session.server}/:visitor`);
    expect(token).to.match(/^vt_/);
    // Record the reply as rendered after every update: a replayed delta applied twice would show.
    const seen: string[] = [];
    el.addController({ hostUpdated: () => seen.push(lastAssistantText(el)) });
    await typeAndEnter(el, 'please drop');
    await waitUntil(() => el.viewModel.connection === 'reconnecting', 'never saw the drop', wait);
    expect(part(el, 'status-line')!.textContent).to.contain('Reconnecting');
    expect((part(el, 'send-button') as HTMLButtonElement | null)?.disabled ?? true).to.equal(true);
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed', 'run did not finish after reconnect', wait);
    await el.updateComplete;
    expect(lastAssistantText(el)).to.equal('Alpha bravo charlie delta echo foxtrot golf hotel india juliet.');
    expect(parts(el, 'assistant-message')).to.have.length(1);
    const final = 'Alpha bravo charlie delta echo foxtrot golf hotel india juliet.';
    const partial = seen.filter((t) => t.length > 0 && t !== final);
    expect(partial.length, 'saw text stream in').to.be.greaterThan(3);
    for (const text of seen) expect(final.startsWith(text), `rendered "${text}"`).to.equal(true);

    const frames = await session.frames();
    const hellos = frames.filter((f) => f.frame.type === 'hello');
    expect(hellos).to.have.length(2);
    expect(hellos[1]!.frame.visitorToken).to.equal(token);
    const resume = frames.find((f) => f.conn === hellos[1]!.conn && f.frame.type === 'thread.open')!;
    expect(resume.frame.threadId).to.equal(el.viewModel.thread!.id);
    expect(resume.frame.afterSeq).to.be.a('number').and.greaterThan(3);
    expect(frames.filter((f) => f.frame.type === 'message.send')).to.have.length(1);
  });

  it('disables sending while the server is unreachable and recovers when it is back', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await session.offline();
    await waitUntil(() => el.viewModel.connection === 'reconnecting', 'no reconnecting state', wait);
    await typeAndEnter(el, 'are you there?');
    expect(input(el).value, 'the draft survives').to.equal('are you there?');
    expect((part(el, 'send-button') as HTMLButtonElement).disabled).to.equal(true);
    expect(await sentOfType(session, 'message.send')).to.have.length(0);
    await session.online();
    await waitUntil(() => el.viewModel.connection === 'connected', 'never reconnected', { timeout: 8000, interval: 50 });
    expect((part(el, 'send-button') as HTMLButtonElement).disabled).to.equal(false);
  });

  it('shows the same conversation after a reload (thread remembered per workflow)', async () => {
    const session = await peerSession();
    const first = await mount(session);
    await typeAndEnter(first, 'remember me');
    await waitUntil(() => first.viewModel.lastRun?.status === 'completed', 'first run', wait);
    const threadId = first.viewModel.thread!.id;
    first.remove();

    const second = await mount(session);
    expect(second.viewModel.thread!.id).to.equal(threadId);
    await second.updateComplete;
    expect(parts(second, 'user-message').map((m) => m.querySelector('.bubble')!.textContent)).to.deep.equal(['remember me']);
    expect(lastAssistantText(second)).to.equal('You said: remember me. How else can I help?');
    const opens = (await sentOfType(session, 'thread.open')).map((f) => f.frame);
    expect(opens.at(-1)).to.deep.include({ threadId });
    expect(opens.at(-1)).to.not.have.property('afterSeq');
  });

  it('creates a new thread when the remembered one is gone', async () => {
    const session = await peerSession();
    localStorage.setItem(`agent-chat:${session.server}/:thread:support`, 'th_missing');
    const el = await mount(session);
    expect(el.viewModel.thread!.id).to.not.equal('th_missing');
    expect((await session.frames()).map((f) => f.frame.type)).to.deep.equal(['hello', 'thread.open', 'thread.create']);
    expect(localStorage.getItem(`agent-chat:${session.server}/:thread:support`)).to.equal(el.viewModel.thread!.id);
    expect(part(el, 'status-line')!.textContent!.trim()).to.equal('');
  });

  it('approval buttons send tool.approval, and the run continues', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await typeAndEnter(el, 'refund order 1234');
    await waitUntil(() => part(el, 'approval') !== null, 'no approval card', wait);
    const card = part(el, 'approval')!;
    expect(card.textContent).to.contain('Refund order?'); // no title from the peer: the name made readable
    expect(card.textContent).to.contain('1234');
    // The card comes with the tool call; the status follows with run.finished.
    await waitUntil(() => part(el, 'status-line')!.textContent!.includes('Waiting for your approval'), 'no waiting status', wait);
    (part(el, 'approve-button') as HTMLButtonElement).click();
    await waitUntil(async () => (await sentOfType(session, 'tool.approval')).length === 1, 'no tool.approval', wait);
    const [{ frame }] = await sentOfType(session, 'tool.approval');
    expect(frame).to.deep.include({ type: 'tool.approval', threadId: el.viewModel.thread!.id, callId: 'call_refund', approved: true });
    await waitUntil(() => lastAssistantText(el) === 'Your refund is on its way.', 'no reply after approval', wait);
    expect(part(el, 'approval') === null, 'no element for part(el, "approval")').to.equal(true);
    const tool = part(el, 'tool-call')!;
    expect(tool.getAttribute('data-status')).to.equal('completed');
    expect(tool.textContent).to.contain('refunded');
  });

  it('Deny asks for an optional reason and sends it', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await typeAndEnter(el, 'refund it');
    await waitUntil(() => part(el, 'deny-button') !== null, 'no deny button', wait);
    (part(el, 'deny-button') as HTMLButtonElement).click();
    await el.updateComplete;
    const reason = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="reason"]')!;
    reason.value = 'changed my mind';
    (part(el, 'deny-button') as HTMLButtonElement).click(); // the form's Deny (submit)
    await waitUntil(async () => (await sentOfType(session, 'tool.approval')).length === 1, 'no tool.approval', wait);
    const [{ frame }] = await sentOfType(session, 'tool.approval');
    expect(frame).to.deep.include({ approved: false, reason: 'changed my mind', callId: 'call_refund' });
    await waitUntil(() => lastAssistantText(el).startsWith('Okay, I did not refund it'), 'no reply after denial', wait);
    expect(part(el, 'tool-call')!.getAttribute('data-status')).to.equal('denied');
  });

  it('Stop sends run.cancel for the active run and keeps the partial text', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await typeAndEnter(el, 'go slow please');
    await waitUntil(() => part(el, 'stop-button') !== null && lastAssistantText(el).length > 0, 'no Stop button', wait);
    const runId = el.viewModel.activeRunId;
    (part(el, 'stop-button') as HTMLButtonElement).click();
    await waitUntil(async () => (await sentOfType(session, 'run.cancel')).length === 1, 'no run.cancel', wait);
    const [{ frame }] = await sentOfType(session, 'run.cancel');
    expect(frame).to.deep.include({ threadId: el.viewModel.thread!.id, runId });
    await waitUntil(() => el.viewModel.lastRun?.status === 'cancelled', 'run not cancelled', wait);
    await el.updateComplete;
    expect(part(el, 'stop-button') === null, 'no element for part(el, "stop-button")').to.equal(true);
    expect(part(el, 'status-line')!.textContent).to.contain('Stopped');
    const message = parts(el, 'assistant-message').at(-1)!;
    expect(message.getAttribute('data-status')).to.equal('incomplete');
    expect(lastAssistantText(el).length).to.be.greaterThan(0);
  });

  it('shows handoffs with agent names, guardrail notices, and withdraws removed items', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await typeAndEnter(el, 'billing question');
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed', 'first run', wait);
    await el.updateComplete;
    expect(part(el, 'handoff')!.textContent!.replace(/\s+/g, ' ')).to.contain('Triage → handed over to Billing');
    expect(part(el, 'status')!.textContent).to.contain('Billing');

    await typeAndEnter(el, 'please withdraw');
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed' && part(el, 'guardrail') !== null, 'no withdrawal', wait);
    await el.updateComplete;
    expect(parts(el, 'assistant-message')).to.have.length(1); // the withdrawn reply is gone
    expect(part(el, 'guardrail')!.textContent).to.contain('A reply was withdrawn.');

    await typeAndEnter(el, 'this gets blocked');
    await waitUntil(() => el.viewModel.lastRun?.status === 'blocked', 'not blocked', wait);
    await el.updateComplete;
    expect(parts(el, 'guardrail').at(-1)!.textContent).to.contain('can’t help with that');
  });

  it('reports a failed run in the status line and as agent-chat-error', async () => {
    const session = await peerSession();
    const el = await mount(session);
    setTimeout(() => void typeAndEnter(el, 'make it fail'));
    const { detail } = await oneEvent(el, 'agent-chat-error');
    expect(detail).to.deep.equal({ code: 'upstream_error', message: 'The model is unavailable right now.' });
    await el.updateComplete;
    expect(part(el, 'status-line')!.textContent).to.contain('The model is unavailable right now.');
  });

  it('"New conversation" creates a new thread and clears the list', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await typeAndEnter(el, 'first thread');
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed', 'first run', wait);
    const firstThread = el.viewModel.thread!.id;
    await el.updateComplete;
    setTimeout(() => (part(el, 'new-conversation-button') as HTMLButtonElement).click());
    const { detail } = await oneEvent(el, 'agent-chat-ready');
    expect(detail.threadId).to.not.equal(firstThread);
    await el.updateComplete;
    expect(parts(el, 'message')).to.have.length(0);
    expect(await sentOfType(session, 'thread.create')).to.have.length(2);
    expect(localStorage.getItem(`agent-chat:${session.server}/:thread:support`)).to.equal(detail.threadId);
  });

  it('launcher mode: a button opens the panel, connects lazily, and Escape closes it', async () => {
    const session = await peerSession();
    const el = await mount(session, { mode: 'launcher' });
    const launcher = part(el, 'launcher') as HTMLButtonElement;
    expect(part(el, 'panel')!.hidden).to.equal(true);
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(el.viewModel.connection).to.equal('idle');
    setTimeout(() => launcher.click());
    const toggled = await oneEvent(el, 'agent-chat-toggle');
    expect(toggled.detail.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(part(el, 'panel')!.hidden).to.equal(false);
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    await waitUntil(() => el.viewModel.connection === 'connected', 'did not connect on open', wait);
    expect(el.shadowRoot!.activeElement).to.equal(input(el));
    await Promise.all(part(el, 'panel')!.getAnimations().map((a) => a.finished)); // axe would see the fade-in
    await expect(el).shadowDom.to.be.accessible();
    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(part(el, 'panel')!.hidden).to.equal(true);
  });

  it('stays at the bottom while the reader is there, and leaves them alone when they scroll up', async () => {
    const session = await peerSession();
    const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 320px"></agent-chat>`);
    await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
    const log = part(el, 'messages')!;
    const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= 2;
    for (const text of ['one', 'two', 'three']) {
      await typeAndEnter(el, `${text} ${'filler words '.repeat(12)}`);
      await waitUntil(() => el.viewModel.lastRun !== null && el.viewModel.activeRunId === null && el.viewModel.pending.length === 0, 'run', wait);
    }
    await el.updateComplete;
    expect(log.scrollHeight, 'overflows').to.be.greaterThan(log.clientHeight * 2);
    expect(atBottom(), 'pinned to the newest reply').to.equal(true);

    await typeAndEnter(el, 'slow reply please');
    await waitUntil(() => lastAssistantText(el).startsWith('This reply'), 'streaming', wait);
    log.scrollTop = 0;
    const length = lastAssistantText(el).length;
    await waitUntil(() => lastAssistantText(el).length > length + 12, 'more text', wait);
    expect(log.scrollTop, 'reader scrolled up: no jump').to.equal(0);
    log.scrollTop = log.scrollHeight;
    const again = lastAssistantText(el).length;
    await waitUntil(() => lastAssistantText(el).length > again + 12, 'more text', wait);
    expect(atBottom(), 'back at the bottom: follows the stream').to.equal(true);
    el.remove(); // stop the slow run's rendering
  });

  it('sends public-key and user-token in hello (and no visitor token for a signed-in user)', async () => {
    const session = await peerSession();
    localStorage.setItem(`agent-chat:${session.server}/:visitor`, 'vt_old');
    const el = await fixture<AgentChat>(
      html`<agent-chat mode="inline" public-key="pk_demo" user-token="jwt.token.here" server=${session.server}></agent-chat>`,
    );
    await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
    const [hello] = (await session.frames()).map((f) => f.frame);
    expect(hello).to.deep.equal({ type: 'hello', protocol: 1, publicKey: 'pk_demo', userToken: 'jwt.token.here' });
  });

  it('an invalid server URL fails once, without retry loops', async () => {
    const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server="javascript:alert(1)"></agent-chat>`);
    await el.updateComplete;
    expect(el.viewModel.connection).to.equal('failed');
    expect(input(el).placeholder).to.equal('Chat unavailable');
    expect(part(el, 'status-line')!.textContent).to.contain("Can't connect");
    await new Promise((r) => setTimeout(r, 100));
    expect(el.isUpdatePending).to.equal(false);
  });

  it('applies the accent attribute (with readable text on it) and theme, ignoring invalid colours', async () => {
    const session = await peerSession();
    const el = await fixture<AgentChat>(
      html`<agent-chat mode="inline" theme="dark" accent="#10a37f" server=${session.server}></agent-chat>`,
    );
    const header = part(el, 'header')!;
    expect(getComputedStyle(header).backgroundColor).to.equal('rgb(16, 163, 127)');
    expect(getComputedStyle(part(el, 'panel')!).backgroundColor).to.equal('rgb(17, 24, 39)');
    await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
    await expect(el).shadowDom.to.be.accessible(); // includes colour contrast in the dark theme
    expect(getComputedStyle(part(el, 'title')!).color, 'dark text on a light accent').to.equal('oklch(0 0 0)');
    el.accent = 'red; background: url(x)';
    el.theme = 'light';
    await el.updateComplete;
    expect(getComputedStyle(header).backgroundColor).to.equal('rgb(37, 99, 235)');
    expect(getComputedStyle(part(el, 'panel')!).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(el.getAttribute('theme')).to.equal('light');
    expect(getComputedStyle(part(el, 'title')!).color, 'white text on the default blue').to.equal('oklch(1 0 0)');
  });
});
