import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentConsole } from '../src/index.ts';
import { pressKey } from '../../widget/test/support/keys.ts';
import { realServer } from './support/seed.ts';

/*
 * The Evals view against the REAL server: `agent-chat eval` (the real command, the demo's
 * workflows on the offline model) stores a run with two variants in the server's database, and
 * the console lists it, shows its A/B table with the best variant named in words, and its case
 * grid with the failing graders behind a keyboard-operable disclosure; case text stays text.
 */

const wait = { timeout: 8000, interval: 25 };
const API = new URL('/v1/admin/', location.origin);

function view(el: AgentConsole, tag: string): ShadowRoot | null {
  return el.shadowRoot!.querySelector(tag)?.shadowRoot ?? null;
}

async function signedIn(token: string, theme: 'light' | 'dark'): Promise<AgentConsole> {
  const el = await fixture<AgentConsole>(html`<agent-console .apiBase=${API} theme=${theme}></agent-console>`);
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="key"]')!;
  input.value = token;
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('console-conversations, console-evals, console-eval-run'), 'not signed in', wait);
  return el;
}

async function go(hash: string): Promise<void> {
  location.hash = hash;
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const cellText = (root: ShadowRoot, selector: string) => root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

describe('console Evals view', function () {
  // One real eval run (a child process playing 8 conversations) and axe per view.
  this.timeout(90_000);
  let runId: string;
  let adminToken: string;

  before(async () => {
    adminToken = (await realServer()).adminToken;
    const res = await fetch('/__agent-chat-server/eval', { method: 'POST' });
    if (!res.ok) throw new Error(`POST /__agent-chat-server/eval: ${res.status} ${await res.text()}`);
    runId = ((await res.json()) as { id: string }).id;
  });
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });
  after(() => history.replaceState(null, '', location.pathname + location.search));

  it('lists the stored run from the nav with each variant’s passes and the best one named', async () => {
    const el = await signedIn(adminToken, 'light');
    const nav = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('nav a')].find((a) => a.textContent === 'Evals')!;
    expect(nav.getAttribute('href')).to.equal('#/evals');
    await go('#/evals');
    await waitUntil(() => view(el, 'console-evals')?.querySelector(`tr[data-run="${runId}"]`), 'the run is not listed', wait);
    expect(nav.getAttribute('aria-current')).to.equal('page');
    const list = view(el, 'console-evals')!;
    const row = list.querySelector(`tr[data-run="${runId}"]`)!;
    expect(row.querySelector('a')!.getAttribute('href')).to.equal(`#/evals/${runId}`);
    expect(row.textContent!.replace(/\s+/g, ' ')).to.contain('eval-cases.jsonl').and.contain('baseline: 3/4 Best').and.contain('no-inventory: 2/4').and.contain('support, weather');
    await expect(el).to.be.accessible();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`shows the A/B table and the case grid, failing graders opened from the keyboard, markup as text (${theme})`, async () => {
      const el = await signedIn(adminToken, theme);
      await go(`#/evals/${runId}`);
      await waitUntil(() => view(el, 'console-eval-run')?.querySelector('table.grid tbody tr'), 'no run page', wait);
      const run = view(el, 'console-eval-run')!;
      await waitUntil(() => run.activeElement?.tagName === 'H2', 'focus stayed behind', wait);

      // The A/B table: a column per variant, the best named in its header and in a sentence.
      expect([...run.querySelectorAll('table.ab thead th[data-variant]')].map((th) => th.getAttribute('data-variant'))).to.deep.equal(['baseline', 'no-inventory']);
      expect(cellText(run, 'table.ab th[data-variant="baseline"]')).to.equal('baseline Best');
      expect(cellText(run, 'table.ab th[data-variant="no-inventory"]')).to.equal('no-inventory');
      expect(cellText(run, 'tr[data-measure="rate"] td[data-variant="baseline"]')).to.equal('75%');
      expect(cellText(run, 'tr[data-measure="passed"] td[data-variant="no-inventory"]')).to.equal('2 / 4');
      expect(cellText(run, 'tr[data-measure="cost"] td[data-variant="baseline"]')).to.equal('$0.00');
      expect(cellText(run, 'tr[data-measure="p95"] td[data-variant="baseline"]')).to.match(/^\d+(\.\d)? m?s$/);
      expect(cellText(run, 'p.verdict')).to.contain('Best: baseline (highest pass rate).');

      // The case grid: pass/fail in words per variant; the failing graders behind a disclosure.
      expect([...run.querySelectorAll('table.grid tbody tr')].map((tr) => tr.getAttribute('data-case'))).to.deep.equal(['billing-order-status', 'inventory-check', 'weather-paris', 'hostile-markup']);
      const failing = run.querySelector<HTMLElement>('tr[data-case="inventory-check"] td[data-variant="no-inventory"]')!;
      expect(failing.querySelector('.outcome')!.textContent!.trim()).to.equal('✗ Fail');
      expect(cellText(run, 'tr[data-case="inventory-check"] td[data-variant="baseline"] .outcome')).to.equal('✓ Pass');
      const details = failing.querySelector('details')!;
      expect(details.open).to.equal(false);
      failing.querySelector<HTMLElement>('summary')!.focus();
      await pressKey('Enter');
      await waitUntil(() => details.open, 'Enter did not open the failing graders', wait);
      const failed = [...failing.querySelectorAll('li.failed')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
      expect(failed.some((text) => /^✗ failed tool_called check_stock: check_stock was not called/.test(text)), failed.join('\n')).to.equal(true);

      // Only the cases the variants disagree on.
      run.querySelector<HTMLInputElement>('input[name="differing"]')!.click();
      await waitUntil(() => run.querySelectorAll('table.grid tbody tr').length === 1, 'the filter did not narrow the grid', wait);
      expect(run.querySelector('table.grid tbody tr')!.getAttribute('data-case')).to.equal('inventory-check');
      run.querySelector<HTMLInputElement>('input[name="differing"]')!.click();
      await waitUntil(() => run.querySelectorAll('table.grid tbody tr').length === 4, 'the grid did not come back', wait);

      // Case text with markup (the description, the grader's expected value, the answer) is text.
      const hostile = run.querySelector('tr[data-case="hostile-markup"]')!;
      hostile.querySelectorAll('details').forEach((d) => (d.open = true));
      expect(hostile.textContent).to.contain('<img src=x onerror="window.__pwned=4">');
      expect(hostile.querySelector('li.failed .detail')!.textContent).to.contain('<img src=x onerror=');
      expect(run.querySelectorAll('img, script').length).to.equal(0);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);

      await expect(el).to.be.accessible();
    });
  }

  it('says a run that is not there (or not in scope) is not found', async () => {
    const el = await signedIn(adminToken, 'light');
    await go('#/evals/evr_missing');
    await waitUntil(() => view(el, 'console-eval-run')?.querySelector('[role="alert"]'), 'no error shown', wait);
    expect(view(el, 'console-eval-run')!.querySelector('[role="alert"]')!.textContent).to.equal('Nothing here.');
  });
});
