import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { TraceSpan, UsageReport } from '@agent-chat/shared';
import type { AgentConsole } from '../src/index.ts';
import { layoutTrace } from '../src/views/trace-layout.ts';
import { realServer, seedConversations } from './support/seed.ts';

/*
 * The console against the REAL server (demo workflows, offline model), through the admin API it
 * calls on its own origin: sign-in, conversations, a transcript, a run's trace, usage, a workflow
 * graph and the connectors, with axe on each view (colour contrast included), light and dark.
 */

const wait = { timeout: 8000, interval: 25 };
const API = new URL('/v1/admin/', location.origin);

/** The shadow root of the view element `tag` inside the console. */
function view(el: AgentConsole, tag: string): ShadowRoot | null {
  return el.shadowRoot!.querySelector(tag)?.shadowRoot ?? null;
}

/** The real server: the preview widget's widget.js and socket (another origin than the test page). */
let chatServer: URL | undefined;

async function mount(theme?: 'dark'): Promise<AgentConsole> {
  return fixture<AgentConsole>(html`<agent-console .apiBase=${API} .chatServer=${chatServer} theme=${theme ?? 'light'}></agent-console>`);
}

async function signIn(el: AgentConsole, key: string): Promise<void> {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="key"]')!;
  input.value = key;
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

