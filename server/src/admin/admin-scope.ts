import type { MiddlewareHandler } from 'hono';
import { bearerOf, sameToken, tokenDigest } from '../http/bearer-token.ts';
import type { Site, SiteRegistry } from '../sites/site-registry.ts';

/**
 * Who is asking the admin API: the operator (`ADMIN_TOKEN`: every site, and an open server's
 * threads) or one site (its admin key from the sites file: that site only).
 */
export type AdminScope = { kind: 'operator' } | { kind: 'site'; site: Site };

export type AdminEnv = { Variables: { scope: AdminScope } };

/**
 * Sets `scope` from `Authorization: Bearer …`, or answers 401. Every key is compared as a
 * digest in constant time, and every site's key is checked, so timing tells nothing.
 */
export function adminAuth(sites: SiteRegistry | undefined, adminToken: string | undefined): MiddlewareHandler<AdminEnv> {
  const operator = adminToken === undefined ? undefined : tokenDigest(adminToken);
  return async (c, next) => {
    const key = bearerOf(c.req.header('Authorization'));
    let scope: AdminScope | undefined;
    if (operator && sameToken(operator, key)) scope = { kind: 'operator' };
    const site = sites && siteForKey(sites, key);
    if (!scope && site) scope = { kind: 'site', site };
    if (!scope) {
      c.header('WWW-Authenticate', 'Bearer realm="admin"');
      return c.json({ error: { code: 'unauthorized', message: 'An admin token or a site admin key is required (Authorization: Bearer …).' } }, 401);
    }
    c.set('scope', scope);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/**
 * The site a request may read: a site's own (asking for another is `undefined`: not found), or
 * for the operator the one asked for (`requested`; '' is an open server's threads), else all (null).
 */
export function siteInScope(scope: AdminScope, requested: string | undefined): string | null | undefined {
  if (scope.kind === 'site') return requested === undefined || requested === scope.site.id ? scope.site.id : undefined;
  return requested ?? null;
}

/** Whether the scope may see a thread of `threadSite` (null: an open server's thread). */
export function threadInScope(scope: AdminScope, threadSite: string | null): boolean {
  return scope.kind === 'operator' || scope.site.id === threadSite;
}

function siteForKey(sites: SiteRegistry, key: string | undefined): Site | undefined {
  if (!key) return undefined;
  let found: Site | undefined;
  for (const site of sites.all) {
    if (site.adminKey && sameToken(tokenDigest(site.adminKey), key)) found = site;
  }
  return found;
}
