import { AdminPreviewRequest, type AdminPreviewTicket } from '@agent-chat/shared';
import { Hono } from 'hono';
import type { PreviewGrant } from '../identity/preview-ticket.ts';
import type { Logger } from '../logger.ts';
import type { SiteRegistry } from '../sites/site-registry.ts';
import type { AdminEnv } from './admin-scope.ts';

export interface PreviewRoutesOptions {
  sites: SiteRegistry | undefined;
  /** The workflows the server runs. */
  workflowIds: ReadonlySet<string>;
  /** Signs a grant (IdentityService.previewTicket); undefined when it would be too long. */
  sign: (grant: PreviewGrant) => { ticket: string; expiresAt: string } | undefined;
  log: Logger;
}

/**
 * `POST /preview` `{ workflow, site? }`: a short-lived ticket for the console's live preview
 * chat. A site's key gets one for a workflow its site allows, run as its site; the operator for
 * any workflow, as the site named (which must allow it) or as none. Anything else is not found,
 * as another site's data is.
 */
export function previewRoutes({ sites, workflowIds, sign, log }: PreviewRoutesOptions): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  const notFound = { error: { code: 'not_found', message: 'No such workflow for this key.' } } as const;

  route.post('/preview', async (c) => {
    const body = AdminPreviewRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: { code: 'invalid_request', message: 'Send { "workflow": "<id>" } (and "site" as the operator).' } }, 400);
    const { workflow } = body.data;
    const scope = c.get('scope');
    const siteId = scope.kind === 'site' ? scope.site.id : (body.data.site ?? null);
    if (scope.kind === 'site' && body.data.site !== undefined && body.data.site !== siteId) return c.json(notFound, 404);
    const site = siteId === null ? undefined : sites?.get(siteId);
    if (!workflowIds.has(workflow) || (siteId !== null && !site?.allowedWorkflows.has(workflow))) return c.json(notFound, 404);
    const by = scope.kind === 'operator' ? 'operator' : 'admin';
    const signed = sign({ workflow, site: siteId, by });
    if (!signed) return c.json({ error: { code: 'invalid_request', message: 'This workflow id is too long to preview.' } }, 400);
    log.info(`admin: preview ticket for workflow ${workflow} as ${siteId ?? '(no site)'} by the ${by === 'operator' ? 'operator' : `site's admin`}`);
    const answer: AdminPreviewTicket = { ticket: signed.ticket, workflow, site: siteId ?? '', expiresAt: signed.expiresAt };
    return c.json(answer);
  });

  return route;
}