async function go(hash: string): Promise<void> {
  location.hash = hash;
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('admin console', function () {
  // One seeding of the real server and an axe run per view: room for a loaded machine.
  this.timeout(60_000);
  let seeded: { refund: string; hostile: string; marker: string };
  let adminToken: string;
  let serverUrl: string;

  before(async () => {
    const server = await realServer();
    adminToken = server.adminToken;
    serverUrl = server.url;
    chatServer = new URL(server.url);
    seeded = await seedConversations(server.url);
  });
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });
  after(() => history.replaceState(null, '', location.pathname + location.search));

  it('refuses a wrong key, signs in with the token, keeps it for the tab only, and signs out', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
    await signIn(el, 'not-the-token');
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'), 'no sign-in error', wait);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('not accepted');
    expect(sessionStorage.length).to.equal(0);

    await signIn(el, adminToken);
    await waitUntil(() => el.shadowRoot!.querySelector('console-conversations'), 'not signed in', wait);
    expect(sessionStorage.getItem('agent-chat-console-key')).to.equal(adminToken);
    // A new console in the same tab is signed in already.
    const again = await mount();
    await waitUntil(() => again.shadowRoot!.querySelector('console-conversations'), 'the stored key was not used', wait);
    [...again.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Sign out')!.click();
    await waitUntil(() => again.shadowRoot!.querySelector('input[name="key"]'), 'not signed out', wait);
    expect(sessionStorage.length).to.equal(0);
  });

  it('lists and filters conversations, opens a transcript with tool arguments, outputs and the approval, all as text', async () => {
    const el = await mount();
    await signIn(el, adminToken);
    await waitUntil(() => view(el, 'console-conversations')?.querySelectorAll('tbody tr').length, 'no conversations', wait);
    const list = view(el, 'console-conversations')!;
    await expect(el).to.be.accessible();

    // Title search finds this run's two threads; the approvals filter keeps the refund only.
    (list.querySelector('input[name="q"]') as HTMLInputElement).value = seeded.marker;
    (list.querySelector('input[name="approval"]') as HTMLInputElement).checked = true;
    (list.querySelector('form button[type="submit"]') as HTMLButtonElement).click();
    await waitUntil(() => list.querySelectorAll('tbody tr').length === 1, 'the filters did not narrow the list', wait);
    const link = list.querySelector<HTMLAnchorElement>('tbody a')!;
    expect(link.getAttribute('href')).to.equal(`#/conversations/${seeded.refund}`);

    await go(link.getAttribute('href')!);
    await waitUntil(() => view(el, 'console-transcript')?.querySelector('.item.tool'), 'no transcript', wait);
    // Focus moved to the new view's heading (a screen reader announces the conversation).
    await waitUntil(() => view(el, 'console-transcript')!.activeElement?.tagName === 'H2', 'focus stayed behind', wait);
    const transcript = view(el, 'console-transcript')!;
    const tool = transcript.querySelector('.item.tool')!;
    expect(tool.querySelector('code')!.textContent).to.equal('refund_order');
    expect(tool.querySelector('pre.json')!.textContent).to.contain('"order_id"');
    expect(tool.textContent).to.match(/Approved by visitor \S+ at/);
    expect(transcript.querySelector('tbody')!.textContent).to.contain('approval');
    await expect(el).to.be.accessible();

    // The injected markup is shown as text: no element, no script ran.
    await go(`#/conversations/${seeded.hostile}`);
    await waitUntil(() => view(el, 'console-transcript')?.querySelector('.item.user')?.textContent?.includes(seeded.marker), 'no hostile transcript', wait);
    const hostile = view(el, 'console-transcript')!;
    expect(hostile.querySelector('.item.user .user-text')!.textContent).to.contain('<img src=x');
    expect(hostile.querySelectorAll('img, script').length).to.equal(0);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('draws a workflow as a laid-out graph with its badges, lists it in words, and shows its JSON read-only; dark too', async () => {
    const el = await mount('dark');
    await signIn(el, adminToken);
    await waitUntil(() => el.shadowRoot!.querySelector('console-conversations'), 'not signed in', wait);
    await go('#/workflows/support');
    await waitUntil(() => view(el, 'console-workflows')?.querySelector('console-workflow-graph'), 'no graph', wait);
    const workflows = view(el, 'console-workflows')!;
    const graph = workflows.querySelector('console-workflow-graph')!.shadowRoot!;
    const nodes = [...graph.querySelectorAll<SVGGElement>('g.node')];
    const agents = workflows.querySelectorAll('.agents > li');
    expect(nodes.length).to.equal(agents.length);
    expect(nodes.length).to.be.greaterThan(1);
    expect(graph.querySelectorAll('path.edge').length).to.be.greaterThan(0);
    // Laid out: no two agent boxes overlap.
    const boxes = nodes.map((n) => n.getBoundingClientRect());
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap, `${nodes[i]!.dataset.agent} overlaps ${nodes[j]!.dataset.agent}`).to.equal(false);
      }
    }
    expect(graph.querySelector('g.node.entry')).to.not.equal(null);
    expect(graph.querySelector('svg')!.getAttribute('role')).to.equal('img');
    // The refund tool's approval policy is on its agent's node.
    expect([...graph.querySelectorAll('text.tool')].map((t) => t.textContent).join('\n')).to.match(/refund_order.*approval: always/);
    const json = workflows.querySelector('pre.json')!;
    expect(JSON.parse(json.textContent!)).to.have.property('id', 'support');
    expect(json.querySelector('*')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('runs a live preview chat beside the workflow’s graph: the real widget streams a reply, as a preview the list leaves out', async () => {
    // The chat server is another origin here (the test page is not the server): widget.js and the socket come from it.
    const el = await mount();
    expect(new URL(serverUrl).origin).to.not.equal(location.origin);
    await signIn(el, adminToken);
    await waitUntil(() => el.shadowRoot!.querySelector('console-conversations'), 'not signed in', wait);
    await go('#/workflows/support');
    const preview = () => view(el, 'console-workflows')?.querySelector('console-workflow-preview')?.shadowRoot;
    await waitUntil(() => preview()?.querySelector('agent-chat'), 'no preview widget', wait);
    const chat = preview()!.querySelector('agent-chat') as HTMLElement & { viewModel: { connection: string; activeRunId: string | null; lastRun: { status: string } | null } };
    expect(chat.getAttribute('mode')).to.equal('inline');
    await waitUntil(() => chat.viewModel.connection === 'connected', 'the preview never connected', wait);

    const marker = `p${Math.random().toString(36).slice(2, 8)}`;
    const box = chat.shadowRoot!.querySelector('[part~="input"]') as HTMLTextAreaElement;
    box.focus();
    box.value = `what are your opening hours ${marker}`;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    // Streamed: the reply is seen growing before the run ends.
    await waitUntil(() => chat.viewModel.activeRunId !== null, 'no run started', wait);
    await waitUntil(() => chat.viewModel.activeRunId === null && chat.viewModel.lastRun !== null, 'no reply', { ...wait, timeout: 20_000 });
    expect(chat.viewModel.lastRun!.status).to.equal('completed');
    const reply = [...chat.shadowRoot!.querySelectorAll('[part~="assistant-message"] .bubble')].map((b) => b.textContent!.trim()).join(' ');
    expect(reply.length).to.be.greaterThan(0);
    await expect(el).to.be.accessible();

    // The API: a preview thread, not among the visitors' conversations.
    const list = async (query: string) => {
      const res = await fetch(new URL(`threads?q=${marker}${query}`, API), { headers: { Authorization: `Bearer ${adminToken}` } });
      return ((await res.json()) as { threads: Array<{ owner: { kind: string; id: string }; workflow: string }> }).threads;
    };
    expect(await list('')).to.deep.equal([]);
    const previews = await list('&preview=only');
    expect(previews.map((t) => [t.owner.kind, t.owner.id, t.workflow])).to.deep.equal([['preview', 'operator', 'support']]);

    // The list: without the preview, unless asked; an open server has no site to filter by.
    await go('#/conversations');
    await waitUntil(() => view(el, 'console-conversations')?.querySelector('input[name="preview"]'), 'no list', wait);
    const conversations = view(el, 'console-conversations')!;
    await waitUntil(() => !conversations.querySelector('[name="site"]'), 'a site filter on an open server', wait);
    // Filters are kept for the session: start from none but the title.
    for (const box of conversations.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) box.checked = false;
    (conversations.querySelector('input[name="q"]') as HTMLInputElement).value = marker;
    (conversations.querySelector('form button[type="submit"]') as HTMLButtonElement).click();
    await waitUntil(() => conversations.querySelector('p.muted')?.textContent === 'No conversation matches.', 'the preview is listed', wait);
    (conversations.querySelector('input[name="preview"]') as HTMLInputElement).checked = true;
    (conversations.querySelector('form button[type="submit"]') as HTMLButtonElement).click();
    await waitUntil(() => conversations.querySelectorAll('tbody tr').length === 1, 'the preview is not listed when asked', wait);
    expect(conversations.querySelector('tbody tr')!.textContent).to.contain('preview operator');
    (conversations.querySelector('input[name="preview"]') as HTMLInputElement).checked = false;
    (conversations.querySelector('input[name="q"]') as HTMLInputElement).value = '';
    (conversations.querySelector('form button[type="submit"]') as HTMLButtonElement).click();
  });

  it('opens a run’s trace from its transcript: spans nested by parent, labelled bars, approval markers with the wait; light and dark', async () => {
    const el = await mount();
    await signIn(el, adminToken);
    await waitUntil(() => el.shadowRoot!.querySelector('console-conversations'), 'not signed in', wait);
    await go(`#/conversations/${seeded.refund}`);
    await waitUntil(() => (view(el, 'console-transcript')?.querySelectorAll('tbody a[href*="/runs/"]').length ?? 0) >= 2, 'no run links', wait);
    // The run that stopped for the approval, then the run its decision started.
    const [asked, decided] = [...view(el, 'console-transcript')!.querySelectorAll<HTMLAnchorElement>('tbody a[href*="/runs/"]')].map((a) => a.getAttribute('href')!);
    expect(asked).to.match(new RegExp(`^#/conversations/${seeded.refund}/runs/\\S+$`));

    await go(asked!);
    await waitUntil(() => view(el, 'console-trace')?.querySelector('tr[data-operation="execute_tool"]'), 'no waterfall', wait);
    const trace = view(el, 'console-trace')!;
    const rows = [...trace.querySelectorAll<HTMLTableRowElement>('tbody tr[data-span]')];
    const root = rows[0]!;
    expect(root.dataset.operation).to.equal('invoke_agent');
    expect(root.dataset.level).to.equal('1');
    const tool = rows.find((r) => r.dataset.operation === 'execute_tool')!;
    // Nested: the tool call's agent segment comes before it, one level up, with a model call beside it.
    const agent = rows.find((r) => r.dataset.span === tool.dataset.parent)!;
    expect(agent.dataset.operation).to.equal('invoke_agent');
    const chat = rows.find((r) => r.dataset.operation === 'chat' && r.dataset.parent === agent.dataset.span)!;
    const level = Number(agent.dataset.level);
    const indent = (row: Element) => {
      const cell = row.querySelector('td.span')!;
      return cell.getBoundingClientRect().left + parseFloat(getComputedStyle(cell).paddingLeft);
    };
    for (const child of [chat, tool]) {
      expect(Number(child.dataset.level)).to.equal(level + 1);
      expect(rows.indexOf(child)).to.be.greaterThan(rows.indexOf(agent));
      expect(child.querySelector('td.span')!.textContent).to.contain(`Level ${level + 1}:`);
      expect(indent(child)).to.be.greaterThan(indent(agent));
    }
    expect(chat.querySelector('td.details')!.textContent).to.match(/\d+ in \/ \d+ out tokens · first token \d/);
    expect(tool.querySelector('button')!.textContent).to.equal('refund_order');
    expect(tool.querySelector('td.details')!.textContent).to.contain('awaiting approval');
    expect(tool.querySelector('li.marker.requested')!.textContent).to.match(/Approval: requested \(at \+\d/);
    expect(tool.querySelector('line.marker.requested')).to.not.equal(null);
    // The root's bar spans the run; the tool's bar lies inside it.
    const bar = (row: Element) => row.querySelector('rect.bar')!;
    expect(Number(bar(root).getAttribute('width'))).to.be.closeTo(1000, 1);
    expect(Number(bar(tool).getAttribute('x')) + Number(bar(tool).getAttribute('width'))).to.be.at.most(1000.01);
    // A span's button (keyboard reachable) shows all its attributes, as text.
    tool.querySelector('button')!.click();
    await waitUntil(() => trace.querySelector('tr.attributes pre.json'), 'no attributes', wait);
    expect(tool.querySelector('button')!.getAttribute('aria-expanded')).to.equal('true');
    expect(trace.querySelector('tr.attributes pre.json')!.textContent).to.contain('"gen_ai.tool.name": "refund_order"');
    await expect(el).to.be.accessible();

    // The decision's run: its marker says how long the call waited.
    await go(decided!);
    await waitUntil(() => view(el, 'console-trace')?.querySelector('li.marker.decided'), 'no decision marker', wait);
    expect(view(el, 'console-trace')!.querySelector('li.marker.decided')!.textContent).to.match(/approved after [\d.]+ m?s wait/);
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('lays out bad trace data safely: a span whose parent is missing hangs under the root, a cycle is cut, markers stay on the axis', () => {
    const id = (n: number) => n.toString(16).padStart(16, '0');
    const span = (n: number, parent: number | undefined, start: number, end: number, extra: Partial<TraceSpan> = {}): TraceSpan => ({
      traceId: 'a'.repeat(32),
      spanId: id(n),
      ...(parent !== undefined ? { parentSpanId: id(parent) } : {}),
      name: `s${n}`,
      operation: 'chat',
      kind: 'internal',
      start: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, start)).toISOString(),
      end: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, end)).toISOString(),
      status: { code: 'ok' },
      attributes: {},
      events: [],
      ...extra,
    });
    const layout = layoutTrace({
      runId: 'r',
      threadId: 't',
      traceId: 'a'.repeat(32),
      startedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      spans: [
        span(1, undefined, 0, 1000, { operation: 'invoke_agent', attributes: { 'gen_ai.agent.name': 'root' } }),
        span(2, 99, 500, 600),
        span(3, 4, 100, 200),
        span(4, 3, 150, 300),
        span(5, 1, 200, 400, {
          operation: 'execute_tool',
          events: [{ name: 'approval.decided', time: new Date(Date.UTC(2025, 11, 31)).toISOString(), attributes: { 'agent_chat.approval.decision': 'denied', 'agent_chat.approval.wait_ms': 2500 } }],
        }),
      ],
    });
    expect(layout.durationMs).to.equal(1000);
    expect(layout.rows.map((r) => [r.span.name, r.level])).to.deep.equal([
      ['s1', 1],
      ['s5', 2],
      ['s2', 2],
      ['s3', 2],
      ['s4', 3],
    ]);
    const orphan = layout.rows.find((r) => r.span.name === 's2')!;
    expect([orphan.left, orphan.width]).to.deep.equal([0.5, 0.1]);
    const [decided] = layout.rows.find((r) => r.span.name === 's5')!.markers;
    expect(decided).to.include({ kind: 'decided', at: 0, text: 'denied after 2.50 s wait' });
    expect(layout.rows[0]!.subject).to.equal('root');
  });

  it('shows usage per day, site, workflow and model with each budget; today’s totals are the API’s', async () => {
    const el = await mount('dark');
    await signIn(el, adminToken);
    await waitUntil(() => el.shadowRoot!.querySelector('console-conversations'), 'not signed in', wait);
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const api = async () => {
      const res = await fetch(new URL(`usage?from=${from}&to=${today}&groupBy=day`, API), { headers: { Authorization: `Bearer ${adminToken}` } });
      return (await res.json()) as UsageReport;
    };
    // Other test files may use the same server meanwhile: compare once the numbers held still around the view's load.
    let expected: UsageReport | undefined;
    for (let attempt = 0; attempt < 3 && !expected; attempt++) {
      const before = await api();
      await go('#/conversations');
      await go('#/usage');
      await waitUntil(() => view(el, 'console-usage')?.querySelector('table[data-table="day"]'), 'no usage', wait);
      const after = await api();
      if (JSON.stringify(before) === JSON.stringify(after)) expected = after;
    }
    expect(expected, 'usage kept changing').to.not.equal(undefined);
    const usage = view(el, 'console-usage')!;
    const row = expected!.rows.find((r) => r.day === today)!;
    expect(row.inputTokens + row.outputTokens).to.be.greaterThan(0);
    const tr = usage.querySelector(`table[data-table="day"] tr[data-key="${today}"]`)!;
    expect(tr.querySelector('.calls')!.textContent).to.equal(row.calls.toLocaleString());
    expect(tr.querySelector('.input')!.textContent).to.equal(row.inputTokens.toLocaleString());
    expect(tr.querySelector('.output')!.textContent).to.equal(row.outputTokens.toLocaleString());
    expect(usage.querySelector('dl.totals')!.textContent).to.contain(expected!.total.inputTokens.toLocaleString());
    // Today's column is drawn, and the chart is described in words.
    expect(Number(usage.querySelector(`g[data-day="${today}"] rect.input`)!.getAttribute('height'))).to.be.greaterThan(0);
    expect(usage.querySelectorAll('svg.day-chart g[data-day]').length).to.equal(7);
    expect(usage.querySelector('svg.day-chart')!.getAttribute('aria-label')).to.contain('Tokens per day');
    // The budget as the API reports it.
    const budget = expected!.budgets[0]!;
    expect(usage.querySelector(`li[data-site="${budget.site}"] .used`)!.textContent).to.equal(budget.usedToday.toLocaleString());
    // Per workflow: the demo's support workflow is there, as a bar and in the table.
    expect(usage.querySelector('section.per-workflow svg')!.getAttribute('aria-label')).to.contain('support');
    expect(usage.querySelector('table[data-table="workflow"] tr[data-key="support"]')).to.not.equal(null);
    expect(usage.querySelectorAll('svg.group-chart').length).to.equal(3);
    await expect(el).to.be.accessible();

    // The last 30 days: thirty columns.
    const select = usage.querySelector<HTMLSelectElement>('select#period')!;
    select.value = '30';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => usage.querySelectorAll('svg.day-chart g[data-day]').length === 30, 'the period did not change', wait);
    const from30 = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    expect(usage.querySelector<HTMLInputElement>('input[name="from"]')!.value).to.equal(from30);

    // A range of days typed in: yesterday and today, two columns.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const fromInput = usage.querySelector<HTMLInputElement>('input[name="from"]')!;
    fromInput.value = yesterday;
    fromInput.dispatchEvent(new Event('change'));
    await waitUntil(() => usage.querySelectorAll('svg.day-chart g[data-day]').length === 2, 'the range did not apply', wait);
    expect(select.value).to.equal('custom');

    // Narrowed to a workflow and a model: the view's totals are the API's with the same filters.
    const choose = async (name: string, value: string) => {
      await waitUntil(() => [...usage.querySelectorAll<HTMLOptionElement>(`select[name="${name}"] option`)].some((o) => o.value === value), `no ${name} ${value} to choose`, wait);
      const box = usage.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
      box.value = value;
      box.dispatchEvent(new Event('change'));
    };
    const report = async (query: string) =>
      (await (await fetch(new URL(`usage?from=${yesterday}&to=${today}&${query}`, API), { headers: { Authorization: `Bearer ${adminToken}` } })).json()) as UsageReport;
    const model = (await report('groupBy=model')).rows[0]!.model!;
    await choose('workflow', 'support');
    await choose('model', model);
    await waitUntil(() => usage.querySelector('p[role="status"]')?.textContent?.includes(`model ${model}`), 'the filters did not apply', wait);
    await waitUntil(() => usage.querySelectorAll('table[data-table="workflow"] tbody tr').length === 1, 'other workflows still listed', wait);
    const narrowed = await report(`groupBy=day&workflow=support&model=${encodeURIComponent(model)}`);
    await waitUntil(() => usage.querySelector('dl.totals')!.textContent!.includes(narrowed.total.inputTokens.toLocaleString()), 'the totals are not the filtered ones', wait);
    expect(usage.querySelector('table[data-table="workflow"] tbody tr')!.getAttribute('data-key')).to.equal('support');
    expect([...usage.querySelectorAll('table[data-table="model"] tbody tr')].map((r) => r.getAttribute('data-key'))).to.deep.equal([model]);
    await expect(el).to.be.accessible();
  });

  it('shows each connector with its approval policy and the workflows using it', async () => {
    const el = await mount('dark');
    await signIn(el, adminToken);
    await waitUntil(() => el.shadowRoot!.querySelector('console-conversations'), 'not signed in', wait);
    await go('#/connectors');
    await waitUntil(() => view(el, 'console-connectors')?.querySelector('article'), 'no connector', wait);
    const article = view(el, 'console-connectors')!.querySelector('article')!;
    expect(article.querySelector('h3')!.textContent).to.contain('inventory');
    expect(article.textContent).to.contain('reserve_item');
    expect(article.textContent).to.contain('support');
    await expect(el).to.be.accessible();
  });
});
