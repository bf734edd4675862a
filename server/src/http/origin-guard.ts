import type { MiddlewareHandler } from 'hono';
import type { SiteRegistry } from '../sites/site-registry.ts';

/**
 * For the `/v1/*` HTTP routes with sites configured: a browser request (it carries `Origin`)
 * from an origin no site allows gets 403 before any handler runs. Requests without `Origin`
 * (a site's backend, curl) pass: what they may do is decided by their key. No CORS headers are
 * added, so a browser on another origin cannot read an answer either. Without sites the server
 * is open and this does nothing.
 */
export function originGuard(sites: SiteRegistry | undefined): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    if (sites && origin !== undefined && !sites.isKnownOrigin(origin)) {
      return c.json({ error: { code: 'forbidden', message: 'This origin is not allowed.' } }, 403);
    }
    await next();
  };
}

/** Whether a browser's `Origin` is this server itself, as the request reached it (`Host`). */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined || host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
