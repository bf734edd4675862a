import { PROTOCOL_VERSION, RunTrace } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { BLOG, SHOP, SITE_SECRETS, twoSites, writeSitesFile } from '../helpers/sites.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import type { TestClient } from '../helpers/ws-client.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';

/**
 * `GET /v1/admin/runs/:runId/trace` and `GET /v1/admin/threads/:threadId/traces`: the stored
 * traces, for the operator (every site) and each site's admin key (its own threads only).
 */
describe('trace admin API', () => {
  const scope = useTestScope();

  async function boot(): Promise<TestServer> {
    const dir = tempDataDir();
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    for (const site of sites.sites) site.allowedWorkflows = ['support'];
    return scope.boot({ dataDir: dir, env: { SITES_FILE: writeSitesFile(dir, sites), ADMIN_TOKEN, ...SITE_SECRETS } });
  }

  async function visitor(s: TestServer, site: typeof SHOP | typeof BLOG): Promise<TestClient> {
    const c = await scope.socket({ wsUrl: `${s.wsUrl}?key=${site.publicKey}` }, { origin: site.origin });
    const ready = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    if (ready.type !== 'ready') throw new Error(JSON.stringify(ready));
    return c;
  }

  async function ask(c: TestClient, threadId: string | undefined, text: string) {
    let id = threadId;
    if (!id) id = ((await c.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } }).thread.id;
    const accepted = (await c.request({ type: 'message.send', threadId: id, clientMessageId: text, text })) as { runId: string };
    await c.runFinished(accepted.runId);
    return { threadId: id, runId: accepted.runId };
  }

  const get = async (s: TestServer, path: string, key?: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${s.url}/v1/admin${path}`, key ? { headers: { Authorization: `Bearer ${key}` } } : {});
    return { status: res.status, body: await res.json() };
  };

  it("Should show a site's admin its own runs' traces and the operator every site's; another site's is not found", async () => {
    const s = await boot();
    const shop = await visitor(s, SHOP);
    const blog = await visitor(s, BLOG);
    const a = await ask(shop, undefined, 'I was charged twice for order 1234');
    const a2 = await ask(shop, a.threadId, 'thanks');
    const b = await ask(blog, undefined, 'hello');

    const one = await get(s, `/runs/${a.runId}/trace`, SHOP.adminKey);
    expect(one.status).toBe(200);
    const trace = RunTrace.parse(one.body);
    expect(trace).toMatchObject({ runId: a.runId, threadId: a.threadId });
    expect(trace.spans[0]).toMatchObject({ name: 'invoke_agent triage', operation: 'invoke_agent' });
    expect(trace.spans.some((x) => x.name === 'execute_tool lookup_order')).toBe(true);
    expect((one.body as { exportedAt: unknown }).exportedAt).toBeNull();

    const all = await get(s, `/threads/${a.threadId}/traces`, SHOP.adminKey);
    expect(all.status).toBe(200);
    const traces = (all.body as { traces: unknown[] }).traces.map((t) => RunTrace.parse(t));
    expect(traces.map((t) => t.runId)).toEqual([a.runId, a2.runId]);

    // Another site's run and thread: 404, the same as ones that do not exist.
    for (const path of [`/runs/${b.runId}/trace`, `/threads/${b.threadId}/traces`, '/runs/run_nope/trace', '/threads/thr_nope/traces']) {
      const res = await get(s, path, SHOP.adminKey);
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await get(s, `/runs/${b.runId}/trace`, BLOG.adminKey)).status).toBe(200);
    // The operator sees both sites.
    expect((await get(s, `/runs/${b.runId}/trace`, ADMIN_TOKEN)).status).toBe(200);
    expect((await get(s, `/threads/${a.threadId}/traces`, ADMIN_TOKEN)).status).toBe(200);
    // No key, or a visitor's public key: 401.
    expect((await get(s, `/runs/${a.runId}/trace`)).status).toBe(401);
    expect((await get(s, `/runs/${a.runId}/trace`, SHOP.publicKey)).status).toBe(401);
  });
});
