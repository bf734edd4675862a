import { z } from 'zod';
import { IsoDate } from '../protocol/items.ts';

/** `POST /v1/admin/preview`'s body: the workflow to try, and (operator only) the site to run it as. */
export const AdminPreviewRequest = z.strictObject({
  workflow: z.string().min(1).max(128),
  site: z.string().min(1).max(64).optional(),
});
export type AdminPreviewRequest = z.infer<typeof AdminPreviewRequest>;

/**
 * A preview ticket: given to `<agent-chat public-key="…">`, the widget may open threads on
 * `workflow` only, as `site` ("" for none), until `expiresAt`; its threads belong to a preview owner.
 */
export const AdminPreviewTicket = z.object({
  ticket: z.string(),
  workflow: z.string(),
  site: z.string(),
  expiresAt: IsoDate,
});
export type AdminPreviewTicket = z.infer<typeof AdminPreviewTicket>;

/** `GET /v1/admin/sites`: the sites a key may see (the operator: every site; a site's key: its own). */
export const AdminSiteList = z.object({
  sites: z.array(z.object({ id: z.string(), allowedWorkflows: z.array(z.string()) })),
  /** Whether the server runs open (no sites file): its threads have no site. */
  open: z.boolean(),
  /** Who asks: the operator (may pick any site) or one site's key (pinned to it). */
  scope: z.enum(['operator', 'site']),
});
export type AdminSiteList = z.infer<typeof AdminSiteList>;
