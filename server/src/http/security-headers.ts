import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every response: `nosniff`, a referrer policy that never leaks a page's path to
 * other sites, and a page that no one may frame (`X-Frame-Options: DENY` plus CSP
 * `frame-ancestors 'none'`, against clickjacking). Headers a route set itself are kept (a
 * host page's fuller CSP, the widget bundle's cross-origin resource policy). HSTS is left to the
 * TLS proxy in front (docs/security.md), since only it knows the server is reached over HTTPS.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    overwrite: false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: false,
    contentSecurityPolicy: { frameAncestors: ["'none'"] },
  });
}
