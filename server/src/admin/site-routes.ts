import type { AdminSiteList } from '@agent-chat/shared';
import { Hono } from 'hono';
import type { SiteRegistry } from '../sites/site-registry.ts';
import type { AdminEnv } from './admin-scope.ts';

/**
 * `GET /sites`: the sites a key may see, for the console's site filter: every site for the
 * operator, its own for a site's key. No secret or origin is in the answer.
 */
export function siteRoutes(sites: SiteRegistry | undefined): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  route.get('/sites', (c) => {
    const scope = c.get('scope');
    const visible = scope.kind === 'site' ? [scope.site] : (sites?.all ?? []);
    const body: AdminSiteList = {
      sites: visible.map((s) => ({ id: s.id, allowedWorkflows: [...s.allowedWorkflows] })),
      open: sites === undefined,
      scope: scope.kind,
    };
    return c.json(body);
  });
  return route;
}
