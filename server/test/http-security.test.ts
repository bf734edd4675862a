import { describe, expect, it } from 'vitest';
import { BLOG, SHOP, sitesEnv } from './helpers/sites.ts';
import { tempDataDir } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';

describe('HTTP hygiene', () => {
  const scope = useTestScope();

  it('Should send nosniff, a referrer policy and no-framing on pages, and a CSP that lets the demo load /widget.js and its socket', async () => {
    const s = await scope.boot();
    const host = new URL(s.url).host;
    for (const path of ['/', '/trip-planner.html']) {
      const res = await fetch(`${s.url}${path}`, { headers: { Origin: 'https://evil.example' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`);
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.text()).toContain('<script type="module" src="/widget.js">');
    }
  });

  it('Should give every other response nosniff and no-framing, and open CORS only on /widget.js', async () => {
    const s = await scope.boot();
    for (const path of ['/health', '/site.css', '/v1/ws', '/nope']) {
      const res = await fetch(`${s.url}${path}`, { headers: { Origin: 'https://shop.example' } });
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const widget = await fetch(`${s.url}/widget.js`, { headers: { Origin: 'https://shop.example' } });
    expect(widget.headers.get('access-control-allow-origin')).toBe('*');
    // Kept as the route set it: a page on another origin must be able to load the bundle.
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(widget.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('Should refuse /v1 HTTP calls from a browser on an origin no site allows, with sites configured', async () => {
    const d = tempDataDir();
    const s = await scope.boot({ dataDir: d, env: sitesEnv(d) });
    expect((await fetch(`${s.url}/v1/ws`, { headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    for (const origin of [SHOP.origin, BLOG.origin]) {
      const res = await fetch(`${s.url}/v1/ws`, { headers: { Origin: origin } });
      expect(res.status).toBe(426);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect((await fetch(`${s.url}/v1/ws`)).status).toBe(426);
    // Pages and the bundle are not /v1 routes: anyone may fetch them.
    expect((await fetch(`${s.url}/health`, { headers: { Origin: 'https://evil.example' } })).status).toBe(200);
    const open = await scope.boot();
    expect((await fetch(`${open.url}/v1/ws`, { headers: { Origin: 'https://evil.example' } })).status).toBe(426);
  });
});
