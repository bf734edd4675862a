import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession } from './support/peer.ts';
import { everyItemKind, mountScene, settled, type Look } from './support/scene.ts';

/*
 * The widget on a page that loads Bootstrap and Tailwind's preflight (from their npm packages)
 * plus hostile global rules and rules on the element itself. Inside the shadow root everything
 * must look exactly as on a blank page; the documented ways in (--agent-chat-* properties and
 * ::part) must still work.
 */

const wait = { timeout: 5000, interval: 20 };

/** Rules on the page: a starter template, plain hostility, and rules on the element itself. */
const HOSTILE = `
  #root { text-align: center; }
  * { line-height: 3; letter-spacing: 2px; word-spacing: 7px; text-transform: uppercase; box-sizing: content-box;
      word-break: break-all; font-style: italic; text-indent: 30px; }
  html, body { color: rgb(255, 0, 0); font: 700 22px/4 "Comic Sans MS", cursive; white-space: pre; direction: rtl; }
  button { all: unset; background: rgb(255, 0, 0); }
  div, p, span, pre, code, td { color: rgb(0, 255, 0) !important; font-size: 30px !important; padding: 9px; }
  agent-chat { display: block; font: italic 900 30px/5 serif; color: rgb(255, 0, 0); direction: rtl; text-align: center;
               white-space: pre; letter-spacing: 5px; text-shadow: 0 0 2px red; font-variant: small-caps; }
`;

/** CSS files of the frameworks, as the page would link them. */
const FRAMEWORKS = ['/node_modules/bootstrap/dist/css/bootstrap.min.css', '/node_modules/tailwindcss/preflight.css'];

const PROPERTIES = [
  'text-align', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant-caps', 'line-height', 'letter-spacing',
  'word-spacing', 'color', 'white-space', 'direction', 'text-transform', 'text-indent', 'text-shadow', 'box-sizing',
  'word-break', 'background-color', 'padding-top', 'padding-left', 'border-top-width', 'border-top-style',
] as const;

/** What is compared: the parts that carry text, controls and the layout around them. */
const INLINE_TARGETS = [
  '.base', '[part~="header"]', '[part~="title"]', '[part~="status"]', '[part~="user-message"] .bubble',
  '[part~="assistant-message"] .bubble', '.markdown p', '.markdown td', '.markdown pre code', '[part~="tool-call"] summary',
  '[part~="approval"]', '[part~="approve-button"]', '[part~="deny-button"]', '[part~="handoff"]', '[part~="guardrail"]',
  '[part~="attachment"]', '[part~="input"]', '[part~="send-button"]', '[part~="new-conversation-button"]', '[part~="messages"]',
];
const LAUNCHER_TARGETS = ['[part~="launcher"]', '[part~="panel"]', '[part~="close-button"]', '[part~="input"]'];

type Snapshot = Record<string, Record<string, string>>;

