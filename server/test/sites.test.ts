import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fileURLToPath } from 'node:url';
import { loadSites, SitesLoadError, unknownWorkflows } from '../src/sites/load-sites.ts';
import { BLOG, SHOP, SITE_SECRETS, sitesEnv, twoSites, writeSitesFile } from './helpers/sites.ts';
import { startTestServer, tempDataDir } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { TestClient } from './helpers/ws-client.ts';

/** What the server answers to an upgrade: 101 when a socket opened (then closed), else the HTTP status. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The error frame and close code a socket gets when the server will not serve it. */
function refusal(url: string, origin?: string): Promise<{ frame: Record<string, unknown>; close: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    let frame: Record<string, unknown> = {};
    ws.on('message', (data) => {
      frame = JSON.parse(String(data)) as Record<string, unknown>;
    });
    ws.once('close', (close) => resolve({ frame, close }));
    ws.once('unexpected-response', () => reject(new Error('the upgrade was refused')));
    ws.once('error', reject);
  });
}

/** Connects with an Origin header (as a browser on that page would). */
function connectAs(url: string, origin?: string): Promise<TestClient> {
  return TestClient.connect(url, origin ? { origin } : {});
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SitesLoadError) return error.problems;
    throw error;
  }
  throw new Error('expected a SitesLoadError');
}

describe('Sites file', () => {
  const scope = useTestScope();
  const dir = () => {
    const d = tempDataDir();
    scope.dirs.push(d);
    return d;
  };

  it('Should name the file and the field of every problem', () => {
    const d = dir();
    const bad = twoSites() as { sites: Array<Record<string, unknown>> };
    bad.sites[0]!.allowedOrigins = ['https://shop.example', 'https://shop.example/checkout'];
    bad.sites[1]!.publicKey = 'short';
    bad.sites[1]!.userTokenSecretEnv = 'the secret itself';
    bad.sites[1]!.extra = true;
    const file = writeSitesFile(d, bad);
    const problems = problemsOf(() => loadSites(file, SITE_SECRETS));
    expect(problems).toContain(`${file}: sites[0].allowedOrigins[1]: must be an exact origin such as https://shop.example.com (no path, no trailing slash)`);
    expect(problems.some((p) => p.startsWith(`${file}: sites[1].publicKey: `))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${file}: sites[1].userTokenSecretEnv: must be the name of an environment variable`))).toBe(true);
    expect(problems).toContain(`${file}: sites[1]: unknown field(s): extra`);
  });

  it('Should refuse unreadable JSON, duplicate ids and keys, missing and short secrets, naming the file', () => {
    const d = dir();
    expect(problemsOf(() => loadSites(writeSitesFile(d, '{ "sites": [ '), SITE_SECRETS))[0]).toMatch(/sites\.json:1:14: invalid JSON: Unexpected end of the file$/);
    expect(problemsOf(() => loadSites(join(d, 'missing.json'), SITE_SECRETS))[0]).toMatch(/missing\.json: cannot read the sites file \(ENOENT\)$/);
    const dup = twoSites() as { sites: Array<Record<string, unknown>> };
    dup.sites[1]!.id = SHOP.id;
    dup.sites[1]!.publicKey = SHOP.publicKey;
    const file = writeSitesFile(d, dup);
    expect(problemsOf(() => loadSites(file, SITE_SECRETS))).toEqual([
      `${file}: sites[1].id: duplicate site id "shop"`,
      `${file}: sites[1].publicKey: the same publicKey is used by another site`,
    ]);
    const good = writeSitesFile(d);
    expect(problemsOf(() => loadSites(good, { ...SITE_SECRETS, SHOP_USER_SECRET: 'too-short' }))).toEqual([
      `${good}: sites[0].userTokenSecretEnv: SHOP_USER_SECRET must be at least 32 characters`,
    ]);
    expect(problemsOf(() => loadSites(good, { ...SITE_SECRETS, BLOG_ADMIN_KEY: SHOP.adminKey }))).toEqual([
      `${good}: sites[1].adminKeyEnv: BLOG_ADMIN_KEY holds the same key as another site's`,
    ]);
    expect(problemsOf(() => loadSites(`${d}/missing.json`, SITE_SECRETS))[0]).toBe(`${d}/missing.json: cannot read the sites file (ENOENT)`);
  });

  it('Should refuse at start-up a site that allows a workflow the server does not have', async () => {
    const d = dir();
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    sites.sites[1]!.allowedWorkflows = ['support', 'wether'];
    await expect(startTestServer({ dataDir: d, env: { SITES_FILE: writeSitesFile(d, sites), ...SITE_SECRETS } })).rejects.toThrow(
      'sites.json: sites[1].allowedWorkflows[1]: unknown workflow "wether"',
    );
  });

  it('Should accept demo/sites.example.json with the demo workflows', () => {
    const file = fileURLToPath(new URL('../../demo/sites.example.json', import.meta.url));
    const { registry } = loadSites(file, { NORTHWIND_USER_TOKEN_SECRET: 'x'.repeat(32), NORTHWIND_ADMIN_KEY: 'y'.repeat(32) });
    expect(unknownWorkflows(file, registry, new Set(['support', 'weather']))).toEqual([]);
    expect(registry.byPublicKey('pk_demo_northwind_local')?.id).toBe('northwind');
  });

  it('Should turn off only the admin API of a site whose admin key is unset', () => {
    const { registry, adminOff } = loadSites(writeSitesFile(dir()), { ...SITE_SECRETS, BLOG_ADMIN_KEY: '' });
    expect(adminOff).toEqual([{ siteId: 'blog', env: 'BLOG_ADMIN_KEY' }]);
    expect(registry.get('blog')?.adminKey).toBeUndefined();
    expect(registry.get('shop')?.adminKey).toBe(SHOP.adminKey);
  });
});

