import type { AdminEvalRun, AdminEvalRunPage, EvalCaseResult, EvalRunSummary } from '@agent-chat/shared';
import { Hono } from 'hono';
import { basename } from 'node:path';
import type { EvalRunCursor } from '../store/eval-runs.ts';
import type { Storage } from '../store/storage.ts';
import type { AdminEnv, AdminScope } from './admin-scope.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export interface EvalRoutesOptions {
  storage: Storage;
}

function encodeCursor(cursor: EvalRunCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): EvalRunCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<EvalRunCursor>;
    return typeof value.startedAt === 'string' && typeof value.id === 'string' ? { startedAt: value.startedAt, id: value.id } : undefined;
  } catch {
    return undefined;
  }
}

/** The workflows whose runs a scope may see: every one for the operator (undefined), a site's allowed ones for its key. */
function workflowsOf(scope: AdminScope): string[] | undefined {
  return scope.kind === 'operator' ? undefined : [...scope.site.allowedWorkflows];
}

/** Whether a site may see the run: every workflow it ran is one the site may use (and it ran one). */
function runInScope(scope: AdminScope, run: EvalRunSummary): boolean {
  if (scope.kind === 'operator') return true;
  return run.workflows.length > 0 && run.workflows.every((w) => scope.site.allowedWorkflows.has(w));
}

/** What a site's key is shown of a run: the operator's file paths are theirs alone. */
function runFor(scope: AdminScope, run: EvalRunSummary): EvalRunSummary {
  if (scope.kind === 'operator') return run;
  return { ...run, casesFile: basename(run.casesFile), variants: run.variants.map((v) => ({ name: v.name })) };
}

/**
 * What a site's key is shown of a case: a case whose workflow could not be resolved carries an
 * error listing every configured workflow, other sites' too.
 */
function caseFor(scope: AdminScope, result: EvalCaseResult): EvalCaseResult {
  if (scope.kind === 'operator' || result.workflow !== null || result.error === undefined) return result;
  return { ...result, error: 'The case names no workflow this server has.' };
}

/**
 * `GET /evals`: stored `agent-chat eval` runs, newest first, `limit` (1–100, default 20) a page,
 * `cursor` the previous page's `nextCursor`. `GET /evals/:id`: one run, its totals per variant
 * (the A/B table) and every case result. The operator sees every run; a site's key the runs
 * whose workflows are all ones the site may use (any other is not found).
 */
export function evalRoutes({ storage }: EvalRoutesOptions): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  const bad = (message: string) => ({ error: { code: 'invalid_request', message } }) as const;
  const notFound = { error: { code: 'not_found', message: 'Nothing here.' } } as const;

  route.get('/evals', async (c) => {
    const scope = c.get('scope');
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return c.json(bad(`limit must be a whole number from 1 to ${MAX_LIMIT}.`), 400);
    const cursorText = c.req.query('cursor');
    const after = cursorText === undefined ? undefined : decodeCursor(cursorText);
    if (cursorText !== undefined && !after) return c.json(bad('cursor is not one this API gave.'), 400);
    // One more than asked: whether a next page exists without a second query.
    const rows = await storage.evalRuns.list({ limit: limit + 1, after, workflows: workflowsOf(scope) });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const body: AdminEvalRunPage = {
      runs: page.map((run) => runFor(scope, run)),
      nextCursor: rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null,
    };
    return c.json(body);
  });

  route.get('/evals/:id', async (c) => {
    const scope = c.get('scope');
    const run = await storage.evalRuns.get(c.req.param('id'));
    if (!run || !runInScope(scope, run)) return c.json(notFound, 404);
    const cases = await storage.evalRuns.cases(run.id);
    const body: AdminEvalRun = { run: runFor(scope, run), cases: cases.map((r) => caseFor(scope, r)) };
    return c.json(body);
  });

  return route;
}
