/**
 * The demo shop's pages, served by the same server as the widget: `/` (demo/index.html) and the
 * assets under demo/public/, each HTML page with a strict Content-Security-Policy.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';

const INDEX_PAGE = fileURLToPath(new URL('./index.html', import.meta.url));
const PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));

/**
 * The pages' Content-Security-Policy: scripts only from this server (`/widget.js`), the socket
 * only to this server, no plugins, no framing. Styles allow inline because Lit falls back to
 * `<style>` elements where constructable stylesheets are missing.
 */
export function demoPageCsp(host: string | undefined): string {
  const socket = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Mounts the demo pages on the server's app (`createServer({ routes: demoPages })`). */
export function demoPages(app: Hono): void {
  // The pages get the full CSP; every other response keeps the server's defaults.
  const pageCsp: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.res.headers.get('Content-Type')?.startsWith('text/html')) c.header('Content-Security-Policy', demoPageCsp(c.req.header('Host')));
  };
  app.get('/', pageCsp, async (c) => c.html(await readFile(INDEX_PAGE, 'utf8')));
  app.use('/*', pageCsp, serveStatic({ root: PUBLIC_DIR }));
}
