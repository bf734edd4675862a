import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { ConversationService } from '../conversation/conversation-service.ts';
import { ownerKey } from '../identity/owner-key.ts';
import type { Logger } from '../logger.ts';
import type { Site, SiteRegistry } from '../sites/site-registry.ts';
import type { Storage } from '../store/storage.ts';
import { exportUserData } from './user-data.ts';

/** What the admin routes read and delete through. */
export interface AdminRoutesOptions {
  sites: SiteRegistry | undefined;
  service: ConversationService;
  storage: Storage;
  log: Logger;
}

const MAX_SUB_CHARS = 256;

/**
 * Data rights for a site's backend (GDPR/CCPA access and erasure), under `/v1/admin`:
 * `GET /users/:sub/export` and `DELETE /users/:sub`. `Authorization: Bearer <admin key>`
 * identifies the site, so a site only ever reaches its own users. Answers 401 on an open server
 * (no sites) and for any key that is not a site's admin key.
 */
export function adminRoutes({ sites, service, storage, log }: AdminRoutesOptions): Hono<{ Variables: { site: Site } }> {
  const admin = new Hono<{ Variables: { site: Site } }>();

  admin.use('*', async (c, next) => {
    const site = sites && siteForKey(sites, bearer(c.req.header('Authorization')));
    if (!site) return c.json({ error: { code: 'unauthorized', message: 'A site admin key is required (Authorization: Bearer …).' } }, 401);
    c.set('site', site);
    c.header('Cache-Control', 'no-store');
    await next();
  });

  admin.get('/users/:sub/export', async (c) => {
    const sub = c.req.param('sub');
    if (sub.length > MAX_SUB_CHARS) return c.json({ error: { code: 'invalid_request', message: 'sub is too long.' } }, 400);
    return c.json(await exportUserData(storage, c.get('site').id, sub));
  });

  admin.delete('/users/:sub', async (c) => {
    const sub = c.req.param('sub');
    if (sub.length > MAX_SUB_CHARS) return c.json({ error: { code: 'invalid_request', message: 'sub is too long.' } }, 400);
    const site = c.get('site');
    // Through the service: runs in flight stop, subscribers and the event log forget the threads.
    const owner = ownerKey(site.id, 'user', sub);
    const { count } = await service.deleteAllThreads(owner);
    // Files sent in those threads went with them; these are the ones never sent.
    const files = await storage.uploads.deleteOfOwner(owner);
    log.info(`admin: site ${site.id} deleted user data (${count} thread(s), ${files} unsent file(s))`);
    return c.json({ deleted: { threads: count } });
  });

  return admin;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The site whose admin key this is. Compares digests in constant time, checking every site. */
function siteForKey(sites: SiteRegistry, key: string | undefined): Site | undefined {
  if (!key) return undefined;
  const given = createHash('sha256').update(key).digest();
  let found: Site | undefined;
  for (const site of sites.all) {
    if (!site.adminKey) continue;
    const expected = createHash('sha256').update(site.adminKey).digest();
    if (timingSafeEqual(given, expected)) found = site;
  }
  return found;
}
