import { AdminEvalRun, AdminEvalRunPage, Workflow } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { caseResult, evalRun } from '../helpers/eval-run-fixtures.ts';
import { BLOG, SHOP, SITE_SECRETS, twoSites, writeSitesFile } from '../helpers/sites.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';
import { createScriptedAgent } from '../helpers/scripted-agent.ts';
import { useTestScope } from '../helpers/test-scope.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const workflow = (id: string) => Workflow.parse({ id, name: id, entryAgent: 'a', agents: [{ id: 'a', name: 'A', instructions: 'Help.' }] });
const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

/**
 * Stored eval runs through the admin API: the operator sees every run, a site's key the runs of
 * workflows it may use (shop: support only; blog: support and weather), anything else is not found.
 */
describe('eval runs admin API', () => {
  const scope = useTestScope();

  async function boot(): Promise<TestServer> {
    const dir = tempDataDir();
    return scope.boot({
      dataDir: dir,
      env: { SITES_FILE: writeSitesFile(dir, twoSites()), ADMIN_TOKEN, ...SITE_SECRETS },
      workflows: new Map([
        ['support', workflow('support')],
        ['weather', workflow('weather')],
      ]),
      runAgent: createScriptedAgent(),
    });
  }
  const get = async (s: TestServer, path: string, key: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${s.url}/v1/admin${path}`, { headers: { Authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json() };
  };
  const ids = async (s: TestServer, key: string) => {
    const res = await get(s, '/evals', key);
    expect(res.status).toBe(200);
    return AdminEvalRunPage.parse(res.body).runs.map((r) => r.id);
  };

  it('pages runs newest first with a cursor, and refuses a bad limit or cursor', async () => {
    const s = await boot();
    for (let i = 1; i <= 5; i++) await s.server.storage.evalRuns.save(evalRun(`r${i}`, { startedAt: at(i) }), []);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(s, `/evals?limit=2${cursor ? `&cursor=${cursor}` : ''}`, ADMIN_TOKEN);
      expect(res.status).toBe(200);
      const page = AdminEvalRunPage.parse(res.body);
      expect(page.runs.length).toBeLessThanOrEqual(2);
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    for (const query of ['limit=0', 'limit=101', 'limit=two', 'cursor=not-a-cursor']) {
      const res = await get(s, `/evals?${query}`, ADMIN_TOKEN);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect((await fetch(`${s.url}/v1/admin/evals`)).status).toBe(401);
  });

  it('shows a run with its totals per variant and every case; an unknown id is not found', async () => {
    const s = await boot();
    const run = evalRun('r1', { workflows: ['support'], caseCount: 1 });
    const cases = [caseResult('a', 'refund'), caseResult('b', 'refund', { pass: false, grades: [{ name: 'contains refund', pass: false, detail: 'the answer does not contain "refund"' }] })];
    await s.server.storage.evalRuns.save(run, cases);
    const res = await get(s, '/evals/r1', ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(AdminEvalRun.parse(res.body)).toEqual({ run, cases });
    expect(await get(s, '/evals/nope', ADMIN_TOKEN)).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Nothing here.' } } });
  });

  it('a site’s key sees only runs of workflows it may use, without the operator’s paths or other workflows’ names', async () => {
    const s = await boot();
    const storage = s.server.storage;
    await storage.evalRuns.save(evalRun('support-run', { startedAt: at(1), casesFile: '/home/op/evals/cases.jsonl', workflows: ['support'] }), [
      caseResult('a', 'lost', { workflow: null, pass: false, grades: [], error: 'no workflow "lost" (known: support, weather, internal-hr)' }),
    ]);
    await storage.evalRuns.save(evalRun('weather-run', { startedAt: at(2), workflows: ['weather'] }), []);
    await storage.evalRuns.save(evalRun('mixed-run', { startedAt: at(3), workflows: ['support', 'weather'] }), []);
    await storage.evalRuns.save(evalRun('unresolved-run', { startedAt: at(4), workflows: [] }), []);

    expect(await ids(s, ADMIN_TOKEN)).toEqual(['unresolved-run', 'mixed-run', 'weather-run', 'support-run']);
    expect(await ids(s, SHOP.adminKey)).toEqual(['support-run']);
    expect(await ids(s, BLOG.adminKey)).toEqual(['mixed-run', 'weather-run', 'support-run']);
    for (const id of ['weather-run', 'mixed-run', 'unresolved-run']) expect((await get(s, `/evals/${id}`, SHOP.adminKey)).status, id).toBe(404);

    const shown = AdminEvalRun.parse((await get(s, '/evals/support-run', SHOP.adminKey)).body);
    expect(shown.run.casesFile).toBe('cases.jsonl');
    expect(shown.run.variants).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(shown.cases[0]!.error).toBe('The case names no workflow this server has.');
    const operator = AdminEvalRun.parse((await get(s, '/evals/support-run', ADMIN_TOKEN)).body);
    expect(operator.run.casesFile).toBe('/home/op/evals/cases.jsonl');
    expect(operator.cases[0]!.error).toContain('internal-hr');
  });
});
