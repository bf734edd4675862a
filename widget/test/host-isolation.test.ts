import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';

/** Rules a host page might have: a starter template, a CSS framework, or plain hostility. */
const HOSTILE = `
  body { text-align: center; letter-spacing: 4px; word-spacing: 9px; font-style: italic; font-weight: 900;
         white-space: pre; line-height: 4; text-transform: uppercase; text-indent: 40px; color: rgb(255, 0, 0);
         font-family: "Comic Sans MS", cursive; text-shadow: 1px 1px 2px black; }
  * { text-align: right; letter-spacing: 3px; font-style: oblique; white-space: nowrap; }
  agent-chat[mode='launcher'] { bottom: 88px; }
`;

describe('<agent-chat> on a page with hostile styles', () => {
  let style: HTMLStyleElement;
  beforeEach(() => {
    style = document.createElement('style');
    style.textContent = HOSTILE;
    document.head.append(style);
  });
  afterEach(() => style.remove());

  it('keeps the page’s inherited text styles out of the chat, and lets the page place the launcher', async () => {
    // No server: the panel renders its empty state and composer regardless.
    const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server="http://127.0.0.1:9" style="height: 400px"></agent-chat>`);
    await el.updateComplete;
    const inside = el.shadowRoot!.querySelector<HTMLElement>('[part~="composer"]')!;
    const computed = getComputedStyle(inside);
    expect(computed.textAlign).to.be.oneOf(['start', 'left']);
    expect(computed.letterSpacing).to.equal('normal');
    expect(computed.wordSpacing).to.equal('0px');
    expect(computed.fontStyle).to.equal('normal');
    expect(computed.fontWeight).to.equal('400');
    expect(computed.whiteSpace).to.equal('normal');
    expect(computed.textTransform).to.equal('none');
    expect(computed.textIndent).to.equal('0px');
    expect(computed.textShadow).to.equal('none');
    expect(computed.color).to.not.equal('rgb(255, 0, 0)');
    expect(computed.fontFamily).to.not.contain('Comic Sans');
    // The theming variables still come through the reset.
    el.style.setProperty('--agent-chat-font', 'Georgia, serif');
    await el.updateComplete;
    expect(getComputedStyle(inside).fontFamily).to.contain('Georgia');

    const launcher = await fixture<AgentChat>(html`<agent-chat server="http://127.0.0.1:9"></agent-chat>`);
    expect(getComputedStyle(launcher).position).to.equal('fixed');
    expect(getComputedStyle(launcher).bottom).to.equal('88px');
  });
});
