import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { UsageReport } from '@agent-chat/shared';
import type { LitElement } from 'lit';
import type { AgentConsole } from '../src/index.ts';
import { restartRealServer } from '../../widget/test/support/real-server.ts';
import { realServer, visitorOn } from './support/seed.ts';

/*
 * The console's whole path, as a site owner walks it the morning after: sign in, find the
 * conversations that went wrong yesterday, open one, see in its trace why, see what the week
 * cost, look at the workflow as a graph. "Yesterday" is real: the server is restarted with its
 * clock a day back while the visitors talk, then restarted on today's clock.
 */

const DAY_MS = 86_400_000;
const wait = { timeout: 10_000, interval: 25 };
const API = new URL('/v1/admin/', location.origin);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function view(el: AgentConsole, tag: string): ShadowRoot | null {
  return el.shadowRoot!.querySelector(tag)?.shadowRoot ?? null;
}

/** Clicks the console's navigation link named `name`. */
function navigate(el: AgentConsole, name: string): void {
  const link = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('nav a')].find((a) => a.textContent?.trim() === name);
  if (!link) throw new Error(`no "${name}" in the navigation`);
  link.click();
}

/** Submits the conversation filters and waits for the list they select (not the one before). */
async function applyFilters(list: ShadowRoot): Promise<void> {
  field<HTMLButtonElement>(list, 'form button[type="submit"]').click();
  await (list.host as LitElement).updateComplete; // shows "Loading conversations" first
  await waitUntil(() => !list.querySelector('[role="status"]')?.textContent?.startsWith('Loading'), 'the list did not load', wait);
}

