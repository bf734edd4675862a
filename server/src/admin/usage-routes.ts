import type { UsageBudget } from '@agent-chat/shared';
import { Hono } from 'hono';
import { siteOfOwner } from '../identity/owner-key.ts';
import type { SiteRegistry } from '../sites/site-registry.ts';
import type { Storage } from '../store/storage.ts';
import type { PriceTable } from '../usage/prices.ts';
import { parseUsageQuery } from '../usage/usage-query.ts';
import { threadUsage, usageReport } from '../usage/usage-report.ts';
import { type AdminEnv, siteInScope, threadInScope } from './admin-scope.ts';

export interface UsageRoutesOptions {
  storage: Storage;
  sites: SiteRegistry | undefined;
  prices: PriceTable;
  budgetOf?: ((siteId: string | null) => Promise<{ dailyTokens: number; usedToday: number }>) | undefined;
}

/**
 * `GET /usage`: tokens and cost from the usage ledger. `from`/`to` (UTC days, inclusive; the
 * last 7 days by default), `groupBy` (comma-separated: day, site, workflow, agent, model,
 * provider; `day` by default), `site`, `workflow`, `model`; with `thread=<id>`, that thread's runs
 * instead. A site's key sees its own site only (another site's data is not found).
 */
export function usageRoutes({ storage, sites, prices, budgetOf }: UsageRoutesOptions): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  const bad = (message: string) => ({ error: { code: 'invalid_request', message } }) as const;
  const notFound = { error: { code: 'not_found', message: 'Nothing here.' } } as const;

  route.get('/usage', async (c) => {
    const scope = c.get('scope');
    const threadId = c.req.query('thread');
    if (threadId !== undefined) {
      const thread = await storage.threads.get(threadId);
      if (!thread || !threadInScope(scope, siteOfOwner(thread.owner))) return c.json(notFound, 404);
      return c.json(await threadUsage(storage, threadId, prices));
    }

    const parsed = parseUsageQuery({ from: c.req.query('from'), to: c.req.query('to'), groupBy: c.req.query('groupBy') }, new Date().toISOString().slice(0, 10));
    if ('error' in parsed) return c.json(bad(parsed.error), 400);
    const site = siteInScope(scope, c.req.query('site'));
    if (site === undefined) return c.json(notFound, 404);
    const workflow = c.req.query('workflow') || undefined;
    const model = c.req.query('model') || undefined;
    if ((workflow?.length ?? 0) > 128 || (model?.length ?? 0) > 200) return c.json(bad('workflow or model is too long.'), 400);
    const report = await usageReport(
      storage,
      { ...parsed.query, ...(site !== null ? { site } : {}), ...(workflow !== undefined ? { workflow } : {}), ...(model !== undefined ? { model } : {}) },
      prices,
    );
    const budgetSites = site !== null ? [site] : (sites?.all.map((s) => s.id) ?? ['']);
    const budgets: UsageBudget[] = budgetOf
      ? await Promise.all(budgetSites.map(async (id) => ({ site: id, ...(await budgetOf(id === '' ? null : id)) })))
      : [];
    return c.json({ ...report, budgets });
  });

  return route;
}
