import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.ts';
import { silentLogger } from '../../server/src/logger.ts';
import { demoPages } from '../pages.ts';

describe('The demo pages, added to the server by the demo', () => {
  const app = () => {
    const a = createApp({ widgetFile: join(import.meta.dirname, 'missing.js'), modelMode: 'offline', wsPath: '/v1/ws', log: silentLogger });
    demoPages(a);
    return a;
  };

  it('Should serve the shop page at / and its assets, and nothing else from disk', async () => {
    const page = await app().request('/', { headers: { Host: 'shop.test:8787' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' ws://shop.test:8787 wss://shop.test:8787");
    expect(await page.text()).toContain('<agent-chat');
    const css = await app().request('/site.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await app().request('/favicon.svg')).status).toBe(200);
    // demo/server.ts sits next to public/: never served.
    expect((await app().request('/../server.ts')).status).toBe(404);
    expect((await app().request('/%2e%2e/server.ts')).status).toBe(404);
    expect((await app().request('/nope.html')).status).toBe(404);
    // The server's own routes still answer.
    expect((await app().request('/health')).status).toBe(200);
  });
});
