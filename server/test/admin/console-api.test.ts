import {
  AdminConnectorList,
  AdminThreadDetail,
  AdminThreadPage,
  AdminWorkflowList,
  type ConnectorSpec,
  PROTOCOL_VERSION,
  Workflow,
} from '@agent-chat/shared';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOG, SHOP, SITE_SECRETS, mintUserToken, twoSites, writeSitesFile } from '../helpers/sites.ts';
import { createScriptedAgent } from '../helpers/scripted-agent.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import type { TestClient } from '../helpers/ws-client.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';

/** Support: triage hands off to billing, which may refund (with approval) and screens its output. */
const SUPPORT = Workflow.parse({
  id: 'support',
  name: 'Support',
  entryAgent: 'triage',
  agents: [
    {
      id: 'triage',
      name: 'Triage',
      instructions: 'Route the visitor.',
      tools: [{ name: 'refund_order', needsApproval: true }, { kind: 'mcp', connector: 'inventory', approval: ['reserve_item'] }],
      handoffs: [{ agent: 'billing', description: 'Money questions.' }],
      inputGuardrails: [{ kind: 'pii', mode: 'redact' }],
    },
    {
      id: 'billing',
      name: 'Billing',
      instructions: 'Answer billing questions.',
      // Named by no registry here: a warning on the billing node.
      tools: ['current_time', 'ghost_tool'],
      outputGuardrails: [{ kind: 'blocklist', name: 'no-promises', words: ['guarantee'] }],
    },
  ],
});
const WEATHER = Workflow.parse({ id: 'weather', name: 'Weather', entryAgent: 'w', agents: [{ id: 'w', name: 'Weather', instructions: 'Forecasts.' }] });
const INVENTORY: ConnectorSpec = {
  id: 'inventory',
  transport: { type: 'stdio', command: 'agent-chat-no-such-command', args: [], env: {} },
  block: [],
  approval: ['cancel_reservation'],
  callTimeoutMs: 1000,
  maxOutputChars: 1000,
  toolsCacheMs: 1000,
  connectOnStart: false,
};

/**
 * The console's admin API: conversations (list with filters, one thread with everything
 * stored), workflows as graphs, connectors. The operator's token sees every site; a site's admin
 * key sees its own site only, and another site's thread is not found.
 */
