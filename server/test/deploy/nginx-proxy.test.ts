import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRANSPORT } from '../../src/transport/websocket-transport.ts';
import { NGINX, type NginxInstance, freePort, startNginx } from '../helpers/nginx.ts';
import { OPENSSL, type SelfSignedCert, selfSignedCert } from '../helpers/self-signed-cert.ts';
import { type TestServer, removeDir, startTestServer } from '../helpers/test-server.ts';
import { ensureWidgetBundle } from '../helpers/widget-bundle.ts';

/*
 * The deployment docs/deploy.md describes, for real: Debian's nginx runs docs/deploy/nginx.conf
 * (TLS with a self-signed certificate, the server mounted under /chat/), the real server (demo
 * workflows and tools, offline model) listens on loopback behind it, and a page served by that
 * nginx embeds the built widget.js in headless Chromium, without a `server` attribute.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CONF_FILE = join(ROOT, 'docs/deploy/nginx.conf');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--ignore-certificate-errors'];

interface Placement {
  httpsPort: number;
  httpPort: number;
  serverPort: number;
  cert: SelfSignedCert;
  siteRoot: string;
}

/**
 * docs/deploy/nginx.conf as the test runs it: the SAME text, with only the listen ports, the
 * certificate paths, the site's root and the upstream address replaced. Each of those must occur
 * exactly once, so an edit of the docs cannot make the test run something else unnoticed. Then a
 * copy of the `/chat/` location WITHOUT the two upgrade headers is added under `/no-upgrade/`: the
 * mistake the docs warn about.
 */
function placeConf(conf: string, p: Placement): string {
  const swaps: Array<[string, string]> = [
    ['listen 443 ssl http2;', `listen 127.0.0.1:${p.httpsPort} ssl http2;`],
    ['listen 80;', `listen 127.0.0.1:${p.httpPort};`],
    ['/etc/letsencrypt/live/shop.example.com/fullchain.pem', p.cert.certFile],
    ['/etc/letsencrypt/live/shop.example.com/privkey.pem', p.cert.keyFile],
    ['root /var/www/shop;', `root ${p.siteRoot};`],
    ['server 127.0.0.1:8787;', `server 127.0.0.1:${p.serverPort};`],
  ];
  let placed = conf;
  for (const [from, to] of swaps) {
    expect(placed.split(from).length - 1, `"${from}" in docs/deploy/nginx.conf`).toBe(1);
    placed = placed.replace(from, to);
  }
  const chat = /^ {4}location \/chat\/ \{\n[\s\S]*?^ {4}\}\n/m.exec(placed)?.[0];
  expect(chat, 'the /chat/ location').toBeDefined();
  const upgradeHeaders = /^ *proxy_set_header (Upgrade|Connection) .*\n/gm;
  expect(chat!.match(upgradeHeaders)).toHaveLength(2);
  const noUpgrade = chat!.replace('location /chat/', 'location /no-upgrade/').replace(upgradeHeaders, '');
  return placed.replace(chat!, `${chat}\n${noUpgrade}`);
}

/** A page of the shop that embeds the chat the way docs/deploy.md says: no `server` attribute. */
function shopPage(widgetSrc: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northwind</title>
<script type="module" src="${widgetSrc}"></script></head>
<body><h1>Northwind Outfitters</h1><agent-chat mode="inline" style="display:block;height:560px"></agent-chat></body></html>`;
}

/** GET over TLS, trusting only our certificate. */
function httpsGet(url: string, ca: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

describe('docs/deploy/nginx.conf', () => {
  it('keeps idle sockets open longer than the server heartbeat, and is the text docs/deploy.md shows', () => {
    const conf = readFileSync(CONF_FILE, 'utf8');
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const seconds = Number(new RegExp(`${directive} (\\d+)s;`).exec(conf)?.[1]);
      // A quiet conversation's socket carries only the heartbeat: a timeout near it would cut
      // sockets whose ping came a little late, so ask for twice the interval at least.
      expect(seconds * 1000, directive).toBeGreaterThan(2 * DEFAULT_TRANSPORT.heartbeatMs);
    }
    const shown = /```nginx\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8'))?.[1];
    expect(shown, 'docs/deploy.md shows the whole file').toBe(conf);
  });
});

const missing = [!NGINX && 'nginx not installed (apt-get install nginx)', !OPENSSL && 'openssl not installed'].filter(Boolean).join(', ');