describe('Origins and keys at the WebSocket upgrade', () => {
  const scope = useTestScope();
  const boot = async () => {
    const d = tempDataDir();
    return scope.boot({ dataDir: d, env: sitesEnv(d) });
  };

  it('Should refuse a foreign origin with 403 before the upgrade, even with a valid key (cross-site hijacking)', async () => {
    const s = await boot();
    expect(await upgradeStatus(`${s.wsUrl}?key=${SHOP.publicKey}`, 'https://evil.example')).toBe(403);
    // Another site's origin is foreign to this key.
    expect(await upgradeStatus(`${s.wsUrl}?key=${SHOP.publicKey}`, BLOG.origin)).toBe(403);
    // A sandboxed frame says `Origin: null`: a browser, not a backend.
    expect(await upgradeStatus(`${s.wsUrl}?key=${SHOP.publicKey}`, 'null')).toBe(403);
    expect(await upgradeStatus(s.wsUrl, 'https://evil.example')).toBe(403);
    expect(s.server.service.activeRuns).toBe(0);
  });

  it('Should answer an unknown key, or no key from a non-browser client, with unauthorized and close 1008', async () => {
    const s = await boot();
    const unauthorized = { frame: { type: 'error', code: 'unauthorized', retryable: false }, close: 1008 };
    expect(await refusal(`${s.wsUrl}?key=pk_nobody_000000`, SHOP.origin)).toMatchObject(unauthorized);
    expect(await refusal(`${s.wsUrl}?key=pk_nobody_000000`)).toMatchObject(unauthorized);
    expect(await refusal(s.wsUrl)).toMatchObject(unauthorized);
    expect(s.server.service.activeRuns).toBe(0);
  });

  it('Should serve a page on an allowed origin with its key, and a backend with a key and no origin', async () => {
    const s = await boot();
    const page = await connectAs(`${s.wsUrl}?key=${SHOP.publicKey}`, 'https://SHOP.example:443');
    const ready = await page.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(ready.type).toBe('ready');
    const opened = await page.request({ type: 'thread.create', workflow: 'support' });
    expect(opened.type).toBe('thread.opened');
    // The thread belongs to the shop's visitor, not an open-mode one.
    const thread = await s.server.storage.threads.get((opened as { thread: { id: string } }).thread.id);
    expect(thread?.owner).toBe(`site:shop:visitor:${(ready as { user: { id: string } }).user.id}`);
    page.ws.terminate();

    const backend = await connectAs(`${s.wsUrl}?key=${BLOG.publicKey}`);
    expect((await backend.request({ type: 'hello', protocol: PROTOCOL_VERSION })).type).toBe('ready');
    backend.ws.terminate();
  });

  it('Should take the site from hello.publicKey when the URL has none, checking the origin against that site', async () => {
    const s = await boot();
    const good = await connectAs(s.wsUrl, SHOP.origin);
    expect((await good.request({ type: 'hello', protocol: PROTOCOL_VERSION, publicKey: SHOP.publicKey })).type).toBe('ready');
    good.ws.terminate();

    // The blog's page may open a socket, but not speak as the shop.
    const foreign = await connectAs(s.wsUrl, BLOG.origin);
    const refused = await foreign.request({ type: 'hello', protocol: PROTOCOL_VERSION, publicKey: SHOP.publicKey });
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
    expect((await foreign.closed).code).toBe(1008);

    const keyless = await connectAs(s.wsUrl, SHOP.origin);
    expect(await keyless.request({ type: 'hello', protocol: PROTOCOL_VERSION })).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect((await keyless.closed).code).toBe(1008);

    const unknown = await connectAs(s.wsUrl, SHOP.origin);
    expect(await unknown.request({ type: 'hello', protocol: PROTOCOL_VERSION, publicKey: 'pk_nobody_000000' })).toMatchObject({ code: 'unauthorized' });
    expect((await unknown.closed).code).toBe(1008);
  });

  it('Should refuse a hello whose publicKey differs from the URL key', async () => {
    const s = await boot();
    const c = await connectAs(`${s.wsUrl}?key=${SHOP.publicKey}`, SHOP.origin);
    const reply = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION, publicKey: BLOG.publicKey });
    expect(reply).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect((await c.closed).code).toBe(1008);
  });

  it('Should answer forbidden for a workflow outside the site list, and allow the listed ones', async () => {
    const s = await boot();
    const shop = await connectAs(`${s.wsUrl}?key=${SHOP.publicKey}`, SHOP.origin);
    await shop.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(await shop.request({ type: 'thread.create', workflow: 'weather' })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect((await shop.request({ type: 'thread.create', workflow: 'support' })).type).toBe('thread.opened');
    shop.ws.terminate();
    const blog = await connectAs(`${s.wsUrl}?key=${BLOG.publicKey}`, BLOG.origin);
    await blog.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect((await blog.request({ type: 'thread.create', workflow: 'weather' })).type).toBe('thread.opened');
    blog.ws.terminate();
  });

  it('Should keep a visitor to its own site: the same visitor token on another site sees none of its threads', async () => {
    const s = await boot();
    const shop = await connectAs(`${s.wsUrl}?key=${SHOP.publicKey}`, SHOP.origin);
    const ready = (await shop.request({ type: 'hello', protocol: PROTOCOL_VERSION })) as { visitorToken: string };
    const opened = (await shop.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    shop.ws.terminate();
    const blog = await connectAs(`${s.wsUrl}?key=${BLOG.publicKey}`, BLOG.origin);
    await blog.request({ type: 'hello', protocol: PROTOCOL_VERSION, visitorToken: ready.visitorToken });
    expect(await blog.request({ type: 'thread.list' })).toMatchObject({ threads: [] });
    expect(await blog.request({ type: 'thread.open', threadId: opened.thread.id })).toMatchObject({ code: 'not_found' });
    blog.ws.terminate();
  });
});

