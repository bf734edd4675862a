import { AdminPreviewTicket, AdminSiteList, AdminThreadPage, PROTOCOL_VERSION, Workflow } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/identity/token-signer.ts';
import { BLOG, SHOP, SITE_SECRETS, twoSites, writeSitesFile } from '../helpers/sites.ts';
import { createScriptedAgent } from '../helpers/scripted-agent.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';
import { useTestScope } from '../helpers/test-scope.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const SECRET = 'server-secret-0123456789abcdef-0123456789';
/** An origin no site allows: a page elsewhere that holds a ticket (the console's own origin is the server's). */
const CONSOLE_ORIGIN = 'https://chat-server.example';

const workflow = (id: string) => Workflow.parse({ id, name: id, entryAgent: 'a', agents: [{ id: 'a', name: 'A', instructions: 'Answer.' }] });

/**
 * The console's live preview: `POST /v1/admin/preview` gives a short-lived ticket for one
 * workflow, within the key's scope; the widget presents it as its public key from any origin and
 * may then run that workflow only, as a preview owner that the conversation list leaves out by
 * default. A forged, altered, expired or borrowed token opens nothing.
 */
describe('console preview API', () => {
  const scope = useTestScope();
  let clock = Date.now();

  async function boot(): Promise<TestServer> {
    const dir = tempDataDir();
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    sites.sites[0]!.allowedWorkflows = ['support'];
    sites.sites[1]!.allowedWorkflows = ['weather'];
    clock = Date.now();
    return scope.boot({
      dataDir: dir,
      env: { SITES_FILE: writeSitesFile(dir, sites), ADMIN_TOKEN, SECRET, ...SITE_SECRETS },
      workflows: new Map(['support', 'weather'].map((id) => [id, workflow(id)])),
      runAgent: createScriptedAgent(),
      now: () => clock,
    });
  }

  /** Posts as the console does: from the server's own origin (in no site's allowedOrigins). */
  const post = async (s: TestServer, body: unknown, key?: string, origin = s.url) => {
    const res = await fetch(`${s.url}/v1/admin/preview`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const ticketFor = async (s: TestServer, body: unknown, key: string) => {
    const res = await post(s, body, key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return AdminPreviewTicket.parse(res.body);
  };
  const threads = async (s: TestServer, query: string, key: string) => {
    const res = await fetch(`${s.url}/v1/admin/threads${query}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    return AdminThreadPage.parse(await res.json()).threads;
  };
  /** Opens a socket with `key` from the console's origin and says hello; the reply, or how the socket closed. */
  const hello = async (s: TestServer, key: string) => {
    const c = await scope.socket({ wsUrl: `${s.wsUrl}?key=${encodeURIComponent(key)}` }, { origin: CONSOLE_ORIGIN });
    c.send({ type: 'hello', protocol: PROTOCOL_VERSION, publicKey: key, id: 'h' });
    const first = await Promise.race([c.waitFor((m) => m.replyTo === 'h' || m.type === 'error').catch(() => undefined), c.closed.then(() => undefined)]);
    return { client: c, reply: first };
  };

  it('gives a ticket within the key’s scope only', async () => {
    const s = await boot();
    const shop = await ticketFor(s, { workflow: 'support' }, SHOP.adminKey);
    expect(shop).toMatchObject({ workflow: 'support', site: 'shop' });
    expect(Date.parse(shop.expiresAt) - clock).toBe(15 * 60 * 1000);
    expect(await ticketFor(s, { workflow: 'weather', site: 'blog' }, ADMIN_TOKEN)).toMatchObject({ site: 'blog' });
    expect(await ticketFor(s, { workflow: 'weather' }, ADMIN_TOKEN)).toMatchObject({ site: '' });

    // Another site's workflow or site, a workflow a site does not allow, one that does not exist: not found.
    for (const [body, key] of [
      [{ workflow: 'weather' }, SHOP.adminKey],
      [{ workflow: 'weather', site: 'blog' }, SHOP.adminKey],
      [{ workflow: 'support', site: 'blog' }, ADMIN_TOKEN],
      [{ workflow: 'ghost' }, ADMIN_TOKEN],
      [{ workflow: 'support', site: 'ghost' }, ADMIN_TOKEN],
    ] as const) {
      const res = await post(s, body, key);
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'not_found' } });
    }
    // A page on another origin gets nothing, even with the key.
    expect((await post(s, { workflow: 'support' }, SHOP.adminKey, CONSOLE_ORIGIN)).status).toBe(403);
    expect((await post(s, { workflow: 'support' })).status).toBe(401);
    expect((await post(s, { workflow: 'support' }, 'not-a-key')).status).toBe(401);
    for (const bad of [{}, { workflow: '' }, { workflow: 'support', extra: 1 }, 'support']) {
      expect((await post(s, bad, ADMIN_TOKEN)).status, JSON.stringify(bad)).toBe(400);
    }

    // The site filter's list: every site for the operator, its own for a site; no secret in it.
    const listed = async (key: string) => AdminSiteList.parse(await (await fetch(`${s.url}/v1/admin/sites`, { headers: { Authorization: `Bearer ${key}` } })).json());
    expect(await listed(ADMIN_TOKEN)).toEqual({ open: false, scope: 'operator', sites: [{ id: 'shop', allowedWorkflows: ['support'] }, { id: 'blog', allowedWorkflows: ['weather'] }] });
    expect(await listed(BLOG.adminKey)).toEqual({ open: false, scope: 'site', sites: [{ id: 'blog', allowedWorkflows: ['weather'] }] });
  });

  it('lets a ticket chat from the console’s origin with its one workflow, as a preview owner kept out of the list by default', async () => {
    const s = await boot();
    const { ticket } = await ticketFor(s, { workflow: 'support' }, SHOP.adminKey);
    const { client, reply } = await hello(s, ticket);
    expect(reply).toMatchObject({ type: 'ready', user: { id: 'preview:admin' } });
    expect(await client.request({ type: 'thread.create', workflow: 'weather' })).toMatchObject({ type: 'error', code: 'forbidden' });
    const opened = (await client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    const accepted = (await client.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: 'c1', text: 'preview hello' })) as { runId: string };
    expect((await client.runFinished(accepted.runId)).status).toBe('completed');
    expect(client.events(opened.thread.id).some((e) => e.type === 'text.delta')).toBe(true);

    // A visitor's conversation on the same site, for comparison.
    const visitor = await scope.socket({ wsUrl: `${s.wsUrl}?key=${SHOP.publicKey}` }, { origin: SHOP.origin });
    expect((await visitor.request({ type: 'hello', protocol: PROTOCOL_VERSION })).type).toBe('ready');
    const visited = (await visitor.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };

    expect((await threads(s, '', SHOP.adminKey)).map((t) => t.id)).toEqual([visited.thread.id]);
    expect((await threads(s, '', ADMIN_TOKEN)).map((t) => t.id)).toEqual([visited.thread.id]);
    const previews = await threads(s, '?preview=only', SHOP.adminKey);
    expect(previews.map((t) => [t.id, t.site, t.owner])).toEqual([[opened.thread.id, 'shop', { kind: 'preview', id: 'admin' }]]);
    expect((await threads(s, '?preview=include', ADMIN_TOKEN)).map((t) => t.id).sort()).toEqual([opened.thread.id, visited.thread.id].sort());
    // Another site never sees it, even asking for previews.
    expect(await threads(s, '?preview=only', BLOG.adminKey)).toEqual([]);
    expect((await fetch(`${s.url}/v1/admin/threads/${opened.thread.id}`, { headers: { Authorization: `Bearer ${BLOG.adminKey}` } })).status).toBe(404);
    expect((await fetch(`${s.url}/v1/admin/threads?preview=maybe`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(400);
  });

  it('refuses a forged, altered, expired or borrowed ticket, and the console’s origin without one', async () => {
    const s = await boot();
    const { ticket } = await ticketFor(s, { workflow: 'support' }, SHOP.adminKey);
    const [kind, payload, mac] = ticket.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const altered = `${kind}.${Buffer.from(JSON.stringify({ ...claims, w: 'weather', s: 'blog' })).toString('base64url')}.${mac}`;
    const forged = new TokenSigner('another-secret-0123456789abcdef-0123').sign(kind, claims);
    // A genuine token of another kind (the visitor token this server issued) is no ticket.
    const visitor = await scope.socket({ wsUrl: `${s.wsUrl}?key=${SHOP.publicKey}` }, { origin: SHOP.origin });
    const ready = (await visitor.request({ type: 'hello', protocol: PROTOCOL_VERSION })) as { visitorToken: string };
    for (const bad of [altered, forged, ready.visitorToken, `pv1.${payload}`]) {
      const { client, reply } = await hello(s, bad);
      expect(reply, bad).toMatchObject({ type: 'error', code: 'unauthorized' });
      expect((await client.closed).code).toBe(1008);
    }
    // The console's origin with a site's public key: refused at the upgrade (403), as before.
    await expect(scope.socket({ wsUrl: `${s.wsUrl}?key=${SHOP.publicKey}` }, { origin: CONSOLE_ORIGIN })).rejects.toThrow(/403/);

    // Valid until it expires; a socket it opened goes on.
    const open = await hello(s, ticket);
    expect(open.reply).toMatchObject({ type: 'ready' });
    clock += 15 * 60 * 1000 + 1;
    const late = await hello(s, ticket);
    expect(late.reply).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect(await open.client.request({ type: 'thread.create', workflow: 'support' })).toMatchObject({ type: 'thread.opened' });
  });
});
