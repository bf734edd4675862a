import type { AdminWorkflow, Workflow } from '@agent-chat/shared';
import { type Context, Hono } from 'hono';
import type { ConnectorRegistry } from '../connectors/connector-registry.ts';
import type { ConversationService } from '../conversation/conversation-service.ts';
import { ownerKey } from '../identity/owner-key.ts';
import type { Logger } from '../logger.ts';
import { ToolRegistry } from '../agents/tool.ts';
import type { SiteRegistry } from '../sites/site-registry.ts';
import type { Storage } from '../store/storage.ts';
import { DEFAULT_PRICES, type PriceTable } from '../usage/prices.ts';
import type { PreviewGrant } from '../identity/preview-ticket.ts';
import { adminAuth, type AdminEnv } from './admin-scope.ts';
import { evalRoutes } from './eval-routes.ts';
import { previewRoutes } from './preview-routes.ts';
import { siteRoutes } from './site-routes.ts';
import { threadRoutes } from './thread-routes.ts';
import { traceRoutes } from './trace-routes.ts';
import { usageRoutes } from './usage-routes.ts';
import { type GraphRegistries, workflowGraph } from './workflow-graph.ts';
import { workflowRoutes } from './workflow-routes.ts';
import { exportUserData } from './user-data.ts';

/** What the admin routes read and delete through. */
export interface AdminRoutesOptions {
  sites: SiteRegistry | undefined;
  service: ConversationService;
  storage: Storage;
  log: Logger;
  /** `ADMIN_TOKEN`: the operator's token (every site); undefined, only sites' admin keys. */
  adminToken?: string | undefined;
  /** Prices for the usage report (`PRICES_FILE` over the built-in table). */
  prices?: PriceTable;
  /** Today's token budget of a site and what it spent, as the quotas count it. */
  budgetOf?: (siteId: string | null) => Promise<{ dailyTokens: number; usedToday: number }>;
  /** The workflows, for the console's graphs, and what their names resolve in. */
  workflows?: ReadonlyMap<string, Workflow>;
  registries?: GraphRegistries;
  /** The MCP connectors, for their status. */
  connectors?: ConnectorRegistry;
  /** Signs a console preview ticket (IdentityService.previewTicket); without it there is no `POST /preview`. */
  previewTicket?: (grant: PreviewGrant) => { ticket: string; expiresAt: string } | undefined;
}

const MAX_SUB_CHARS = 256;

/**
 * The admin API under `/v1/admin`, for the operator (`ADMIN_TOKEN`) and each site's backend
 * (its admin key: that site's data only). Data rights (GDPR/CCPA access and erasure):
 * `GET /users/:sub/export` and `DELETE /users/:sub` (the operator names the site with
 * `?site=`); usage and cost: `GET /usage` (usage-routes.ts); run traces: `GET /runs/:runId/trace`
 * and `GET /threads/:threadId/traces` (trace-routes.ts); the console's conversations
 * (`GET /threads`, `GET /threads/:id`: thread-routes.ts), workflows and connectors
 * (`GET /workflows`, `GET /connectors`: workflow-routes.ts); stored eval runs (`GET /evals`,
 * `GET /evals/:id`: eval-routes.ts); the sites a key sees (`GET /sites`) and the live preview's
 * ticket (`POST /preview`: preview-routes.ts). Answers 401 without a valid key.
 */
export function adminRoutes({ sites, service, storage, log, adminToken, prices = DEFAULT_PRICES, budgetOf, workflows, registries, connectors, previewTicket }: AdminRoutesOptions): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>();
  admin.use('*', adminAuth(sites, adminToken));

  /** The site a data-rights request is about, or an error response. */
  const userSite = (c: Context<AdminEnv>): string | Response => {
    const sub = c.req.param('sub') ?? '';
    if (sub.length > MAX_SUB_CHARS) return c.json({ error: { code: 'invalid_request', message: 'sub is too long.' } }, 400);
    const scope = c.get('scope');
    if (scope.kind === 'site') return scope.site.id;
    const site = c.req.query('site');
    if (!site) return c.json({ error: { code: 'invalid_request', message: 'Name the site with ?site= (users belong to a site).' } }, 400);
    if (!sites?.get(site)) return c.json({ error: { code: 'not_found', message: 'No such site.' } }, 404);
    return site;
  };

  admin.get('/users/:sub/export', async (c) => {
    const site = userSite(c);
    if (typeof site !== 'string') return site;
    return c.json(await exportUserData(storage, site, c.req.param('sub')));
  });

  admin.delete('/users/:sub', async (c) => {
    const site = userSite(c);
    if (typeof site !== 'string') return site;
    // Through the service: runs in flight stop, subscribers and the event log forget the threads.
    const owner = ownerKey(site, 'user', c.req.param('sub'));
    const { count } = await service.deleteAllThreads(owner);
    // Files sent in those threads went with them; these are the ones never sent.
    const files = await storage.uploads.deleteOfOwner(owner);
    log.info(`admin: site ${site} deleted user data (${count} thread(s), ${files} unsent file(s))`);
    return c.json({ deleted: { threads: count } });
  });

  admin.route('/', usageRoutes({ storage, sites, prices, budgetOf }));
  admin.route('/', traceRoutes({ storage, log }));
  // Workflows live as long as the server: each is drawn once.
  const graphs = new Map<string, AdminWorkflow>(
    [...(workflows?.values() ?? [])].map((w) => [w.id, workflowGraph(w, registries ?? { tools: new ToolRegistry() })]),
  );
  admin.route('/', threadRoutes({ storage, workflowGraph: (id) => graphs.get(id) }));
  admin.route('/', workflowRoutes({ graphs, connectors, log }));
  admin.route('/', evalRoutes({ storage }));
  admin.route('/', siteRoutes(sites));
  if (previewTicket) admin.route('/', previewRoutes({ sites, workflowIds: new Set(workflows?.keys() ?? []), sign: previewTicket, log }));
  return admin;
}
