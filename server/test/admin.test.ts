import { PROTOCOL_VERSION } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { BLOG, SHOP, SITE_SECRETS, mintUserToken, twoSites, writeSitesFile } from './helpers/sites.ts';
import { TEST_WORKFLOWS, createScriptedAgent } from './helpers/scripted-agent.ts';
import { type TestServer, tempDataDir, sqliteOf } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { TestClient } from './helpers/ws-client.ts';

const TABLES = ['threads', 'items', 'events', 'runs', 'client_messages', 'approvals', 'feedback'] as const;

describe('Data rights: /v1/admin/users/:sub', () => {
  const scope = useTestScope();

  /** Problems the server logged (a late write of a deleted thread would show up here). */
  const problems: string[] = [];
  const log = { info() {}, warn: (m: string) => problems.push(m), error: (m: string) => problems.push(m) };

  async function boot(): Promise<TestServer> {
    problems.length = 0;
    const d = tempDataDir();
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    for (const site of sites.sites) site.allowedWorkflows = ['support'];
    return scope.boot({
      dataDir: d,
      log,
      env: { SITES_FILE: writeSitesFile(d, sites), ...SITE_SECRETS },
      workflows: TEST_WORKFLOWS,
      // "slow" messages stream for seconds, so a run is still in flight when the user is deleted.
      runAgent: createScriptedAgent({ delayMs: 20, reply: (input) => (JSON.stringify(input).includes('slow') ? 'word '.repeat(500) : 'Done.') }),
    });
  }

  async function as(s: TestServer, site: typeof SHOP | typeof BLOG, hello: Record<string, unknown>): Promise<TestClient> {
    const c = await TestClient.connect(`${s.wsUrl}?key=${site.publicKey}`, { origin: site.origin });
    const ready = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION, ...hello });
    if (ready.type !== 'ready') throw new Error(JSON.stringify(ready));
    return c;
  }

  /** Creates a thread, sends `text`, and (unless `wait` is false) waits for the run to finish. */
  async function thread(c: TestClient, text: string, wait = true): Promise<{ threadId: string; itemId: string; runId: string }> {
    const opened = (await c.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    const accepted = (await c.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: 'c1', text })) as { itemId: string; runId: string };
    if (wait) await c.runFinished(accepted.runId);
    return { threadId: opened.thread.id, itemId: accepted.itemId, runId: accepted.runId };
  }

  const api = (s: TestServer, path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${s.url}/v1/admin${path}`, { ...init, headers: { ...(init.key ? { Authorization: `Bearer ${init.key}` } : {}), ...(init.headers ?? {}) } });

  function rowsOf(s: TestServer, threadIds: string[]): Record<string, number> {
    const marks = threadIds.map(() => '?').join(',');
    return Object.fromEntries(
      TABLES.map((t) => [t, (sqliteOf(s.server).db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE ${t === 'threads' ? 'id' : 'thread_id'} IN (${marks})`).get(...threadIds) as { n: number }).n]),
    );
  }

  it('Should refuse a missing, wrong or user-token key with 401, and a browser on a foreign origin with 403', async () => {
    const s = await boot();
    for (const key of [undefined, 'wrong-key', SHOP.secret, `${SHOP.adminKey}x`]) {
      const res = await api(s, '/users/u1/export', key ? { key } : {});
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await api(s, '/users/u1', { method: 'DELETE', key: 'wrong-key' })).status).toBe(401);
    expect((await api(s, '/users/u1/export', { key: SHOP.adminKey, headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    expect((await api(s, '/users/u1/export', { key: SHOP.adminKey })).status).toBe(200);
  });

  it('Should export one user of the calling site only: threads, items, feedback', async () => {
    const s = await boot();
    const shopUser = await as(s, SHOP, { userToken: await mintUserToken(SHOP.secret, 'u1') });
    const a = await thread(shopUser, 'my order 1234');
    const reply = shopUser.events(a.threadId).find((e) => e.type === 'item.done' && e.item.type === 'assistant_message');
    const replyId = (reply as { item: { id: string } }).item.id;
    expect((await shopUser.request({ type: 'feedback', threadId: a.threadId, itemId: replyId, rating: 'down', comment: 'slow answer' })).type).toBe('feedback.saved');
    const blogUser = await as(s, BLOG, { userToken: await mintUserToken(BLOG.secret, 'u1') });
    const c = await thread(blogUser, 'hello blog');
    const visitor = await as(s, SHOP, {});
    await thread(visitor, 'anonymous');

    const res = await api(s, '/users/u1/export', { key: SHOP.adminKey });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = (await res.json()) as { user: unknown; threads: Array<{ id: string; items: Array<{ type: string; text?: string }>; feedback: unknown[] }>; attachments: unknown[] };
    expect(body.user).toEqual({ sub: 'u1', siteId: 'shop' });
    expect(body.threads.map((t) => t.id)).toEqual([a.threadId]);
    expect(body.threads[0]!.items.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    expect(body.threads[0]!.items[0]!.text).toBe('my order 1234');
    expect(body.threads[0]!.feedback).toEqual([{ itemId: replyId, rating: 'down', comment: 'slow answer', createdAt: expect.any(String) }]);
    expect(body.attachments).toEqual([]);

    const blogExport = (await (await api(s, '/users/u1/export', { key: BLOG.adminKey })).json()) as { threads: Array<{ id: string }> };
    expect(blogExport.threads.map((t) => t.id)).toEqual([c.threadId]);
    const nobody = (await (await api(s, '/users/nobody/export', { key: SHOP.adminKey })).json()) as { threads: unknown[] };
    expect(nobody.threads).toEqual([]);
  });

  it('Should delete everything of one user, stopping a run in flight, and nothing of anyone else', async () => {
    const s = await boot();
    const shopUser = await as(s, SHOP, { userToken: await mintUserToken(SHOP.secret, 'u1') });
    const done = await thread(shopUser, 'first');
    await shopUser.request({ type: 'feedback', threadId: done.threadId, itemId: done.itemId, rating: 'up' });
    const running = await thread(shopUser, 'slow please', false);
    await shopUser.waitFor((m) => m.type === 'text.delta' && m.threadId === running.threadId);
    expect(s.server.service.activeRunId(running.threadId)).toBe(running.runId);
    const blogUser = await as(s, BLOG, { userToken: await mintUserToken(BLOG.secret, 'u1') });
    const kept = await thread(blogUser, 'blog thread');
    const before = rowsOf(s, [done.threadId, running.threadId]);
    expect(before).toMatchObject({ threads: 2, feedback: 1, client_messages: 2, runs: 2 });
    expect(before.items).toBeGreaterThan(3);
    expect(before.events).toBeGreaterThan(6);

    const res = await api(s, '/users/u1', { method: 'DELETE', key: SHOP.adminKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: { threads: 2 } });
    expect(s.server.service.activeRunId(running.threadId)).toBeUndefined();
    // Later writes of the stopped run must not bring anything back.
    await new Promise((r) => setTimeout(r, 150));
    expect(rowsOf(s, [done.threadId, running.threadId])).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
    expect(await shopUser.request({ type: 'thread.list' })).toMatchObject({ threads: [] });
    // The same sub on the other site, and the server, carry on.
    expect(rowsOf(s, [kept.threadId]).threads).toBe(1);
    expect(((await blogUser.request({ type: 'thread.list' })) as { threads: unknown[] }).threads).toHaveLength(1);
    expect(await (await api(s, '/users/u1', { method: 'DELETE', key: SHOP.adminKey })).json()).toEqual({ deleted: { threads: 0 } });
    expect(problems).toEqual([]);
    for (const c of [shopUser, blogUser]) c.ws.terminate();
  });

  it('Should export a user’s files (sent and unsent) and delete them with the user, and nobody else’s', async () => {
    const s = await boot();
    const open = async (site: typeof SHOP | typeof BLOG) => {
      const c = await TestClient.connect(`${s.wsUrl}?key=${site.publicKey}`, { origin: site.origin });
      const ready = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION, userToken: await mintUserToken(site.secret, 'u1') });
      return { c, token: ready.type === 'ready' ? ready.uploadToken : '' };
    };
    const put = async (token: string, origin: string, name: string, content: string) => {
      const form = new FormData();
      form.append('file', new Blob([content]), name);
      const res = await fetch(`${s.url}/v1/uploads`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${token}`, Origin: origin } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const shop = await open(SHOP);
    const blog = await open(BLOG);
    const sent = await put(shop.token, SHOP.origin, 'sent.txt', 'sent with a message');
    const unsent = await put(shop.token, SHOP.origin, 'unsent.md', '# never sent');
    const blogFile = await put(blog.token, BLOG.origin, 'blog.txt', 'the blog user');
    const opened = (await shop.c.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    const accepted = (await shop.c.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: 'c1', text: 'file', attachments: [sent] })) as { itemId: string; runId: string };
    await shop.c.runFinished(accepted.runId);

    const exported = (await (await api(s, '/users/u1/export', { key: SHOP.adminKey })).json()) as { attachments: unknown[] };
    expect(exported.attachments).toEqual([
      { id: sent, name: 'sent.txt', mime: 'text/plain', size: 19, createdAt: expect.any(String), itemId: accepted.itemId },
      { id: unsent, name: 'unsent.md', mime: 'text/markdown', size: 12, createdAt: expect.any(String), itemId: null },
    ]);

    expect(await (await api(s, '/users/u1', { method: 'DELETE', key: SHOP.adminKey })).json()).toEqual({ deleted: { threads: 1 } });
    const db = sqliteOf(s.server).db;
    expect(db.prepare('SELECT id FROM uploads').all()).toEqual([{ id: blogFile }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM upload_blobs').get()).toEqual({ n: 1 });
    for (const c of [shop.c, blog.c]) c.ws.terminate();
  });

  it('Should answer 401 on an open server', async () => {
    const s = await scope.boot();
    expect((await fetch(`${s.url}/v1/admin/users/u1/export`, { headers: { Authorization: `Bearer ${SHOP.adminKey}` } })).status).toBe(401);
  });
});
