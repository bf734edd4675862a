import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat, AgentChatThreadDeletedDetail } from '../src/index.ts';
import { socketUrl } from '../src/connection/server-url.ts';
import { realServerUrl } from './support/real-server.ts';

/*
 * Deleting conversations from the widget's menu against the REAL server (started by the wtr
 * config), checked afterwards over a separate socket as the same visitor.
 */

const wait = { timeout: 8000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

async function mount(server: string): Promise<AgentChat> {
  const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${server} workflow="support" style="height: 480px"></agent-chat>`);
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected to the real server', wait);
  return el;
}

/** Sends a message and waits for its run to finish. */
async function say(el: AgentChat, text: string): Promise<void> {
  const before = el.viewModel.lastRun?.runId;
  expect(el.send(text), `send "${text}"`).to.equal(true);
  await waitUntil(() => el.viewModel.lastRun !== null && el.viewModel.lastRun.runId !== before && el.viewModel.activeRunId === null, `no reply to "${text}"`, wait);
}

/** Picks a menu item by its text, then confirms with the confirmation's Delete button. */
async function deleteViaMenu(el: AgentChat, label: string): Promise<void> {
  (part(el, 'menu-button') as HTMLButtonElement).click();
  await el.updateComplete;
  const item = parts(el, 'menu-item').find((i) => i.textContent === label);
  expect(item, label).to.not.equal(undefined);
  item!.click();
  await el.updateComplete;
  expect(part(el, 'confirm'), 'asks before deleting').to.not.equal(null);
  (part(el, 'confirm-button') as HTMLButtonElement).click();
}

/** The visitor id inside a visitor token (`vt1.<base64url JSON {v}>.<signature>`). */
function visitorIdOf(token: string): string {
  const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return (JSON.parse(atob(payload)) as { v: string }).v;
}

/** One request on a fresh socket as the visitor with `visitorToken`; resolves with the reply. */
async function ask(server: string, visitorToken: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ws = new WebSocket(socketUrl(server));
  try {
    return await new Promise((resolve, reject) => {
      ws.onerror = () => reject(new Error('socket error'));
      ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', protocol: 1, visitorToken }));
      ws.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as Record<string, unknown>;
        if (frame.type === 'ready') {
          // The token is renewed on every hello (a new expiry); the visitor inside stays the same.
          expect((frame.user as { id: string }).id, 'the same visitor').to.equal(visitorIdOf(visitorToken));
          ws.send(JSON.stringify({ ...request, id: 'q1' }));
        } else if (frame.replyTo === 'q1') resolve(frame);
      };
    });
  } finally {
    ws.close();
  }
}

describe('<agent-chat> deleting conversations on the real server', () => {
  let server: string;
  before(async () => {
    server = await realServerUrl();
  });
  beforeEach(() => localStorage.clear());

  it('"Delete this conversation" deletes it on the server and opens a fresh one', async () => {
    const el = await mount(server);
    await say(el, 'Hello there');
    const deletedId = el.viewModel.thread!.id;
    const events: AgentChatThreadDeletedDetail[] = [];
    el.addEventListener('agent-chat-thread-deleted', (e) => events.push(e.detail));

    await deleteViaMenu(el, 'Delete this conversation');
    await waitUntil(() => events.length === 1 && el.viewModel.thread !== null && el.viewModel.thread.id !== deletedId, 'no fresh conversation', wait);
    expect(events).to.deep.equal([{ threadId: deletedId, all: false }]);
    await el.updateComplete;
    expect(el.viewModel.items).to.deep.equal([]);
    expect(parts(el, 'message')).to.have.length(0);
    expect(localStorage.getItem(`agent-chat:${server}/:thread:support`)).to.equal(el.viewModel.thread!.id);

    const token = localStorage.getItem(`agent-chat:${server}/:visitor`)!;
    expect(await ask(server, token, { type: 'thread.open', threadId: deletedId })).to.include({ type: 'error', code: 'not_found' });
    // The fresh conversation works.
    await say(el, 'Are you still there?');
    expect(el.viewModel.lastRun!.status).to.equal('completed');
  });

  it('"Delete all my conversations" leaves the visitor no old threads on the server', async () => {
    const el = await mount(server);
    await say(el, 'Hello there');
    const first = el.viewModel.thread!.id;
    el.newConversation();
    await waitUntil(() => el.viewModel.thread !== null && el.viewModel.thread.id !== first, 'no second thread', wait);
    await say(el, 'I was charged twice for order 1234');
    const second = el.viewModel.thread!.id;
    const token = localStorage.getItem(`agent-chat:${server}/:visitor`)!;
    const before = (await ask(server, token, { type: 'thread.list' })).threads as Array<{ id: string }>;
    expect(before.map((t) => t.id)).to.have.members([first, second]);
    const events: AgentChatThreadDeletedDetail[] = [];
    el.addEventListener('agent-chat-thread-deleted', (e) => events.push(e.detail));

    await deleteViaMenu(el, 'Delete all my conversations');
    await waitUntil(() => events.length === 1 && el.viewModel.thread !== null && el.viewModel.thread.id !== second, 'no fresh conversation', wait);
    expect(events).to.deep.equal([{ all: true, count: 2 }]);
    const fresh = el.viewModel.thread!.id;
    // The only thread left is the empty one the widget opened after the deletion.
    const after = (await ask(server, token, { type: 'thread.list' })).threads as Array<{ id: string }>;
    expect(after.map((t) => t.id)).to.deep.equal([fresh]);
    expect(await ask(server, token, { type: 'thread.open', threadId: first })).to.include({ type: 'error', code: 'not_found' });
    expect(el.viewModel.items).to.deep.equal([]);
  });
});
