import { RunTrace } from '@agent-chat/shared';
import { Hono } from 'hono';
import { siteOfOwner } from '../identity/owner-key.ts';
import type { Logger } from '../logger.ts';
import type { Storage, StoredRunTrace } from '../store/storage.ts';
import { type AdminEnv, threadInScope } from './admin-scope.ts';

export interface TraceRoutesOptions {
  storage: Storage;
  log: Logger;
}

const MAX_ID_CHARS = 128;

/**
 * Finished runs' traces, read-only: `GET /runs/:runId/trace` (one run) and
 * `GET /threads/:threadId/traces` (every run of a thread, oldest first), each span as
 * `RunTrace` in shared/ describes it. A site's key sees its own threads' traces only: another
 * site's is not found, exactly like one that does not exist.
 */
export function traceRoutes({ storage, log }: TraceRoutesOptions): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  const notFound = { error: { code: 'not_found', message: 'No such trace.' } } as const;

  /** Whether the caller may see the thread's traces (it exists and is in its scope). */
  const visible = async (scope: AdminEnv['Variables']['scope'], threadId: string): Promise<boolean> => {
    const thread = await storage.threads.get(threadId);
    return thread !== undefined && threadInScope(scope, siteOfOwner(thread.owner));
  };

  /** The stored trace as the API shows it; a row that no longer reads as a trace is logged and left out. */
  const parse = (row: StoredRunTrace): (RunTrace & { exportedAt: string | null }) | undefined => {
    try {
      return { ...RunTrace.parse(JSON.parse(row.json)), exportedAt: row.exportedAt };
    } catch (error) {
      log.error('a stored run trace could not be read', error, { runId: row.runId });
      return undefined;
    }
  };

  route.get('/runs/:runId/trace', async (c) => {
    const runId = c.req.param('runId');
    if (runId.length > MAX_ID_CHARS) return c.json(notFound, 404);
    const row = await storage.traces.get(runId);
    if (!row || !(await visible(c.get('scope'), row.threadId))) return c.json(notFound, 404);
    const trace = parse(row);
    return trace ? c.json(trace) : c.json(notFound, 404);
  });

  route.get('/threads/:threadId/traces', async (c) => {
    const threadId = c.req.param('threadId');
    if (threadId.length > MAX_ID_CHARS || !(await visible(c.get('scope'), threadId))) return c.json(notFound, 404);
    const traces = (await storage.traces.ofThread(threadId)).map(parse).filter((t) => t !== undefined);
    return c.json({ threadId, traces });
  });

  return route;
}
