/*
 * Conversations built from chosen items, served by the scripted protocol peer's `scene` route,
 * and a widget mounted on them (as after a reload: the thread id is in localStorage).
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { Item } from '@agent-chat/shared';
import type { AgentChat } from '../../src/index.ts';
import type { PeerSession } from './peer.ts';

/** An item as the test writes it: `createdAt` is filled in by the peer. */
export type SceneItem = Item extends infer I ? (I extends Item ? Omit<I, 'createdAt'> & { createdAt?: string } : never) : never;

/** What the peer's `scene` route takes (see protocol-peer.mjs). */
export interface Scene {
  items: SceneItem[];
  title?: string;
  workflow?: { name?: string; agents?: Array<{ id: string; name: string }> };
  files?: Array<{ id: string; name: string; mime: string; base64: string }>;
  failMessage?: string;
}

/** How the widget is shown: attributes of `<agent-chat>`. */
export interface Look {
  mode?: 'inline' | 'launcher';
  theme?: 'light' | 'dark';
  open?: boolean;
  lang?: string;
}

/** A 4×4 PNG, for image attachments. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFElEQVR4nGP8z4AATEhsDA4TAwMAM8ABD1Vg3pgAAAAASUVORK5CYII=';

/** One of every item kind a conversation can hold, with markdown that uses code, a table and links. */
export function everyItemKind(): Scene {
  return {
    title: 'Order 1234',
    files: [
      { id: 'upl_photo', name: 'photo.png', mime: 'image/png', base64: PNG_BASE64 },
      { id: 'upl_receipt', name: 'receipt.pdf', mime: 'application/pdf', base64: 'JVBERi0xLjQK' },
    ],
    items: [
      { id: 'it_1', type: 'user_message', text: 'Where is my order 1234?\nIt was due on Monday.', attachments: [
        { id: 'upl_photo', name: 'photo.png', mime: 'image/png', size: 70 },
        { id: 'upl_receipt', name: 'receipt.pdf', mime: 'application/pdf', size: 9 },
      ] },
      { id: 'it_2', type: 'tool_call', agent: 'triage', callId: 'call_1', name: 'lookup_order', arguments: { order_id: '1234' }, status: 'completed', output: { status: 'shipped', carrier: 'DHL' } },
      { id: 'it_3', type: 'assistant_message', agent: 'triage', status: 'done', text:
        'Your order **1234** has shipped with DHL. Track it on [the carrier’s site](https://example.com/track).\n\n' +
        '| Item | Qty |\n| --- | ---: |\n| Mug | 2 |\n| Tea | 1 |\n\n```js\nconst eta = "Thursday";\n```' },
      { id: 'it_4', type: 'user_message', text: 'I would like a refund instead.', attachments: [] },
      { id: 'it_5', type: 'handoff', from: 'triage', to: 'billing' },
      { id: 'it_6', type: 'guardrail', agent: 'billing', name: 'pii', stage: 'input', message: 'Please do not share card numbers here.' },
      { id: 'it_7', type: 'tool_call', agent: 'billing', callId: 'call_2', name: 'refund_order', arguments: { order_id: '1234', amount: '24.00 EUR' }, status: 'awaiting_approval' },
    ],
  };
}

/**
 * Creates the scene on the peer and mounts a widget showing it (in `parentNode`, if given);
 * inline and open widgets are connected, with every item shown, on return.
 */
export async function mountScene(session: PeerSession, scene: Scene, look: Look = {}, parentNode?: HTMLElement): Promise<AgentChat> {
  const response = await fetch(`${session.server}/scene`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scene) });
  const { threadId } = (await response.json()) as { threadId: string };
  localStorage.setItem(`agent-chat:${session.server}/:thread:support`, threadId);
  const mode = look.mode ?? 'inline';
  const el = await fixture<AgentChat>(html`<agent-chat
    mode=${mode}
    theme=${look.theme ?? 'light'}
    lang=${look.lang ?? 'en'}
    ?open=${look.open ?? false}
    server=${session.server}
    workflow="support"
    style=${mode === 'inline' ? 'height: 640px' : ''}
  ></agent-chat>`, parentNode ? { parentNode } : {});
  if (mode === 'inline' || look.open) {
    await waitUntil(() => el.viewModel.connection === 'connected' && el.viewModel.thread?.id === threadId, 'never opened the scene', { timeout: 5000, interval: 20 });
    await waitUntil(() => el.viewModel.items.length === scene.items.length, 'items missing', { timeout: 5000, interval: 20 });
  }
  await el.updateComplete;
  return el;
}

/** Waits until the panel's entrance animation (if any) is over, so axe and pixels see its final look. */
export async function settled(el: AgentChat): Promise<void> {
  await el.updateComplete;
  const animations = el.shadowRoot!.getAnimations?.() ?? [];
  await Promise.all(animations.filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished));
}