describe.skipIf(missing !== '')(missing ? `behind nginx: NOT RUN, ${missing}` : 'behind nginx with TLS (docs/deploy/nginx.conf)', () => {
  let dir: string;
  let server: TestServer;
  let nginx: NginxInstance;
  let browser: Browser;
  let context: BrowserContext;
  let cert: SelfSignedCert;
  let origin: string;
  let httpPort: number;

  beforeAll(async () => {
    await ensureWidgetBundle();
    dir = mkdtempSync(join(tmpdir(), 'agent-chat-nginx-'));
    // nginx's workers drop root privileges: they must be able to read the site's files.
    chmodSync(dir, 0o755);
    const siteRoot = join(dir, 'shop');
    mkdirSync(siteRoot, { mode: 0o755 });
    cert = selfSignedCert(dir);
    // Paced tokens, so a reply is still streaming when the proxy goes away.
    server = await startTestServer({ env: { TRUST_PROXY: '1', OFFLINE_MODEL_DELAY_MS: '30' } });
    const httpsPort = await freePort();
    httpPort = await freePort();
    origin = `https://127.0.0.1:${httpsPort}`;
    writeFileSync(join(siteRoot, 'index.html'), shopPage(`${origin}/chat/widget.js`));
    writeFileSync(join(siteRoot, 'no-upgrade.html'), shopPage(`${origin}/no-upgrade/widget.js`));
    const conf = placeConf(readFileSync(CONF_FILE, 'utf8'), { httpsPort, httpPort, serverPort: Number(new URL(server.url).port), cert, siteRoot });
    nginx = await startNginx({ dir: join(dir, 'nginx'), siteConf: conf, waitPort: httpsPort });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await server?.close();
    if (dir) removeDir(dir);
  });

  async function openShop(path: string): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${origin}${path}`);
    return page;
  }

  const viewModel = (page: Page) => page.locator('agent-chat').evaluate((el) => {
    const vm = (el as any).viewModel;
    return { connection: vm.connection as string, threadId: vm.thread?.id as string | undefined, activeRunId: vm.activeRunId as string | null,
      lastRun: vm.lastRun ? { runId: vm.lastRun.runId as string, status: vm.lastRun.status as string } : null };
  });
  const visible = (page: Page, part: string) => page.locator(`agent-chat [part~="${part}"]`).innerText();

  it('serves /chat/ over TLS: the widget finds wss://…/chat/v1/ws by itself, streams a reply, and resumes it after the proxy went away mid-reply and after a reload', async () => {
    const health = await httpsGet(`${origin}/chat/health`, cert.certPem);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
    const bundle = await httpsGet(`${origin}/chat/widget.js`, cert.certPem);
    expect([bundle.status, bundle.type]).toEqual([200, 'text/javascript; charset=utf-8']);

    const page = await openShop('/');
    await expect.poll(async () => (await viewModel(page)).connection, { timeout: 10_000 }).toBe('connected');
    expect(await page.locator('agent-chat').evaluate((el) => (el as any).server)).toBe(`${origin}/chat/`);

    const input = page.locator('agent-chat [part~="input"]');
    await input.fill('Hello through nginx');
    await input.press('Enter');
    // The reply's text only: the message also holds its time, which comes after the text.
    const assistant = page.locator('agent-chat [part~="assistant-message"] .bubble').last();
    await expect.poll(async () => (await assistant.count()) > 0 && (await assistant.innerText()).trim().length > 0, { timeout: 10_000 }).toBe(true);

    // The proxy goes away mid-reply (fast shutdown cuts every socket) and comes back.
    await nginx.stop();
    await expect.poll(() => visible(page, 'status-line'), { timeout: 5_000 }).toContain('Reconnecting');
    const atDrop = (await assistant.innerText()).trim();
    expect((await viewModel(page)).activeRunId, 'the widget had not seen the reply end when its socket dropped').not.toBeNull();
    await nginx.start();

    await expect.poll(async () => {
      const vm = await viewModel(page);
      return vm.connection === 'connected' && vm.activeRunId === null && vm.lastRun?.status;
    }, { timeout: 15_000 }).toBe('completed');
    const reply = (await assistant.innerText()).trim();
    expect(reply.length, 'the reply went on after the drop').toBeGreaterThan(atDrop.length);
    expect(reply.startsWith(atDrop.replace(/\s+$/, '')), 'nothing shown twice or lost').toBe(true);
    expect(await visible(page, 'messages')).toContain('Hello through nginx');
    expect((await visible(page, 'status-line')).trim()).toBe('');
    const { threadId } = await viewModel(page);

    // A reload: the same conversation, exactly as it was shown live.
    await page.reload();
    await expect.poll(async () => (await viewModel(page)).connection, { timeout: 10_000 }).toBe('connected');
    await expect.poll(async () => (await assistant.count()) > 0 && (await assistant.innerText()).trim(), { timeout: 10_000 }).toBe(reply);
    expect((await viewModel(page)).threadId).toBe(threadId);
    expect(await page.locator('agent-chat [part~="user-message"]').allInnerTexts()).toEqual([expect.stringContaining('Hello through nginx')]);
    // nginx logs a WebSocket when it closes: the one the reload ended went through the upgrade.
    expect(nginx.accessLog()).toContain('101 GET /chat/v1/ws');
    await context.close();
  }, 45_000);

  it('without the Upgrade headers the server answers 426, and the widget shows its error state with Retry instead of reconnecting forever', async () => {
    const page = await openShop('/no-upgrade.html');
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    // Five attempts with the default backoff: the last one fails after about 4-8 s.
    await expect.poll(async () => (await viewModel(page)).connection, { timeout: 15_000 }).toBe('failed');
    expect(await visible(page, 'connection-error')).toContain("We can't reach the chat right now");
    expect((await visible(page, 'retry-button')).trim()).toBe('Retry');
    expect(await visible(page, 'status-line')).not.toContain('Reconnecting');
    const attempts = nginx.accessLog().filter((l) => l.endsWith('GET /no-upgrade/v1/ws'));
    expect(attempts.length).toBe(5);
    expect(new Set(attempts)).toEqual(new Set(['426 GET /no-upgrade/v1/ws']));
    expect(consoleErrors.join('\n')).toContain(`wss://127.0.0.1:${new URL(origin).port}/no-upgrade/v1/ws`);
    await context.close();
  }, 30_000);

  it('keeps the socket open across an nginx reload, and the conversation across a restart of the server behind nginx (an upgrade): nginx answers 502 meanwhile, the widget waits and resumes', async () => {
    const page = await openShop('/');
    await expect.poll(async () => (await viewModel(page)).connection, { timeout: 10_000 }).toBe('connected');
    await page.locator('agent-chat').evaluate((el) => {
      (window as any).statuses = [];
      el.addEventListener('agent-chat-connection', (e) => (window as any).statuses.push((e as CustomEvent).detail.status));
    });
    const statuses = () => page.evaluate(() => (window as any).statuses as string[]);
    const input = page.locator('agent-chat [part~="input"]');
    const say = async (text: string) => {
      const before = (await viewModel(page)).lastRun?.runId;
      await input.fill(text);
      await input.press('Enter');
      await expect.poll(async () => {
        const vm = await viewModel(page);
        return vm.lastRun !== null && vm.lastRun.runId !== before && vm.activeRunId === null && vm.lastRun.status;
      }, { timeout: 15_000 }).toBe('completed');
    };
    // A reload (new conf, new certificate) leaves open sockets on the old worker: nobody is cut off.
    await nginx.reload();
    await say('Before the upgrade');
    expect(await statuses(), 'no reconnect after the reload').toEqual([]);
    const { threadId } = await viewModel(page);
    const before = await visible(page, 'messages');

    // The server stops as systemd stops it, and a new one starts on the same port and data.
    const { port } = new URL(server.url);
    const { dataDir } = server;
    await server.close();
    await expect.poll(() => visible(page, 'status-line'), { timeout: 5_000 }).toContain('Reconnecting');
    await expect.poll(() => nginx.accessLog().includes('502 GET /chat/v1/ws'), { timeout: 5_000 }).toBe(true);
    server = await startTestServer({ dataDir, env: { PORT: port, TRUST_PROXY: '1' } });

    await expect.poll(async () => (await viewModel(page)).connection, { timeout: 15_000 }).toBe('connected');
    const seen = await statuses();
    expect(seen).toContain('reconnecting');
    expect(seen, 'never gave up').not.toContain('failed');
    expect(seen.at(-1)).toBe('connected');
    expect((await viewModel(page)).threadId).toBe(threadId);
    expect(await visible(page, 'messages')).toBe(before);
    await say('After the upgrade');
    expect((await viewModel(page)).threadId).toBe(threadId);
    expect(await page.locator('agent-chat [part~="user-message"]').allInnerTexts())
      .toEqual([expect.stringContaining('Before the upgrade'), expect.stringContaining('After the upgrade')]);
    await context.close();
  }, 45_000);

  it('redirects plain HTTP to HTTPS', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/chat/widget.js`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('https://127.0.0.1/chat/widget.js');
  });
});
