import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_VERSION, createApp } from '../src/app.ts';
import { silentLogger } from '../src/logger.ts';
import { TEST_WORKFLOWS, createScriptedAgent } from './helpers/scripted-agent.ts';
import { removeDir, tempDataDir } from './helpers/temp-dir.ts';
import { type TestServer, startTestServer } from './helpers/test-server.ts';

describe('HTTP routes', () => {
  const root = tempDataDir();
  const bare = tempDataDir();
  beforeAll(() => {
    mkdirSync(join(root, 'widget/dist'), { recursive: true });
    writeFileSync(join(root, 'widget/dist/widget.js'), 'customElements.define("agent-chat", class extends HTMLElement {});');
  });
  afterAll(() => {
    removeDir(root);
    removeDir(bare);
  });
  const app = (dir = root) => createApp({ widgetFile: join(dir, 'widget/dist/widget.js'), modelMode: 'offline', wsPath: '/v1/ws', log: silentLogger });

  it('Should report health as JSON', async () => {
    const res = await app().request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: SERVER_VERSION, model: 'offline' });
  });

  it('Should serve /widget.js as JavaScript to any origin, with a cache header', async () => {
    const res = await app().request('/widget.js', { headers: { Origin: 'https://some-shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(await res.text()).toContain('agent-chat');
  });

  it('Should answer 304 to a browser that has this bundle, and serve a rebuilt one without a restart', async () => {
    const a = app();
    const first = await a.request('/widget.js');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await a.request('/widget.js', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('access-control-allow-origin')).toBe('*');
    expect(await again.text()).toBe('');
    const file = join(root, 'widget/dist/widget.js');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, `${original}\n// rebuilt`);
      utimesSync(file, new Date(), new Date(Date.now() + 5_000));
      const rebuilt = await a.request('/widget.js', { headers: { 'If-None-Match': etag! } });
      expect(rebuilt.status).toBe(200);
      expect(rebuilt.headers.get('etag')).not.toBe(etag);
      expect(await rebuilt.text()).toContain('// rebuilt');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('Should say clearly when the widget is not built', async () => {
    const res = await app(bare).request('/widget.js');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/not built/);
  });

  it('Should serve no pages of its own: a host adds them', async () => {
    expect((await app().request('/')).status).toBe(404);
    expect((await app().request('/index.html')).status).toBe(404);
  });

  it('Should answer a plain GET on the WebSocket path with 426 and never leak a stack', async () => {
    const a = app();
    a.get('/boom', () => {
      throw new Error('secret detail at /srv/app.ts:12');
    });
    expect((await a.request('/v1/ws')).status).toBe(426);
    const res = await a.request('/boom');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(body).not.toMatch(/secret detail|app\.ts/);
  });

  describe('on a listening server', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ workflows: TEST_WORKFLOWS, runAgent: createScriptedAgent() });
    });
    afterAll(async () => {
      await t.close();
      removeDir(t.dataDir);
    });

    it('Should serve /health and /widget.js over real HTTP on the WebSocket port', async () => {
      const health = await fetch(`${t.url}/health`);
      expect(await health.json()).toMatchObject({ ok: true, model: 'offline' });
      const widget = await fetch(`${t.url}/widget.js`);
      expect(widget.headers.get('access-control-allow-origin')).toBe('*');
      expect([200, 503]).toContain(widget.status); // 200 once `vite build` has run
    });
  });
});
