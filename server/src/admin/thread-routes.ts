import type { AdminRun, AdminThreadDetail, AdminThreadPage, AdminThreadSummary, AdminWorkflow } from '@agent-chat/shared';
import { Hono } from 'hono';
import type { RunRecord, Storage, ThreadSearchRow } from '../store/storage.ts';
import { type AdminEnv, siteInScope, threadInScope } from './admin-scope.ts';
import { threadApprovals } from './thread-approvals.ts';
import { describeOwner } from './thread-owner.ts';
import { encodeCursor, parseThreadQuery } from './thread-query.ts';

export interface ThreadRoutesOptions {
  storage: Storage;
  /** A workflow as a graph (its tools' approval policy tells which calls waited for approval). */
  workflowGraph: (id: string) => AdminWorkflow | undefined;
}

function summary(row: ThreadSearchRow): AdminThreadSummary {
  const { site, owner } = describeOwner(row.owner);
  return {
    id: row.id,
    title: row.title,
    workflow: row.workflow,
    site,
    owner,
    currentAgent: row.currentAgent,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastRunStatus: row.lastRunStatus,
    thumbsDown: row.thumbsDown,
    guardrailTrips: row.guardrailTrips,
    approvalRuns: row.approvalRuns,
    awaitingApproval: row.awaitingApproval,
  };
}

const adminRun = (r: RunRecord): AdminRun => ({
  id: r.id,
  status: r.status,
  agent: r.agent,
  trigger: r.trigger,
  error: r.error,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  resumes: r.resumes,
});

/**
 * The console's conversations: `GET /threads` (every thread in scope, filtered and paged; see
 * thread-query.ts) and `GET /threads/:id` (one thread with everything stored about it: items
 * with tool arguments and outputs, runs, feedback, approval decisions). A site's key sees its
 * own site only: another site's thread is not found.
 */
export function threadRoutes({ storage, workflowGraph }: ThreadRoutesOptions): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  const notFound = { error: { code: 'not_found', message: 'Nothing here.' } } as const;

  route.get('/threads', async (c) => {
    const site = siteInScope(c.get('scope'), c.req.query('site'));
    if (site === undefined) return c.json(notFound, 404);
    const parsed = parseThreadQuery((name) => c.req.query(name));
    if ('error' in parsed) return c.json({ error: { code: 'invalid_request', message: parsed.error } }, 400);
    const { limit } = parsed.search;
    // One more than asked: whether a next page exists without a second query.
    const rows = await storage.review.searchThreads({ ...parsed.search, ...(site !== null ? { site } : {}), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const body: AdminThreadPage = {
      threads: page.map(summary),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ updatedAt: last.updatedAt, id: last.id, ...(parsed.search.thumbsDown ? { thumbsDown: last.thumbsDown } : {}) })
          : null,
    };
    return c.json(body);
  });

  route.get('/threads/:id', async (c) => {
    const scope = c.get('scope');
    const id = c.req.param('id');
    const thread = await storage.threads.get(id);
    if (!thread) return c.json(notFound, 404);
    const { site, owner } = describeOwner(thread.owner);
    if (!threadInScope(scope, site === '' ? null : site)) return c.json(notFound, 404);
    const [[row], items, runs, feedback, decisions] = await Promise.all([
      storage.review.searchThreads({ threadId: id, limit: 1 }),
      storage.items.all(id),
      storage.review.runsOf(id),
      storage.feedback.forThread(id),
      storage.review.decisions(id),
    ]);
    const adminRuns = runs.map(adminRun);
    const body: AdminThreadDetail = {
      // Found a moment ago; deleted since, its counts are empty.
      thread: summary(row ?? { ...thread, lastRunStatus: null, thumbsDown: 0, guardrailTrips: 0, approvalRuns: 0, awaitingApproval: 0 }),
      items,
      runs: adminRuns,
      feedback,
      approvals: threadApprovals(items, adminRuns, decisions, owner, workflowGraph(thread.workflow)),
    };
    return c.json(body);
  });

  return route;
}