describe('console admin API', () => {
  const scope = useTestScope();

  async function boot(): Promise<TestServer> {
    const dir = tempDataDir();
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    sites.sites[0]!.allowedWorkflows = ['support'];
    sites.sites[1]!.allowedWorkflows = ['weather'];
    return scope.boot({
      dataDir: dir,
      env: { SITES_FILE: writeSitesFile(dir, sites), ADMIN_TOKEN, ...SITE_SECRETS },
      workflows: new Map([
        ['support', SUPPORT],
        ['weather', WEATHER],
      ]),
      connectors: [INVENTORY],
      runAgent: createScriptedAgent(),
    });
  }

  async function visitor(s: TestServer, site: typeof SHOP | typeof BLOG, userSub?: string): Promise<TestClient> {
    const c = await scope.socket({ wsUrl: `${s.wsUrl}?key=${site.publicKey}` }, { origin: site.origin });
    const hello = userSub ? { userToken: await mintUserToken(site.secret, userSub) } : {};
    const ready = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION, ...hello });
    if (ready.type !== 'ready') throw new Error(JSON.stringify(ready));
    return c;
  }

  async function ask(c: TestClient, workflow: string, text: string): Promise<{ threadId: string; runId: string }> {
    const opened = (await c.request({ type: 'thread.create', workflow })) as { thread: { id: string } };
    const accepted = (await c.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: 'c1', text })) as { runId: string };
    await c.runFinished(accepted.runId);
    return { threadId: opened.thread.id, runId: accepted.runId };
  }

  const get = async (s: TestServer, path: string, key?: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${s.url}/v1/admin${path}`, key ? { headers: { Authorization: `Bearer ${key}` } } : {});
    return { status: res.status, body: await res.json() };
  };
  const page = async (s: TestServer, query: string, key: string) => {
    const res = await get(s, `/threads${query}`, key);
    expect(res.status).toBe(200);
    return AdminThreadPage.parse(res.body);
  };

  it('lists conversations with their counts and filters; each site sees only its own, the operator all', async () => {
    const s = await boot();
    const shopUser = await visitor(s, SHOP, 'alice');
    const refund = await ask(shopUser, 'support', 'please approve my refund');
    const plain = await ask(shopUser, 'support', 'hello there');
    const blogVisitor = await visitor(s, BLOG);
    const weather = await ask(blogVisitor, 'weather', 'rain in Oslo?');
    const reply = shopUser.events(plain.threadId).find((e) => e.type === 'item.done' && e.item.type === 'assistant_message') as { item: { id: string } };
    expect((await shopUser.request({ type: 'feedback', threadId: plain.threadId, itemId: reply.item.id, rating: 'down' })).type).toBe('feedback.saved');

    const all = await page(s, '', ADMIN_TOKEN);
    expect(all.threads.map((t) => t.id).sort()).toEqual([refund.threadId, plain.threadId, weather.threadId].sort());
    const shopView = await page(s, '', SHOP.adminKey);
    expect(shopView.threads.map((t) => t.id).sort()).toEqual([refund.threadId, plain.threadId].sort());
    expect(shopView.threads.find((t) => t.id === refund.threadId)).toMatchObject({
      title: 'please approve my refund',
      workflow: 'support',
      site: 'shop',
      owner: { kind: 'user', id: 'alice' },
      lastRunStatus: 'interrupted',
      awaitingApproval: 1,
      thumbsDown: 0,
    });
    expect((await page(s, '', BLOG.adminKey)).threads.map((t) => t.id)).toEqual([weather.threadId]);
    // Asking for another site is not found, not an empty list that would confirm it exists.
    expect((await get(s, '/threads?site=blog', SHOP.adminKey)).status).toBe(404);
    expect((await page(s, '?site=blog', ADMIN_TOKEN)).threads.map((t) => t.id)).toEqual([weather.threadId]);

    expect((await page(s, '?feedback=down', ADMIN_TOKEN)).threads.map((t) => t.id)).toEqual([plain.threadId]);
    expect((await page(s, '?approval=1', SHOP.adminKey)).threads.map((t) => t.id)).toEqual([refund.threadId]);
    expect((await page(s, '?status=interrupted', ADMIN_TOKEN)).threads.map((t) => t.id)).toEqual([refund.threadId]);
    expect((await page(s, '?q=OSLO', ADMIN_TOKEN)).threads.map((t) => t.id)).toEqual([weather.threadId]);
    expect((await page(s, '?user=alice&workflow=support', ADMIN_TOKEN)).threads).toHaveLength(2);
    expect((await page(s, '?q=oslo', SHOP.adminKey)).threads).toEqual([]);

    // Paged: a cursor continues where the last page ended, with nothing repeated or skipped.
    const first = await page(s, '?limit=2', ADMIN_TOKEN);
    expect(first.threads).toHaveLength(2);
    const second = await page(s, `?limit=2&cursor=${first.nextCursor}`, ADMIN_TOKEN);
    expect(second.nextCursor).toBeNull();
    expect([...first.threads, ...second.threads].map((t) => t.id)).toEqual(all.threads.map((t) => t.id));

    for (const bad of ['?status=exploded', '?from=yesterday', '?limit=0', '?limit=9999', '?cursor=nonsense', '?feedback=up']) {
      const res = await get(s, `/threads${bad}`, ADMIN_TOKEN);
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect((await get(s, '/threads')).status).toBe(401);
    expect((await get(s, '/threads', 'not-a-key')).status).toBe(401);
  });

  it('shows one thread whole: items with tool arguments and outputs, runs, feedback and who approved when', async () => {
    const s = await boot();
    const shopUser = await visitor(s, SHOP, 'alice');
    const { threadId, runId } = await ask(shopUser, 'support', 'please approve my refund');
    const waiting = AdminThreadDetail.parse((await get(s, `/threads/${threadId}`, SHOP.adminKey)).body);
    const call = waiting.items.find((i) => i.type === 'tool_call')!;
    expect(call).toMatchObject({ name: 'refund_order', arguments: { order_id: '1234' }, status: 'awaiting_approval' });
    expect(waiting.approvals).toEqual([{ callId: (call as { callId: string }).callId, tool: 'refund_order', state: 'pending', decidedBy: null, decidedAt: null, source: 'none' }]);
    expect(waiting.runs).toEqual([expect.objectContaining({ id: runId, status: 'interrupted', trigger: 'message' })]);

    const callId = (call as { callId: string }).callId;
    shopUser.send({ type: 'tool.approval', threadId, callId, approved: true });
    const started = await shopUser.waitFor((m) => m.type === 'run.started' && m.threadId === threadId && m.runId !== runId);
    await shopUser.runFinished(started.type === 'run.started' ? started.runId : '');
    const done = AdminThreadDetail.parse((await get(s, `/threads/${threadId}`, SHOP.adminKey)).body);
    expect(done.items.find((i) => i.type === 'tool_call')).toMatchObject({ status: 'completed', output: { refunded: true } });
    const approvalRun = done.runs.find((r) => r.trigger === 'approval')!;
    expect(approvalRun.status).toBe('completed');
    // The decision as recorded: who (the thread's owner, the only one who can decide) and when.
    expect(done.approvals).toEqual([{ callId, tool: 'refund_order', state: 'approved', decidedBy: { kind: 'user', id: 'alice' }, decidedAt: expect.any(String), source: 'stored' }]);
    expect(done.approvals[0]!.decidedAt! <= approvalRun.startedAt).toBe(true);
    expect(done.thread).toMatchObject({ id: threadId, approvalRuns: 1, awaitingApproval: 0, lastRunStatus: 'completed' });

    // Another site's key, and an unknown id, find nothing.
    expect((await get(s, `/threads/${threadId}`, BLOG.adminKey)).status).toBe(404);
    expect((await get(s, '/threads/thr_nope', ADMIN_TOKEN)).status).toBe(404);
    expect((await get(s, `/threads/${threadId}`, ADMIN_TOKEN)).status).toBe(200);
  });

  it('draws each workflow as a graph with badges and problems, and lists the connectors a scope may see', async () => {
    const s = await boot();
    const all = AdminWorkflowList.parse((await get(s, '/workflows', ADMIN_TOKEN)).body);
    expect(all.workflows.map((w) => w.id)).toEqual(['support', 'weather']);
    const support = all.workflows[0]!;
    expect(support.handoffs).toEqual([{ from: 'triage', to: 'billing', description: 'Money questions.' }]);
    const triage = support.agents.find((a) => a.id === 'triage')!;
    expect(triage).toMatchObject({ entry: true, model: 'gpt-4.1-mini', guardrails: [{ name: 'pii', kind: 'pii', stage: 'input' }] });
    expect(triage.tools).toEqual([
      { name: 'refund_order', kind: 'function', approval: 'always' },
      // The agent adds reserve_item to the operator's cancel_reservation.
      { name: 'inventory', kind: 'mcp', approval: ['cancel_reservation', 'reserve_item'] },
    ]);
    const billing = support.agents.find((a) => a.id === 'billing')!;
    expect(billing.tools).toEqual([
      { name: 'current_time', kind: 'function', approval: 'never' },
      { name: 'ghost_tool', kind: 'function', approval: 'never' },
    ]);
    expect(billing.guardrails).toEqual([{ name: 'no-promises', kind: 'blocklist', stage: 'output' }]);
    expect(support.problems).toEqual([expect.objectContaining({ agent: 'billing', severity: 'warning', path: 'agents[1].tools[1]', message: expect.stringContaining('ghost_tool') })]);
    expect(support.spec).toMatchObject({ id: 'support', entryAgent: 'triage' });

    expect(AdminWorkflowList.parse((await get(s, '/workflows', BLOG.adminKey)).body).workflows.map((w) => w.id)).toEqual(['weather']);

    const connectors = AdminConnectorList.parse((await get(s, '/connectors', ADMIN_TOKEN)).body);
    expect(connectors.connectors).toEqual([
      expect.objectContaining({ id: 'inventory', transport: 'stdio', state: 'idle', tools: null, usedBy: ['support'], approval: ['cancel_reservation'] }),
    ]);
    expect(AdminConnectorList.parse((await get(s, '/connectors', SHOP.adminKey)).body).connectors.map((c) => c.id)).toEqual(['inventory']);
    // Blog's workflows name no connector: it sees none.
    expect(AdminConnectorList.parse((await get(s, '/connectors', BLOG.adminKey)).body).connectors).toEqual([]);
  });

  it('serves the console page and its bundle only where someone can sign in, with a policy allowing its own script only', async () => {
    const dir = tempDataDir();
    scope.dirs.push(dir);
    const bundle = join(dir, 'console.js');
    writeFileSync(bundle, 'customElements.define("agent-console", class extends HTMLElement {});');
    const closed = await scope.boot({ env: {}, consoleFile: bundle, runAgent: createScriptedAgent() });
    expect((await fetch(`${closed.url}/console`)).status).toBe(404);
    expect((await fetch(`${closed.url}/console/console.js`)).status).toBe(404);

    const s = await scope.boot({ env: { ADMIN_TOKEN }, consoleFile: bundle, runAgent: createScriptedAgent() });
    const page = await fetch(`${s.url}/console`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const text = await page.text();
    expect(text).toContain('<agent-console></agent-console>');
    expect(text).toContain('src="console/console.js"');
    // The page holds no data and no key: everything comes from /v1/admin after sign-in.
    expect(text).not.toContain(ADMIN_TOKEN);
    const js = await fetch(`${s.url}/console/console.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain('agent-console');
    expect((await fetch(`${s.url}/console/console.js`, { headers: { 'If-None-Match': js.headers.get('etag')! } })).status).toBe(304);

    // A site's admin key alone opens it too.
    const siteDir = tempDataDir();
    const withSites = await scope.boot({ dataDir: siteDir, env: { SITES_FILE: writeSitesFile(siteDir), ...SITE_SECRETS }, consoleFile: bundle, runAgent: createScriptedAgent() });
    expect((await fetch(`${withSites.url}/console`)).status).toBe(200);
  });
});
