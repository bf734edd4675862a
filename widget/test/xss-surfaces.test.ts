import { expect, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import * as icons from '../src/views/icons.ts';
import { humanizeName } from '../src/views/tool-display.ts';
import { peerSession } from './support/peer.ts';
import { mountScene, PNG_BASE64, type Scene } from './support/scene.ts';
import { SAFE_URL, XSS, type PwnedWindow } from './support/xss-corpus.ts';

/*
 * The XSS corpus in every place the widget shows untrusted text, through the real protocol
 * (the scripted peer): visitor text, model text, tool names, arguments, output and errors,
 * workflow and agent names, the thread title, file names (sent and chosen), guardrail
 * messages, run errors, refusals and upload errors from the server.
 */

const wait = { timeout: 5000, interval: 20 };
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'srcset', 'ping'];
const FORBIDDEN = 'script, iframe, frame, frameset, object, embed, applet, base, meta, link, style, math, noscript, portal, template';

/** The markup of the widget's own icons: the only SVG the shadow root may hold. */
function iconMarkup(): Set<string> {
  const box = document.createElement('div');
  const markup = new Set<string>();
  for (const icon of Object.values(icons)) {
    render(icon, box);
    markup.add(clean(box.querySelector('svg')!.outerHTML));
  }
  return markup;
}
const clean = (html: string) => html.replace(/<!--[^>]*-->/g, '');

/** Everything in the shadow root that would let content run or navigate. */
function problems(el: AgentChat, allowedSvg: Set<string>): string[] {
  const found: string[] = [];
  for (const node of el.shadowRoot!.querySelectorAll('*')) {
    const tag = node.localName;
    if (node.matches(FORBIDDEN)) found.push(`<${tag}>`);
    if (tag === 'svg' && !allowedSvg.has(clean(node.outerHTML))) found.push(`content svg: ${node.outerHTML.slice(0, 80)}`);
    if (tag === 'form' && !node.matches('[part~="composer"], .approval__actions, .lightbox form')) found.push('content form');
    for (const name of node.getAttributeNames()) {
      if (name.startsWith('on')) found.push(`<${tag} ${name}>`);
      if (name === 'srcdoc' || name === 'autofocus') found.push(`<${tag} ${name}>`);
      const value = node.getAttribute(name)!.trim();
      if (URL_ATTRIBUTES.includes(name) && !SAFE_URL.test(value)) found.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
    }
  }
  return found;
}

/** One conversation with `payload` in every item surface, a workflow and agents named with it, and it as the title. */
function hostileScene(payload: string): Scene {
  return {
    title: payload,
    workflow: { name: payload, agents: [{ id: 'triage', name: payload }, { id: 'billing', name: `${payload} 2` }] },
    failMessage: payload,
    files: [
      { id: 'upl_img', name: payload, mime: 'image/png', base64: PNG_BASE64 },
      { id: 'upl_doc', name: payload, mime: 'text/html', base64: btoa('<script>parent.__pwned=1</script>') },
    ],
    items: [
      { id: 'it_1', type: 'user_message', text: payload, attachments: [
        { id: 'upl_img', name: payload, mime: 'image/png', size: 70 },
        { id: 'upl_doc', name: payload, mime: 'text/html', size: 33 },
      ] },
      { id: 'it_2', type: 'assistant_message', agent: 'triage', status: 'done', text: payload },
      { id: 'it_3', type: 'assistant_message', agent: 'triage', status: 'incomplete', text: `Before ${payload} after` },
      { id: 'it_4', type: 'tool_call', agent: 'triage', callId: 'c1', name: payload, arguments: { [payload]: payload, q: payload }, status: 'completed', output: payload },
      { id: 'it_5', type: 'tool_call', agent: 'triage', callId: 'c2', name: payload, arguments: { nested: { html: payload } }, status: 'failed', output: { html: payload }, error: payload },
      { id: 'it_6', type: 'handoff', from: 'triage', to: 'billing' },
      { id: 'it_7', type: 'guardrail', agent: 'billing', name: payload, stage: 'input', message: payload },
      { id: 'it_8', type: 'tool_call', agent: 'billing', callId: 'c3', name: payload, arguments: { [payload]: payload }, status: 'awaiting_approval' },
    ],
  };
}

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
/** The status line's message, without its buttons (Retry after a failed run). */
function statusText(el: AgentChat): string {
  return part(el, 'status-line')!.querySelector('span')!.textContent!.trim();
}