function field<T extends HTMLElement>(root: ShadowRoot, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

describe('a site owner’s morning in the console', function () {
  // Two restarts of the real server and five views: room for a loaded machine.
  this.timeout(90_000);
  const yesterday = dayOf(Date.now() - DAY_MS);
  let adminToken: string;
  let wentWrong: string;
  let disliked: string;
  let failedToday: string;

  before(async () => {
    const server = await realServer();
    adminToken = server.adminToken;
    const marker = `w${Math.random().toString(36).slice(2, 8)}`;
    // Yesterday: a reply that failed, one the visitor disliked, one that went fine.
    await restartRealServer(-DAY_MS);
    try {
      const visitor = await visitorOn(server.url);
      try {
        const failed = await visitor.ask('support', `please simulate an outage ${marker}`);
        expect(failed.status).to.equal('failed');
        wentWrong = failed.threadId;
        const order = await visitor.ask('support', `where is my order 1234 ${marker}`);
        expect(order.status).to.equal('completed');
        await visitor.rateLastReply(order.threadId, 'down');
        disliked = order.threadId;
        await visitor.ask('support', `what is the weather in Paris ${marker}`);
      } finally {
        visitor.close();
      }
    } finally {
      await restartRealServer(0);
    }
    // Today: another failure, which "yesterday" must leave out.
    const visitor = await visitorOn(server.url);
    try {
      failedToday = (await visitor.ask('support', `simulate an outage again ${marker}`)).threadId;
    } finally {
      visitor.close();
    }
  });
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });
  after(() => history.replaceState(null, '', location.pathname + location.search));

  it('signs in, finds yesterday’s failures, opens one and its trace, sees the week’s cost and the workflow graph', async () => {
    const el = await fixture<AgentConsole>(html`<agent-console .apiBase=${API}></agent-console>`);
    (el.shadowRoot!.querySelector('input[name="key"]') as HTMLInputElement).value = adminToken;
    (el.shadowRoot!.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await waitUntil(() => view(el, 'console-conversations')?.querySelector('form'), 'not signed in', wait);

    // Conversations: active yesterday, last run failed.
    const list = view(el, 'console-conversations')!;
    field<HTMLInputElement>(list, 'input[name="from"]').value = yesterday;
    field<HTMLInputElement>(list, 'input[name="to"]').value = yesterday;
    field<HTMLSelectElement>(list, 'select[name="status"]').value = 'failed';
    await applyFilters(list);
    const links = () => [...list.querySelectorAll<HTMLAnchorElement>('tbody a')].map((a) => a.getAttribute('href'));
    expect(links()).to.include(`#/conversations/${wentWrong}`);
    expect(links()).to.not.include(`#/conversations/${failedToday}`);
    expect(links()).to.not.include(`#/conversations/${disliked}`);
    for (const row of list.querySelectorAll('tbody tr')) expect(row.textContent).to.contain('failed');

    // The same day, thumbs down: the disliked one, and not the failure.
    field<HTMLSelectElement>(list, 'select[name="status"]').value = '';
    field<HTMLInputElement>(list, 'input[name="feedback"]').checked = true;
    await applyFilters(list);
    expect(links()[0]).to.equal(`#/conversations/${disliked}`);
    expect(links()).to.not.include(`#/conversations/${wentWrong}`);

    // Open the failure: its run failed, and the run's trace says why.
    field<HTMLSelectElement>(list, 'select[name="status"]').value = 'failed';
    field<HTMLInputElement>(list, 'input[name="feedback"]').checked = false;
    await applyFilters(list);
    list.querySelector<HTMLAnchorElement>(`tbody a[href="#/conversations/${wentWrong}"]`)!.click();
    await waitUntil(() => view(el, 'console-transcript')?.querySelector('tbody a[href*="/runs/"]'), 'no transcript with its run', wait);
    const transcript = view(el, 'console-transcript')!;
    const runRow = transcript.querySelector('tbody a[href*="/runs/"]')!.closest('tr')!;
    expect(runRow.textContent).to.contain('failed');
    transcript.querySelector<HTMLAnchorElement>('tbody a[href*="/runs/"]')!.click();
    await waitUntil(() => view(el, 'console-trace')?.querySelector('tr[data-operation="chat"]'), 'no trace', wait);
    const trace = view(el, 'console-trace')!;
    const chat = trace.querySelector('tr[data-operation="chat"]')!;
    expect(chat.querySelector('td.details')!.textContent).to.match(/error/);
    expect(chat.querySelector('rect.bar.error')).to.not.equal(null);
    expect(trace.querySelector('tr[data-operation="invoke_agent"] td.details')!.textContent).to.contain('run failed');
    await expect(el).to.be.accessible();

    // Usage: the last seven days, yesterday's tokens in their column, the week's cost as the API counts it.
    navigate(el, 'Usage');
    await waitUntil(() => view(el, 'console-usage')?.querySelector('table[data-table="day"]'), 'no usage', wait);
    const usage = view(el, 'console-usage')!;
    const week = await fetch(new URL(`usage?from=${dayOf(Date.now() - 6 * DAY_MS)}&to=${dayOf(Date.now())}&groupBy=day`, API), {
      headers: { Authorization: `Bearer ${adminToken}` },
    }).then((r) => r.json() as Promise<UsageReport>);
    const yesterdayRow = week.rows.find((r) => r.day === yesterday)!;
    expect(yesterdayRow.inputTokens).to.be.greaterThan(0);
    const tr = usage.querySelector(`table[data-table="day"] tr[data-key="${yesterday}"]`)!;
    expect(tr.querySelector('.input')!.textContent).to.equal(yesterdayRow.inputTokens.toLocaleString());
    expect(Number(usage.querySelector(`g[data-day="${yesterday}"] rect.input`)!.getAttribute('height'))).to.be.greaterThan(0);
    expect(usage.querySelector('dl.totals')!.textContent).to.match(/\$\d+\.\d{2}/);

    // Workflows: the support workflow as a graph.
    navigate(el, 'Workflows');
    await waitUntil(() => view(el, 'console-workflows')?.querySelector('a[href="#/workflows/support"]'), 'no workflow list', wait);
    view(el, 'console-workflows')!.querySelector<HTMLAnchorElement>('a[href="#/workflows/support"]')!.click();
    await waitUntil(() => view(el, 'console-workflows')?.querySelector('console-workflow-graph')?.shadowRoot?.querySelector('g.node'), 'no graph', wait);
    const graph = view(el, 'console-workflows')!.querySelector('console-workflow-graph')!.shadowRoot!;
    expect(graph.querySelectorAll('g.node').length).to.be.greaterThan(1);
    expect(graph.querySelectorAll('path.edge').length).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });
});
