import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession } from './support/peer.ts';

/*
 * Right to left: in Arabic the panel mirrors (measured, not just the dir attribute), and the
 * page's own direction does not leak into a left-to-right widget.
 */

const wait = { timeout: 5000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
}
const rect = (node: Element) => node.getBoundingClientRect();

async function conversation(lang: string, pageDir = ''): Promise<AgentChat> {
  const session = await peerSession();
  const container = await fixture<HTMLElement>(
    html`<div dir=${pageDir || 'ltr'}><agent-chat mode="inline" lang=${lang} server=${session.server} style="height: 480px; width: 420px"></agent-chat></div>`,
  );
  const el = container.querySelector<AgentChat>('agent-chat')!;
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  expect(el.send('hello')).to.equal(true);
  await waitUntil(() => el.viewModel.activeRunId === null && el.viewModel.items.length >= 2, 'no reply', wait);
  await el.updateComplete;
  return el;
}

/** Where a node sits across the conversation: the gap to its left and to its right. */
function gaps(el: AgentChat, node: Element): { left: number; right: number } {
  const box = rect(part(el, 'messages'));
  const r = rect(node);
  return { left: r.left - box.left, right: box.right - r.right };
}

describe('right to left', () => {
  beforeEach(() => localStorage.clear());

  it('mirrors the Arabic panel: the visitor on the left, the reply on the right, Send on the left and pointing left', async () => {
    const el = await conversation('ar');
    const panel = part(el, 'panel');
    expect(panel.dir).to.equal('rtl');
    expect(getComputedStyle(panel).direction).to.equal('rtl');
    const user = gaps(el, part(el, 'user-message').querySelector('.bubble')!);
    const reply = gaps(el, part(el, 'assistant-message').querySelector('.bubble')!);
    expect(user.left, 'the visitor hugs the left edge').to.be.lessThan(user.right);
    expect(reply.right, 'the reply hugs the right edge').to.be.lessThan(reply.left);
    // A message takes its direction from its own text: the peer's English reply reads left to
    // right in the Arabic panel (its final "?" stays at the end), an Arabic one right to left.
    expect(getComputedStyle(part(el, 'assistant-message').querySelector('.bubble')!).direction).to.equal('ltr');
    expect(el.send('مرحبا')).to.equal(true);
    await waitUntil(() => part(el, 'panel').querySelectorAll('[part~="user-message"]').length === 2, 'no second message', wait);
    const arabic = [...el.shadowRoot!.querySelectorAll('[part~="user-message"] .bubble')].at(-1)!;
    expect(getComputedStyle(arabic).direction).to.equal('rtl');
    await waitUntil(() => el.viewModel.activeRunId === null, 'no second reply', wait);
    const send = rect(part(el, 'send-button'));
    const box = rect(part(el, 'input'));
    expect(send.right, 'Send left of the text box').to.be.at.most(box.left);
    expect(getComputedStyle(part(el, 'send-button').querySelector('svg')!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    // The header's buttons sit at the start side (left) of the title.
    expect(rect(part(el, 'new-conversation-button')).right).to.be.at.most(rect(part(el, 'title')).left);
    // A handoff's arrows point from the first agent (right) to the next (left).
    expect(el.send('billing')).to.equal(true);
    await waitUntil(() => part(el, 'handoff'), 'no handoff', wait);
    const notice = part(el, 'handoff');
    const [from, to] = [...notice.querySelectorAll(':scope > span:not([aria-hidden]):not(.sr-only)')];
    expect(rect(from!).left, 'Triage right of Billing').to.be.greaterThan(rect(to!).left);
    expect(getComputedStyle(notice.querySelector('.handoff__arrow')!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    expect(getComputedStyle(notice.querySelector('svg')!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
  });

  it('keeps English left to right, even on a right-to-left page', async () => {
    const el = await conversation('en', 'rtl');
    const panel = part(el, 'panel');
    expect(panel.dir).to.equal('ltr');
    expect(getComputedStyle(panel).direction).to.equal('ltr');
    const user = gaps(el, part(el, 'user-message').querySelector('.bubble')!);
    expect(user.right, 'the visitor hugs the right edge').to.be.lessThan(user.left);
    expect(rect(part(el, 'send-button')).left, 'Send right of the text box').to.be.at.least(rect(part(el, 'input')).right);
    expect(getComputedStyle(part(el, 'send-button').querySelector('svg')!).transform).to.equal('none');
  });

  it('opens the conversation menu toward the inside of the mirrored panel', async () => {
    const el = await conversation('ar');
    part(el, 'menu-button').click();
    await el.updateComplete;
    const menu = rect(part(el, 'menu'));
    const panel = rect(part(el, 'panel'));
    expect(menu.left).to.be.at.least(panel.left);
    expect(menu.right).to.be.at.most(panel.right);
    expect(part(el, 'menu-item').textContent!.trim()).to.equal('حذف هذه المحادثة');
  });
});