/** Lets images that (wrongly) exist fail to load and fire their handlers. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('the XSS corpus in every surface of the widget', function () {
  // A mount, a failed run and a refusal per payload: room for a loaded machine.
  this.timeout(30_000);
  const allowedSvg = iconMarkup();
  const originalAlert = window.alert;
  before(() => {
    window.alert = () => ((window as PwnedWindow).__pwned = 'alert');
  });
  after(() => {
    window.alert = originalAlert;
  });
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    expect((window as PwnedWindow).__pwned, 'a payload ran').to.equal(undefined);
  });

  XSS.forEach((payload, n) => {
    it(`payload ${n}: ${JSON.stringify(payload).slice(0, 60)}`, async () => {
      const session = await peerSession();
      const el = await mountScene(session, hostileScene(payload));
      await waitUntil(() => part(el, 'attachment-thumbnail') !== null, 'the image never showed', wait);
      // Names and messages are shown as text, exactly.
      expect(part(el, 'title')!.textContent).to.equal(payload);
      expect(part(el, 'user-message')!.querySelector('.bubble')!.textContent).to.equal(payload);
      expect(part(el, 'guardrail')!.textContent).to.contain(payload.trim());
      // A tool name is shown made readable as the title, and as it is in the details.
      expect(part(el, 'tool-call')!.querySelector('.tool__name')!.textContent).to.equal(humanizeName(payload));
      expect(part(el, 'tool-call')!.querySelector('dd code')!.textContent).to.equal(payload);
      expect(part(el, 'approval')!.querySelector('dt')!.textContent).to.equal(humanizeName(payload));
      expect(part(el, 'attachment')!.textContent).to.contain(payload.trim());

      // A run that fails with the payload as its error, asked for by visitor text holding it.
      expect(el.send(`fail ${payload}`)).to.equal(true);
      await waitUntil(() => el.viewModel.lastRun?.status === 'failed', 'the run never failed', wait);
      await el.updateComplete;
      expect(statusText(el)).to.equal(payload.trim());
      // A refusal whose message is the payload; the message stays as "Not sent".
      await session.refuse({ on: 'message.send', code: 'invalid_request', message: payload });
      expect(el.send(payload)).to.equal(true);
      await waitUntil(() => el.viewModel.error?.message === payload, 'no refusal', wait);
      await el.updateComplete;
      for (const details of el.shadowRoot!.querySelectorAll('details')) details.open = true;
      await settle();
      expect(problems(el, allowedSvg), 'unsafe DOM').to.deep.equal([]);
    });
  });

  it('the checks see what they look for (a planted handler, URL, svg and script)', async () => {
    const session = await peerSession();
    const el = await mountScene(session, { items: [] });
    const planted = document.createElement('div');
    planted.innerHTML = '<img onerror="x"><a href="javascript:x">a</a><svg></svg><script></script>';
    el.shadowRoot!.append(planted);
    expect(problems(el, allowedSvg)).to.have.length(4);
    planted.remove();
    expect(problems(el, allowedSvg)).to.deep.equal([]);
  });

  it('keeps chosen file names and refused uploads inert', async () => {
    const session = await peerSession();
    await session.uploadConfig({ limits: { maxFileBytes: 10_000, maxFilesPerMessage: 10, acceptedTypes: [] } });
    await session.uploadConfig({ refuse: { status: 415, code: 'unsupported_media_type', message: XSS[1]!, times: 3 } });
    const el = await mountScene(session, { items: [] });
    const files = XSS.slice(0, 10).map((payload) => new File(['x'], payload, { type: 'text/plain' }));
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const dt = new DataTransfer();
    for (const file of files) dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => el.viewModel.drafts.length === 10 && el.viewModel.drafts.every((d) => d.status !== 'uploading'), 'uploads never ended', wait);
    await el.updateComplete;
    const names = [...el.shadowRoot!.querySelectorAll('.chip__name')].map((n) => n.textContent);
    expect(names).to.deep.equal(XSS.slice(0, 10));
    expect(el.shadowRoot!.querySelectorAll('.chip__error').length).to.equal(3);
    expect(el.shadowRoot!.querySelector('.chip__error')!.textContent).to.contain(XSS[1]);
    await settle();
    expect(problems(el, allowedSvg), 'unsafe DOM').to.deep.equal([]);
  });
});
