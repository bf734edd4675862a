import { expect, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession } from './support/peer.ts';
import { everyItemKind, mountScene, settled, type Look } from './support/scene.ts';

/*
 * axe-core (every rule the suite runs, colour contrast included) on each way a site shows the
 * widget, over a conversation holding every item kind. A new variant is one line in LOOKS.
 */

const wait = { timeout: 5000, interval: 20 };

const LOOKS: Array<[string, Look]> = [
  ['inline, light', { mode: 'inline', theme: 'light' }],
  ['inline, dark', { mode: 'inline', theme: 'dark' }],
  ['launcher closed', { mode: 'launcher', theme: 'light' }],
  ['launcher open', { mode: 'launcher', theme: 'light', open: true }],
  ['launcher open, dark', { mode: 'launcher', theme: 'dark', open: true }],
  ['inline, Arabic', { mode: 'inline', theme: 'light', lang: 'ar' }],
  ['launcher open, Arabic, dark', { mode: 'launcher', theme: 'dark', open: true, lang: 'ar' }],
];

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

describe('axe on every look of the widget', function () {
  // A mount and a full axe run per look: room for a loaded machine.
  this.timeout(30_000);
  beforeEach(() => localStorage.clear());

  for (const [name, look] of LOOKS) {
    it(`${name}: no violations`, async () => {
      const session = await peerSession();
      const el = await mountScene(session, everyItemKind(), look);
      if (look.mode === 'launcher' && !look.open) {
        expect(part(el, 'panel')!.hidden).to.equal(true);
        expect(part(el, 'launcher')!.getAttribute('aria-expanded')).to.equal('false');
      } else {
        // Every kind is on screen: a failed axe rule could not hide behind a missing item.
        for (const kind of ['user-message', 'assistant-message', 'tool-call', 'approval', 'handoff', 'guardrail', 'attachment', 'attachment-thumbnail']) {
          await waitUntil(() => part(el, kind) !== null, `no ${kind}`, wait);
        }
        const markdown = part(el, 'assistant-message')!;
        expect(markdown.querySelectorAll('table, pre code, a[href]').length).to.be.at.least(3);
        // An error line from the server, too.
        await session.refuse({ on: 'message.send', code: 'rate_limited', message: 'Too many messages; please slow down.' });
        expect(el.send('hello')).to.equal(true);
        await waitUntil(() => part(el, 'status-line')!.textContent!.trim() !== '', 'no status line', wait);
        // The approval card's Deny form, with its labelled reason field.
        (part(el, 'deny-button') as HTMLButtonElement).click();
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('.approval__reason input')).to.not.equal(null);
      }
      if (look.lang === 'ar') {
        // Checked in Arabic, right to left, not in English with an Arabic tag.
        expect(part(el, 'panel')!.getAttribute('dir')).to.equal('rtl');
        expect(part(el, 'input')!.getAttribute('aria-label')).to.equal('الرسالة');
      }
      await settled(el);
      await expect(el).shadowDom.to.be.accessible();
    });
  }
});
