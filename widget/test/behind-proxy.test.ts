import { expect, waitUntil } from '@open-wc/testing';
import type { AgentChat } from '../src/index.ts';
import { createBackoff } from '../src/connection/backoff.ts';
import { pressKey } from './support/keys.ts';

/*
 * The BUILT bundle (widget/dist/widget.js) as a site behind a reverse proxy loads it: from
 * <proxy>/chat/widget.js, with the REAL server mounted under /chat/ (path-prefix-proxy-plugin.mjs).
 * This file imports no widget source that defines <agent-chat>: the element is the bundle's.
 */

const wait = { timeout: 8000, interval: 20 };

interface ProxyState {
  url: string;
  upgrades: string[];
}

async function proxy(): Promise<ProxyState> {
  return (await fetch('/__agent-chat-proxy')).json();
}
async function proxyControl(what: 'close' | 'listen'): Promise<void> {
  const response = await fetch(`/__agent-chat-proxy/${what}`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /__agent-chat-proxy/${what}: ${response.status}`);
}

/** Loads widget.js the way a page does: `<script type="module" src=".../chat/widget.js">`. */
async function loadBundle(src: string): Promise<typeof AgentChat> {
  if (!customElements.get('agent-chat')) {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = src;
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
    });
    document.head.append(script);
    await loaded;
  }
  return (await customElements.whenDefined('agent-chat')) as typeof AgentChat;
}

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

/** An inline <agent-chat> WITHOUT a server attribute: it must find the server by itself. */
function mount(): AgentChat {
  const el = document.createElement('agent-chat');
  el.setAttribute('mode', 'inline');
  el.style.height = '480px';
  document.body.append(el);
  return el;
}

/** Sends `text` through the composer and waits for the reply's run to finish. */
async function say(el: AgentChat, text: string): Promise<void> {
  const before = el.viewModel.lastRun?.runId;
  expect(el.send(text), `send "${text}"`).to.equal(true);
  await waitUntil(() => el.viewModel.lastRun && el.viewModel.lastRun.runId !== before && el.viewModel.activeRunId === null, `no reply to "${text}"`, wait);
  expect(el.viewModel.lastRun!.status).to.equal('completed');
}

describe('<agent-chat> from the built bundle behind a proxy under /chat/', () => {
  let chat: AgentChat | undefined;
  beforeEach(() => localStorage.clear());
  afterEach(async () => {
    chat?.remove();
    chat = undefined;
    await proxyControl('listen');
  });

  it('defaults its server to the directory widget.js came from and connects to /chat/v1/ws', async () => {
    const { url } = await proxy();
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/chat\/$/);
    await loadBundle(`${url}widget.js`);
    chat = mount();
    expect(chat.server).to.equal(url);
    await waitUntil(() => chat!.viewModel.connection === 'connected', 'never connected through the proxy', wait);
    const { upgrades } = await proxy();
    expect(upgrades.at(-1)).to.equal('/chat/v1/ws');
    expect(localStorage.getItem(`agent-chat:${url}:visitor`), 'state is keyed by the prefixed server').to.be.a('string');
    await say(chat, 'Hello through the proxy');
    expect(chat.viewModel.items.map((i) => i.type)).to.include('assistant_message');
  });

  it('gives up after failed attempts in a row with a Retry that resumes the thread once the server is back', async function () {
    this.timeout(20_000);
    const { url } = await proxy();
    const AgentChatClass = await loadBundle(`${url}widget.js`);
    AgentChatClass.connectionOptions = { backoff: () => createBackoff({ initialMs: 20, maxMs: 80 }) };
    const logged: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    };
    try {
      chat = mount();
      const el = chat;
      const errors: Array<{ code: string; message: string }> = [];
      const statuses: string[] = [];
      el.addEventListener('agent-chat-error', (e) => errors.push(e.detail));
      el.addEventListener('agent-chat-connection', (e) => statuses.push(e.detail.status));
      await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
      await say(el, 'Remember this');
      const threadId = el.viewModel.thread!.id;
      const itemIds = el.viewModel.items.map((i) => i.id);

      // Nothing listens on the proxy's port any more: every attempt fails to open.
      await proxyControl('close');
      await waitUntil(() => el.viewModel.connection === 'failed', 'never gave up', wait);
      await el.updateComplete;
      expect(statuses.slice(-2)).to.deep.equal(['reconnecting', 'failed']);

      // The visitor: a short message and Retry at the end of the conversation, which stays readable.
      const panel = part(el, 'connection-error')!;
      expect(panel, 'error state shown').to.not.equal(null);
      expect(panel.closest('[part~="messages"]'), 'in the conversation area').to.not.equal(null);
      expect(panel.textContent).to.contain("We can't reach the chat right now");
      expect(panel.textContent, 'no internals for the visitor').to.not.match(/ws:|127\.0\.0\.1|WebSocket|proxy/);
      expect(el.shadowRoot!.textContent).to.contain('Remember this');
      expect(part(el, 'status-line')!.textContent!.trim(), 'said once, not twice').to.equal('');
      const retry = part(el, 'retry-button') as HTMLButtonElement;
      expect(retry.tagName).to.equal('BUTTON');
      expect(retry.textContent!.trim()).to.equal('Retry');
      expect((part(el, 'send-button') as HTMLButtonElement).disabled).to.equal(true);
      await expect(el).shadowDom.to.be.accessible();

      // The site owner: one typed event, and the why in the console.
      expect(errors).to.have.length(1);
      expect(errors[0]!.code).to.equal('connection_failed');
      expect(errors[0]!.message).to.contain(`${url.replace('http:', 'ws:')}v1/ws`);
      expect(logged).to.have.length(1);
      expect(logged[0]).to.contain('[agent-chat]').and.contain(`${url.replace('http:', 'ws:')}v1/ws`).and.contain('could not be opened');

      // It stopped: no attempt follows on its own.
      const seen = statuses.length;
      await new Promise((r) => setTimeout(r, 400)); // the test backoff would retry within 20-80 ms
      expect(statuses.slice(seen)).to.deep.equal([]);
      expect(errors).to.have.length(1);

      // The server is back; Retry by keyboard starts over and resumes the same thread.
      await proxyControl('listen');
      retry.focus();
      await pressKey('Enter');
      await waitUntil(() => el.viewModel.connection === 'connected', 'Retry did not reconnect', wait);
      await el.updateComplete;
      expect(part(el, 'connection-error'), 'back to the normal view').to.equal(null);
      expect(el.shadowRoot!.activeElement?.getAttribute('part'), 'focus stays in the conversation').to.equal('messages');
      expect(el.viewModel.thread!.id).to.equal(threadId);
      expect(el.viewModel.items.map((i) => i.id), 'nothing lost or shown twice').to.deep.equal(itemIds);
      expect(el.viewModel.error).to.equal(null);
      await say(el, 'Still there?');
      expect(el.viewModel.thread!.id).to.equal(threadId);
      expect((await proxy()).upgrades.at(-1)).to.equal('/chat/v1/ws');
    } finally {
      console.error = consoleError;
      AgentChatClass.connectionOptions = {};
    }
  });
});