describe('Visitor tokens on the wire', () => {
  const scope = useTestScope();

  it('Should give a new visitor, not an error, for a token that is not a string or is too long', async () => {
    const s = await scope.boot();
    const { ready } = await scope.connect(s);
    for (const visitorToken of [42, { forged: true }, ['a'], 'x'.repeat(5000), `${ready.visitorToken}${'x'.repeat(3000)}`]) {
      const { client, ready: again } = await TestClient.open(s.wsUrl, { visitorToken });
      expect(again.user.kind).toBe('visitor');
      expect(again.user.id).not.toBe(ready.user.id);
      client.ws.terminate();
    }
    const { client, ready: same } = await TestClient.open(s.wsUrl, { visitorToken: ready.visitorToken });
    expect(same.user.id).toBe(ready.user.id);
    client.ws.terminate();
  });

  it('Should give a new visitor once the token is older than VISITOR_TOKEN_TTL_DAYS', async () => {
    let now = Date.now();
    const s = await scope.boot({ env: { VISITOR_TOKEN_TTL_DAYS: '2' }, now: () => now });
    const { ready } = await scope.connect(s);
    now += 1.5 * 24 * 60 * 60 * 1000;
    const { ready: within } = await scope.connect(s, ready.visitorToken);
    expect(within.user.id).toBe(ready.user.id);
    now += 1 * 24 * 60 * 60 * 1000; // 2.5 days after the first token
    const { ready: after } = await scope.connect(s, ready.visitorToken);
    expect(after.user.id).not.toBe(ready.user.id);
  });
});
