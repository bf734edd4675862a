import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every response: `nosniff`, a referrer policy that never leaks a page's path to
 * other sites, and a page that no one may frame (`X-Frame-Options: DENY` plus CSP
 * `frame-ancestors 'none'`, against clickjacking). Headers a route set itself are kept (the
 * demo pages' fuller CSP, the widget bundle's cross-origin resource policy). HSTS is left to the
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

/**
 * The demo pages' Content-Security-Policy: scripts only from this server (`/widget.js`), the
 * socket only to this server, no plugins, no framing. Styles allow inline because Lit falls
 * back to `<style>` elements where constructable stylesheets are missing.
 */
export function demoPageCsp(host: string | undefined): string {
  const socket = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
