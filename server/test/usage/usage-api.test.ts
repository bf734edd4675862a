import { PROTOCOL_VERSION, type UsageReport, type ThreadUsage } from '@agent-chat/shared';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../src/models/model.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { BLOG, SHOP, SITE_SECRETS, twoSites, writeSitesFile } from '../helpers/sites.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import type { TestClient } from '../helpers/ws-client.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const PRICE = { input: 1, output: 2 };

/**
 * `GET /v1/admin/usage`: the ledger's tokens and cost per day, site, workflow, agent and model,
 * for the operator (every site) and each site's admin key (its own only). The demo support
 * workflow on the offline model, presented as an OpenAI-compatible server so its tokens cost.
 */
describe('usage API', () => {
  const scope = useTestScope();

  async function boot(): Promise<{ s: TestServer; model: string }> {
    const dir = tempDataDir();
    const real = createModelProvider({});
    const models: ModelProvider = { mode: 'base_url', getModel: (name, api) => real.getModel(name, api) };
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    for (const site of sites.sites) site.allowedWorkflows = ['support'];
    const pricesFile = join(dir, 'prices.json');
    // Priced under every name the demo workflow's model could have (checked after boot).
    writeFileSync(pricesFile, JSON.stringify({ 'gpt-4.1-mini': PRICE, 'gpt-4o-mini': PRICE, 'gpt-4.1': PRICE }));
    const s = await scope.boot({ dataDir: dir, models, env: { SITES_FILE: writeSitesFile(dir, sites), ADMIN_TOKEN, PRICES_FILE: pricesFile, ...SITE_SECRETS } });
    const model = s.server.workflows.get('support')!.model;
    expect(['gpt-4.1-mini', 'gpt-4o-mini', 'gpt-4.1']).toContain(model);
    return { s, model };
  }

  async function visitor(s: TestServer, site: typeof SHOP | typeof BLOG): Promise<TestClient> {
    const c = await scope.socket({ wsUrl: `${s.wsUrl}?key=${site.publicKey}` }, { origin: site.origin });
    const ready = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    if (ready.type !== 'ready') throw new Error(JSON.stringify(ready));
    return c;
  }

  async function ask(c: TestClient, text: string) {
    const opened = (await c.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    const accepted = (await c.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: 'c1', text })) as { runId: string };
    const finished = await c.runFinished(accepted.runId);
    return { threadId: opened.thread.id, runId: accepted.runId, usage: finished.usage! };
  }

  const get = async <T>(s: TestServer, path: string, key?: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${s.url}/v1/admin${path}`, key ? { headers: { Authorization: `Bearer ${key}` } } : {});
    return { status: res.status, body: (await res.json()) as T };
  };

  const cost = (u: { inputTokens: number; outputTokens: number }) => (u.inputTokens * PRICE.input + u.outputTokens * PRICE.output) / 1e6;

  it('Should report each site its own tokens and cost per day, and the operator every site', async () => {
    const { s, model } = await boot();
    const shop = await visitor(s, SHOP);
    const blog = await visitor(s, BLOG);
    const a = await ask(shop, 'I was charged twice for order 1234');
    const b = await ask(shop, 'hello');
    const c = await ask(blog, 'my login does not work');
    const today = new Date().toISOString().slice(0, 10);
    const shopIn = a.usage.inputTokens + b.usage.inputTokens;
    const shopOut = a.usage.outputTokens + b.usage.outputTokens;

    const mine = await get<UsageReport>(s, '/usage', SHOP.adminKey);
    expect(mine.status).toBe(200);
    expect(mine.body.groupBy).toEqual(['day']);
    expect(mine.body.rows).toHaveLength(1);
    expect(mine.body.rows[0]).toMatchObject({ day: today, inputTokens: shopIn, outputTokens: shopOut });
    expect(mine.body.rows[0]!.costUsd).toBeCloseTo(cost({ inputTokens: shopIn, outputTokens: shopOut }), 6);
    expect(mine.body.total).toEqual(expect.objectContaining({ inputTokens: shopIn, outputTokens: shopOut }));
    // The quotas count the same tokens against the site's daily budget.
    expect(mine.body.budgets).toEqual([{ site: SHOP.id, dailyTokens: 5_000_000, usedToday: shopIn + shopOut }]);

    // Another site's data is not there for a site's key.
    expect((await get(s, '/usage?site=blog', SHOP.adminKey)).status).toBe(404);
    expect((await get(s, `/usage?thread=${c.threadId}`, SHOP.adminKey)).status).toBe(404);

    const bySite = await get<UsageReport>(s, '/usage?groupBy=site,model', ADMIN_TOKEN);
    expect(bySite.body.rows).toEqual([
      expect.objectContaining({ site: 'blog', model, inputTokens: c.usage.inputTokens, outputTokens: c.usage.outputTokens }),
      expect.objectContaining({ site: 'shop', model, inputTokens: shopIn, outputTokens: shopOut }),
    ]);
    expect(bySite.body.budgets.map((x) => x.site)).toEqual(['shop', 'blog']);

    const byAgent = await get<UsageReport>(s, `/usage?groupBy=agent&site=shop&from=${today}&to=${today}`, ADMIN_TOKEN);
    expect(byAgent.body.rows.map((r) => r.agent)).toEqual(['billing', 'triage']);
    expect(byAgent.body.rows.reduce((n, r) => n + r.calls, 0)).toBe(mine.body.total.calls);

    const thread = await get<ThreadUsage>(s, `/usage?thread=${a.threadId}`, SHOP.adminKey);
    expect(thread.body.runs).toEqual([expect.objectContaining({ runId: a.runId, model, provider: 'base_url', ...a.usage })]);
    expect(thread.body.total.costUsd).toBeCloseTo(cost(a.usage), 6);

    // Filters by workflow and by model, with the site: the same totals, or none.
    const all = await get<UsageReport>(s, '/usage', ADMIN_TOKEN);
    const filtered = await get<UsageReport>(s, `/usage?site=shop&workflow=support&model=${model}&groupBy=model`, ADMIN_TOKEN);
    expect(filtered.body.rows).toEqual([expect.objectContaining({ model, inputTokens: shopIn, outputTokens: shopOut })]);
    expect((await get<UsageReport>(s, `/usage?model=${model}`, ADMIN_TOKEN)).body.total).toEqual(all.body.total);
    expect((await get<UsageReport>(s, '/usage?model=no-such-model', ADMIN_TOKEN)).body.total.calls).toBe(0);
    expect((await get<UsageReport>(s, '/usage?workflow=weather', SHOP.adminKey)).body.total.calls).toBe(0);

    // Days before anything was spent.
    const empty = await get<UsageReport>(s, '/usage?from=2020-01-01&to=2020-01-31', ADMIN_TOKEN);
    expect(empty.body).toMatchObject({ rows: [], total: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } });
  });

  it('Should refuse bad queries with a clear 400, and no key with 401', async () => {
    const { s } = await boot();
    for (const [query, message] of [
      ['from=2026-13-45', /YYYY-MM-DD/],
      ['from=yesterday', /YYYY-MM-DD/],
      ['to=2026-02-31', /YYYY-MM-DD/],
      ['from=2026-02-01&to=2026-01-01', /after/],
      ['from=2020-01-01&to=2026-01-01', /366 days/],
      ['groupBy=colour', /groupBy takes day, site, workflow, agent, model, provider, not "colour"/],
    ] as const) {
      const res = await get<{ error: { code: string; message: string } }>(s, `/usage?${query}`, ADMIN_TOKEN);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(message);
    }
    expect((await get(s, '/usage')).status).toBe(401);
    expect((await get(s, '/usage', 'not-the-operator-token-0123')).status).toBe(401);
    // The operator names the site of a user's data.
    const noSite = await get<{ error: { message: string } }>(s, '/users/u1/export', ADMIN_TOKEN);
    expect(noSite.status).toBe(400);
    expect(noSite.body.error.message).toMatch(/\?site=/);
    expect((await get(s, '/users/u1/export?site=shop', ADMIN_TOKEN)).status).toBe(200);
    expect((await get(s, '/users/u1/export?site=nope', ADMIN_TOKEN)).status).toBe(404);
  });
});
