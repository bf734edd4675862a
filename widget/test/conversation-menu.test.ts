import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat, AgentChatThreadDeletedDetail } from '../src/index.ts';
import { pressKey } from './support/keys.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * The header's conversation options menu against the scripted protocol peer, operated with
 * real key presses: the menu button pattern, the inline confirmation, and what a deletion does.
 */

const wait = { timeout: 5000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}
/** The focused element inside the widget, described by its part or its text. */
function focused(el: AgentChat): string {
  const active = el.shadowRoot!.activeElement as HTMLElement | null;
  if (!active) return 'nothing';
  const name = active.getAttribute('part') ?? active.tagName.toLowerCase();
  return name === 'menu-item' ? `menu-item:${active.textContent}` : name;
}

async function mountLauncher(session: PeerSession): Promise<AgentChat> {
  const el = await fixture<AgentChat>(html`<agent-chat server=${session.server} workflow="support"></agent-chat>`);
  await el.show();
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  await el.updateComplete;
  return el;
}

/** Presses a key and lets the element render what it changed. */
async function press(el: AgentChat, key: string): Promise<void> {
  await pressKey(key);
  await el.updateComplete;
}

describe('<agent-chat> conversation menu', () => {
  beforeEach(() => localStorage.clear());

  it('is a keyboard-operable menu button; Escape closes the menu or the confirmation, not the panel', async () => {
    const session = await peerSession();
    const el = await mountLauncher(session);
    const button = part(el, 'menu-button') as HTMLButtonElement;
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.getAttribute('aria-label')).to.equal('Conversation options');
    expect(part(el, 'menu')).to.equal(null);

    button.focus();
    await press(el, 'Enter');
    const menu = part(el, 'menu')!;
    expect(menu.getAttribute('role')).to.equal('menu');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(parts(el, 'menu-item').map((i) => [i.getAttribute('role'), i.textContent])).to.deep.equal([
      ['menuitem', 'Delete this conversation'],
      ['menuitem', 'Delete all my conversations'],
    ]);
    expect(focused(el)).to.equal('menu-item:Delete this conversation');
    await expect(el).shadowDom.to.be.accessible();
    await press(el, 'ArrowDown');
    expect(focused(el)).to.equal('menu-item:Delete all my conversations');
    await press(el, 'ArrowDown');
    expect(focused(el), 'wraps around').to.equal('menu-item:Delete this conversation');
    await press(el, 'End');
    expect(focused(el)).to.equal('menu-item:Delete all my conversations');
    await press(el, 'Home');
    expect(focused(el)).to.equal('menu-item:Delete this conversation');

    await press(el, 'Escape');
    expect(part(el, 'menu')).to.equal(null);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(focused(el)).to.equal('menu-button');
    expect(el.open, 'the panel stays open').to.equal(true);

    // ArrowUp opens on the last item; Enter picks it and asks for confirmation, focus on Cancel.
    await press(el, 'ArrowUp');
    expect(focused(el)).to.equal('menu-item:Delete all my conversations');
    await press(el, 'Enter');
    expect(part(el, 'menu')).to.equal(null);
    expect(part(el, 'confirm')!.textContent).to.contain("Delete all your conversations? This can't be undone.");
    expect(focused(el)).to.equal('cancel-button');
    await expect(el).shadowDom.to.be.accessible();
    await press(el, 'Escape');
    expect(part(el, 'confirm')).to.equal(null);
    expect(focused(el)).to.equal('menu-button');
    expect(el.open).to.equal(true);
    expect((await session.frames()).map((f) => f.frame.type)).to.not.include('thread.delete_all');

    // Focus leaving the menu closes it.
    await press(el, 'Enter');
    expect(part(el, 'menu')).to.not.equal(null);
    (part(el, 'input') as HTMLTextAreaElement).focus();
    await el.updateComplete;
    expect(part(el, 'menu')).to.equal(null);
  });

  it('deletes this conversation after confirming with the keyboard, then starts a fresh one', async () => {
    const session = await peerSession();
    const el = await mountLauncher(session);
    el.send('hello');
    await waitUntil(() => el.viewModel.lastRun?.status === 'completed', 'no reply', wait);
    const oldThread = el.viewModel.thread!.id;
    const storageKey = `agent-chat:${session.server}/:thread:support`;
    expect(localStorage.getItem(storageKey)).to.equal(oldThread);
    const deleted: AgentChatThreadDeletedDetail[] = [];
    el.addEventListener('agent-chat-thread-deleted', (e) => deleted.push(e.detail));

    (part(el, 'menu-button') as HTMLButtonElement).focus();
    await press(el, 'Enter');
    await press(el, 'Enter'); // "Delete this conversation"
    expect(part(el, 'confirm')!.textContent).to.contain('Delete this conversation?');
    expect(focused(el)).to.equal('cancel-button');
    await press(el, 'Shift+Tab');
    expect(focused(el)).to.equal('confirm-button');
    await press(el, 'Enter');

    await waitUntil(() => deleted.length === 1 && el.viewModel.thread !== null && el.viewModel.thread.id !== oldThread, 'no fresh thread', wait);
    expect(deleted).to.deep.equal([{ threadId: oldThread, all: false }]);
    await el.updateComplete;
    expect(part(el, 'confirm')).to.equal(null);
    expect(el.viewModel.items).to.deep.equal([]);
    expect(parts(el, 'message')).to.have.length(0);
    expect(localStorage.getItem(storageKey)).to.equal(el.viewModel.thread!.id);
    expect(focused(el), 'focus goes to the text box of the new conversation').to.equal('input');
    const sent = (await session.frames()).map((f) => f.frame).filter((f) => f.type.startsWith('thread.delete'));
    expect(sent).to.deep.equal([{ type: 'thread.delete', id: sent[0]!.id, threadId: oldThread }]);
  });

  it('deletes all conversations and forgets every remembered thread of this server', async () => {
    const session = await peerSession();
    const el = await mountLauncher(session);
    const otherWorkflowKey = `agent-chat:${session.server}/:thread:sales`;
    const otherServerKey = `agent-chat:http://elsewhere.example/:thread:support`;
    localStorage.setItem(otherWorkflowKey, 'th_old');
    localStorage.setItem(otherServerKey, 'th_kept');
    const deleted: AgentChatThreadDeletedDetail[] = [];
    el.addEventListener('agent-chat-thread-deleted', (e) => deleted.push(e.detail));
    const oldThread = el.viewModel.thread!.id;

    (part(el, 'menu-button') as HTMLButtonElement).click();
    await el.updateComplete;
    parts(el, 'menu-item')[1]!.click();
    await el.updateComplete;
    (part(el, 'confirm-button') as HTMLButtonElement).click();
    await waitUntil(() => deleted.length === 1 && el.viewModel.thread !== null && el.viewModel.thread.id !== oldThread, 'no fresh thread', wait);
    expect(deleted).to.deep.equal([{ all: true, count: 1 }]);
    expect(localStorage.getItem(otherWorkflowKey)).to.equal(null);
    expect(localStorage.getItem(otherServerKey)).to.equal('th_kept');
    expect(localStorage.getItem(`agent-chat:${session.server}/:thread:support`)).to.equal(el.viewModel.thread!.id);
    expect(el.viewModel.connection).to.equal('connected');
  });
});
