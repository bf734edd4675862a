import { expect, nextFrame } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { ScrollAnchor } from '../src/views/scroll-anchor.ts';

/*
 * The scroll anchor alone, on a plain Lit host: a 200 px log whose children the test adds and
 * removes as the conversation would, and scrolls as a visitor would (a wheel event, then the scroll).
 */

class AnchorHost extends LitElement {
  anchor = new ScrollAnchor(this, () => this.renderRoot.querySelector<HTMLElement>('.log'));
  protected override render() {
    return html`<div class="log" style="height: 200px; overflow-y: auto; overflow-anchor: auto"></div>`;
  }
}
customElements.define('anchor-host', AnchorHost);

function block(height: number): HTMLElement {
  const div = document.createElement('div');
  div.style.height = `${height}px`;
  return div;
}

async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextFrame();
}

const fromBottom = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight;

async function mount(): Promise<{ host: AnchorHost; log: HTMLElement }> {
  const host = document.createElement('anchor-host') as AnchorHost;
  document.body.append(host);
  await host.updateComplete;
  const log = host.renderRoot.querySelector<HTMLElement>('.log')!;
  for (let i = 0; i < 10; i++) log.append(block(100));
  host.requestUpdate(); // hostUpdated observes the new children
  await host.updateComplete;
  await frames(3);
  expect(fromBottom(log), 'pinned to the newest content').to.be.at.most(1);
  return { host, log };
}

describe('ScrollAnchor', () => {
  afterEach(() => document.querySelectorAll('anchor-host').forEach((el) => el.remove()));

  it('stays pinned when the browser moves the view because content shrank (a failed reply replaced by a new answer)', async () => {
    const { host, log } = await mount();
    // The failed reply's block goes (the browser clamps scrollTop: a scroll event nobody asked for)…
    log.lastElementChild!.remove();
    void log.scrollTop; // lay out now: the clamp happens, its scroll event waits for the next frame
    // …and the new answer arrives before that event is delivered.
    log.append(block(455));
    host.requestUpdate();
    await host.updateComplete;
    await frames(4);
    expect(host.anchor.away, 'not taken for the visitor scrolling up').to.equal(false);
    expect(fromBottom(log), 'still showing the newest content').to.be.at.most(1);
  });

  it('lets go when the visitor scrolls up (wheel), and keeps their place while content grows', async () => {
    const { host, log } = await mount();
    log.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, bubbles: true }));
    log.scrollTop = 100;
    await frames(2);
    expect(host.anchor.away).to.equal(true);
    log.append(block(300));
    host.requestUpdate();
    await host.updateComplete;
    await frames(3);
    expect(log.scrollTop, 'not moved').to.equal(100);
    // Back at the bottom by their own scroll: pinned again.
    log.dispatchEvent(new WheelEvent('wheel', { deltaY: 2000, bubbles: true }));
    log.scrollTop = log.scrollHeight;
    await frames(2);
    expect(host.anchor.away).to.equal(false);
  });
});
