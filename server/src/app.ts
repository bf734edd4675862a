import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { adminRoutes } from './admin/admin-routes.ts';
import { toErrorPayload } from './errors.ts';
import { isSameOrigin, originGuard } from './http/origin-guard.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { Logger } from './logger.ts';
import type { SiteRegistry } from './sites/site-registry.ts';

/** The server package version, reported by /health. */
export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface AppOptions {
  /** The widget bundle served at `/widget.js` (see `defaultWidgetFile`). */
  widgetFile: string;
  /** Model mode for /health: `offline`, `openai` or `base_url`. */
  modelMode: string;
  /** Path of the WebSocket endpoint (a plain GET there gets 426). */
  wsPath: string;
  log: Logger;
  /** The configured sites: `/v1/*` refuses browsers on other origins. Undefined runs open. */
  sites?: SiteRegistry | undefined;
  /** Routes mounted under `/v1/admin` (a site backend's data-rights API). */
  admin?: ReturnType<typeof adminRoutes> | undefined;
  /** `POST /v1/uploads` and `GET /v1/uploads/:id` (uploads/upload-routes.ts). */
  uploads?: Hono | undefined;
  /** `GET /metrics` and `GET /ready` (http/metrics-route.ts, http/ready-route.ts). */
  metrics?: Hono | undefined;
  ready?: Hono | undefined;
  /** The admin console's page and bundle (`/console`), when someone can sign in to it. */
  consolePage?: Hono | undefined;
}

/**
 * Where the widget bundle is: the `@agent-chat/widget` package's `widget.js` (built by
 * `npm run build`), found the way Node finds the package, in this repository or in node_modules.
 */
export function defaultWidgetFile(): string {
  // Resolved through package.json, which is always there (widget.js is not until a build).
  return join(dirname(createRequire(import.meta.url).resolve('@agent-chat/widget/package.json')), 'dist/widget.js');
}

/**
 * The HTTP side: `/health`, the widget bundle at `/widget.js` (the only route with open CORS,
 * so any site can load it) and the admin API when given. Security headers on every response.
 * The WebSocket upgrade is handled by transport/, on the same server. Pages are not the
 * server's: a host adds its own routes to the returned app (the demo does).
 */
export function createApp({ widgetFile, modelMode, wsPath, log, sites, admin, uploads, metrics, ready, consolePage }: AppOptions): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  const guard = originGuard(sites);
  // The console on this server's own origin (in no site's allowedOrigins) posts to the admin
  // API, and browsers send Origin on a POST: the admin API lets its own origin through too.
  app.use('/v1/*', (c, next) => {
    const ownConsole = c.req.path.startsWith('/v1/admin/') && isSameOrigin(c.req.header('Origin'), c.req.header('Host'));
    return ownConsole ? next() : guard(c, next);
  });
  if (admin) app.route('/v1/admin', admin);
  if (uploads) app.route('/v1/uploads', uploads);
  if (metrics) app.route('/metrics', metrics);
  if (ready) app.route('/ready', ready);
  if (consolePage) app.route('/', consolePage);

  app.get('/health', (c) => c.json({ ok: true, version: SERVER_VERSION, model: modelMode }));

  // Every page view of every site that embeds the tag asks for this file: keep it in memory,
  // re-read it only when it changed on disk (a rebuild needs no restart), and answer 304 to a
  // browser that already has this version.
  let bundle: { etag: string; body: string } | undefined;
  app.get('/widget.js', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    try {
      const { mtimeMs, size } = await stat(widgetFile);
      const etag = `"${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}"`;
      if (bundle?.etag !== etag) bundle = { etag, body: await readFile(widgetFile, 'utf8') };
    } catch {
      bundle = undefined;
      return c.text('The widget is not built yet. Run `npm run build` and reload.', 503);
    }
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    // Not content-hashed, so cache briefly and revalidate with the ETag.
    c.header('Cache-Control', 'public, max-age=300, must-revalidate');
    c.header('ETag', bundle.etag);
    if (c.req.header('If-None-Match') === bundle.etag) return c.body(null, 304);
    return c.body(bundle.body);
  });

  app.get(wsPath, (c) => c.text('This endpoint speaks WebSocket (agent-chat protocol 1).', 426, { Upgrade: 'websocket' }));

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    log.error(`HTTP ${c.req.method} ${c.req.path} failed`, error);
    const payload = toErrorPayload(error);
    return c.json({ error: payload }, payload.code === 'internal' ? 500 : 400);
  });
  return app;
}