function part(el: AgentChat, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** Computed styles and sizes of each target, keyed by selector. */
function snapshot(el: AgentChat, targets: string[]): Snapshot {
  const out: Snapshot = {};
  for (const selector of targets) {
    const target = el.shadowRoot!.querySelector<HTMLElement>(selector);
    if (!target) throw new Error(`nothing matches ${selector}`);
    const style = getComputedStyle(target);
    const rect = target.getBoundingClientRect();
    out[selector] = Object.fromEntries([
      ...PROPERTIES.map((name) => [name, style.getPropertyValue(name)]),
      ['width', rect.width.toFixed(1)],
      ['height', rect.height.toFixed(1)],
    ]);
  }
  return out;
}

/** Mounts the conversation inside a Vite-starter-like #root of a fixed width. */
async function mountInRoot(look: Look): Promise<AgentChat> {
  const root = await fixture<HTMLDivElement>(html`<div id="root" style="width: 420px"></div>`);
  const session = await peerSession();
  const el = await mountScene(session, everyItemKind(), look, root);
  if (look.mode === 'inline' || look.open) await waitUntil(() => el.shadowRoot!.querySelector('[part~="attachment-thumbnail"]') !== null, 'the image never showed', wait);
  await settled(el);
  return el;
}

async function frameworkCss(): Promise<string> {
  const texts = await Promise.all(FRAMEWORKS.map(async (url) => {
    const response = await fetch(url);
    expect(response.ok, url).to.equal(true);
    return response.text();
  }));
  expect(texts[0]).to.contain('--bs-body-font-family');
  expect(texts[1]).to.contain('box-sizing: border-box');
  return texts.join('\n');
}

function addStyle(text: string): HTMLStyleElement {
  const style = document.createElement('style');
  style.textContent = text;
  document.head.append(style);
  return style;
}

/** The `--agent-chat-*` names docs/widget.md lists under Styling. */
async function documentedProperties(): Promise<string[]> {
  const doc = await (await fetch('/docs/widget.md')).text();
  const paragraph = doc.slice(doc.indexOf('Custom properties on the element'), doc.indexOf('Parts for `::part()`'));
  return [...paragraph.matchAll(/`(--agent-chat-[a-z-]+)`/g)].map((m) => m[1]!);
}

/** The part names docs/widget.md lists. */
async function documentedParts(): Promise<string[]> {
  const doc = await (await fetch('/docs/widget.md')).text();
  const start = doc.indexOf('Parts for `::part()`');
  const paragraph = doc.slice(start, doc.indexOf('\n\n', start));
  return [...paragraph.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!);
}

describe('<agent-chat> on a page with Bootstrap, Tailwind preflight and hostile rules', function () {
  // Two to four mounts per test: room for a loaded machine.
  this.timeout(30_000);
  let styles: HTMLStyleElement[] = [];
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    for (const style of styles) style.remove();
    styles = [];
  });

  it('looks the same inside as on a blank page (inline, every item kind)', async () => {
    const clean = snapshot(await mountInRoot({ mode: 'inline' }), INLINE_TARGETS);
    expect(clean['[part~="assistant-message"] .bubble']!['text-align']).to.be.oneOf(['start', 'left']);
    styles.push(addStyle(await frameworkCss()), addStyle(HOSTILE));
    const el = await mountInRoot({ mode: 'inline' });
    // The hostile rules did reach the page and the element itself…
    expect(getComputedStyle(el).direction).to.equal('rtl');
    expect(getComputedStyle(el).fontFamily).to.equal('serif');
    expect(getComputedStyle(document.body).whiteSpace).to.equal('pre');
    // …and nothing of them reached inside.
    expect(snapshot(el, INLINE_TARGETS)).to.deep.equal(clean);
    const bubble = getComputedStyle(el.shadowRoot!.querySelector('[part~="assistant-message"] .bubble')!);
    expect([bubble.direction, bubble.whiteSpace, bubble.fontSize, bubble.textTransform]).to.deep.equal(['ltr', 'normal', '15px', 'none']);
    expect(bubble.fontFamily).to.contain('system-ui');
  });

  it('looks the same inside as on a blank page (launcher, open)', async () => {
    const clean = snapshot(await mountInRoot({ mode: 'launcher', open: true }), LAUNCHER_TARGETS);
    styles.push(addStyle(await frameworkCss()), addStyle(HOSTILE));
    expect(snapshot(await mountInRoot({ mode: 'launcher', open: true }), LAUNCHER_TARGETS)).to.deep.equal(clean);
  });

  it('applies every documented --agent-chat-* property to what it names', async () => {
    styles.push(addStyle(await frameworkCss()), addStyle(HOSTILE));
    const inline = await mountInRoot({ mode: 'inline' });
    const launcher = await mountInRoot({ mode: 'launcher', open: true });
    const q = (el: AgentChat, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
    const css = (el: AgentChat, selector: string, property: string) => getComputedStyle(q(el, selector)).getPropertyValue(property);
    /** Property → [value to set, how to read the result, what the result must be]. */
    const checks: Record<string, [string, () => string, string]> = {
      '--agent-chat-accent': ['rgb(1, 2, 3)', () => css(inline, '[part~="header"]', 'background-color'), 'rgb(1, 2, 3)'],
      '--agent-chat-accent-text': ['rgb(4, 5, 6)', () => css(inline, '[part~="header"]', 'color'), 'rgb(4, 5, 6)'],
      '--agent-chat-background': ['rgb(7, 8, 9)', () => css(inline, '[part~="panel"]', 'background-color'), 'rgb(7, 8, 9)'],
      '--agent-chat-surface': ['rgb(10, 11, 12)', () => css(inline, '[part~="assistant-message"] .bubble', 'background-color'), 'rgb(10, 11, 12)'],
      '--agent-chat-text': ['rgb(13, 14, 15)', () => css(inline, '[part~="assistant-message"] .bubble', 'color'), 'rgb(13, 14, 15)'],
      '--agent-chat-muted': ['rgb(16, 17, 18)', () => css(inline, '[part~="handoff"]', 'color'), 'rgb(16, 17, 18)'],
      '--agent-chat-border': ['rgb(19, 20, 21)', () => css(inline, '[part~="composer"]', 'border-top-color'), 'rgb(19, 20, 21)'],
      '--agent-chat-danger': ['rgb(22, 23, 24)', () => css(inline, '[part~="guardrail"]', 'border-top-color'), 'rgb(22, 23, 24)'],
      '--agent-chat-success': ['rgb(25, 26, 27)', () => css(inline, '.badge--completed', 'color'), 'rgb(25, 26, 27)'],
      '--agent-chat-code-background': ['rgb(28, 29, 30)', () => css(inline, '[part~="tool-call"] pre', 'background-color'), 'rgb(28, 29, 30)'],
      '--agent-chat-user-background': ['rgb(31, 32, 33)', () => css(inline, '[part~="user-message"] .bubble', 'background-color'), 'rgb(31, 32, 33)'],
      '--agent-chat-user-text': ['rgb(34, 35, 36)', () => css(inline, '[part~="user-message"] .bubble', 'color'), 'rgb(34, 35, 36)'],
      '--agent-chat-font': ['Georgia, serif', () => css(inline, '[part~="assistant-message"] .bubble', 'font-family'), 'Georgia, serif'],
      '--agent-chat-font-size': ['19px', () => css(inline, '[part~="assistant-message"] .bubble', 'font-size'), '19px'],
      '--agent-chat-radius': ['3px', () => css(inline, '[part~="panel"]', 'border-top-left-radius'), '3px'],
      '--agent-chat-shadow': ['rgb(1, 1, 1) 0px 0px 5px 0px', () => css(launcher, '[part~="launcher"]', 'box-shadow'), 'rgb(1, 1, 1) 0px 0px 5px 0px'],
      '--agent-chat-width': ['300px', () => q(launcher, '[part~="panel"]').getBoundingClientRect().width.toFixed(0), '300'],
      '--agent-chat-height': ['400px', () => q(launcher, '[part~="panel"]').getBoundingClientRect().height.toFixed(0), '400'],
      '--agent-chat-offset': ['40px', () => (innerHeight - q(launcher, '[part~="launcher"]').getBoundingClientRect().bottom).toFixed(0), '40'],
      '--agent-chat-z-index': ['7', () => getComputedStyle(launcher).zIndex, '7'],
    };
    expect(Object.keys(checks).sort()).to.deep.equal((await documentedProperties()).sort());
    const before = Object.fromEntries(Object.entries(checks).map(([name, [, read]]) => [name, read()]));
    for (const [name, [value]] of Object.entries(checks)) {
      inline.style.setProperty(name, value);
      launcher.style.setProperty(name, value);
    }
    await Promise.all([inline.updateComplete, launcher.updateComplete]);
    for (const [name, [, read, expected]] of Object.entries(checks)) {
      expect(before[name], `${name} before`).to.not.equal(expected);
      expect(read(), name).to.equal(expected);
    }
  });

  it('styles what ::part names, and ::part(launcher) { bottom: 88px } lifts the launcher with its panel', async () => {
    const sample = ['header', 'title', 'messages', 'user-message', 'assistant-message', 'tool-call', 'approval', 'approve-button',
      'handoff', 'guardrail', 'attachment', 'composer', 'input', 'send-button', 'new-conversation-button', 'status'];
    const documented = await documentedParts();
    for (const name of sample) expect(documented, name).to.include(name);
    styles.push(addStyle(await frameworkCss()), addStyle(HOSTILE));
    const place = await mountInRoot({ mode: 'launcher', open: true });
    const launcherBefore = part(place, 'launcher').getBoundingClientRect();
    place.remove();

    styles.push(addStyle(sample.map((name, n) => `agent-chat::part(${name}) { outline: 3px solid rgb(${n + 1}, 0, 0); }`).join('\n') +
      '\nagent-chat::part(launcher) { bottom: 88px; }'));
    const inline = await mountInRoot({ mode: 'inline' });
    sample.forEach((name, n) => {
      const style = getComputedStyle(part(inline, name));
      expect([style.outlineStyle, style.outlineColor], name).to.deep.equal(['solid', `rgb(${n + 1}, 0, 0)`]);
    });
    expect(getComputedStyle(part(inline, 'base')).outlineStyle, 'an element without those parts').to.equal('none');

    const launcher = await mountInRoot({ mode: 'launcher', open: true });
    const moved = part(launcher, 'launcher').getBoundingClientRect();
    expect(launcherBefore.bottom - moved.bottom).to.equal(88);
    expect(moved.right).to.equal(launcherBefore.right);
    const panel = part(launcher, 'panel').getBoundingClientRect();
    expect(panel.bottom, 'the panel opens above the moved launcher').to.be.at.most(moved.top);
    expect(moved.top - panel.bottom).to.be.lessThan(20);
  });
});
