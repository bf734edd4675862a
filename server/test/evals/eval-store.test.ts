import { AdminEvalRun, AdminEvalRunPage } from '@agent-chat/shared';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalCommand } from '../../src/cli/eval-command.ts';
import { MAX_STORED_TEXT } from '../../src/evals/eval-record.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { DEMO } from './demo-eval.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const demoCase = (id: string) => readFileSync(DEMO.cases, 'utf8').split('\n').find((line) => line.includes(`"id":"${id}"`))!;

/** `agent-chat eval` stores its run in the server's database, where the admin API serves it. */
describe('agent-chat eval stores its run', () => {
  const scope = useTestScope();
  const boot = () => scope.boot({ dataDir: tempDataDir(), env: { ADMIN_TOKEN } });
  const admin = async (s: TestServer, path: string) => {
    const res = await fetch(`${s.url}/v1/admin${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('a run with two variants shows up through the admin API with its totals and graded cases', async () => {
    const s = await boot();
    const dir = tempDataDir();
    const cases = join(dir, 'cases.jsonl');
    const failing = { id: 'weather-oslo', workflow: 'weather', turns: [{ user: 'Weather in Oslo?' }], graders: [{ type: 'contains', value: '<b>snow</b>' }] };
    writeFileSync(cases, `${demoCase('weather-paris')}\n${JSON.stringify(failing)}\n`);
    const io = capturedIo({ WORKFLOWS_DIR: DEMO.workflows, CONNECTORS_FILE: DEMO.connectors, DATA_DIR: s.dataDir });
    const weather = join(DEMO.workflows, 'weather.json');
    expect(await evalCommand([cases, '--tools', DEMO.tools, '--variant', `one=${weather}`, '--variant', `two=${weather}`, '--model', 'gpt-4.1-mini'], io)).toBe(1);
    const stored = /^eval: stored as (evr_[\w-]+) /m.exec(io.err());
    expect(stored, io.err()).not.toBeNull();

    const page = AdminEvalRunPage.parse(await admin(s, '/evals'));
    expect(page.runs.map((r) => r.id)).toEqual([stored![1]]);
    const { run, cases: results } = AdminEvalRun.parse(await admin(s, `/evals/${stored![1]}`));
    expect(run).toMatchObject({ casesFile: cases, model: 'gpt-4.1-mini', workflows: ['weather'], caseCount: 2, variants: [{ name: 'one', file: weather }, { name: 'two', file: weather }] });
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(run.totals.map((t) => [t.variant, t.cases, t.passed, t.failed])).toEqual([
      ['one', 2, 1, 1],
      ['two', 2, 1, 1],
    ]);
    for (const t of run.totals) {
      expect(t.inputTokens).toBeGreaterThan(0);
      expect(t.p95LatencyMs).toBeGreaterThanOrEqual(t.p50LatencyMs);
    }
    expect(results.map((r) => [r.variant, r.caseId, r.pass])).toEqual([
      ['one', 'weather-paris', true],
      ['one', 'weather-oslo', false],
      ['two', 'weather-paris', true],
      ['two', 'weather-oslo', false],
    ]);
    expect(results[1]!.grades).toEqual([{ name: 'contains "<b>snow</b>"', pass: false, detail: expect.stringContaining('does not contain') }]);
    expect(results[1]!.text).toContain('Oslo');
    expect(results[1]!.textTruncated).toBe(false);
    expect(results[1]!.text.length).toBeLessThanOrEqual(MAX_STORED_TEXT);
  });

  it('--no-store leaves the database alone; without a database there is nothing to store into and it says so', async () => {
    const s = await boot();
    const dir = tempDataDir();
    const cases = join(dir, 'cases.jsonl');
    writeFileSync(cases, `${demoCase('weather-paris')}\n`);
    const env = { WORKFLOWS_DIR: DEMO.workflows, CONNECTORS_FILE: DEMO.connectors };
    const quiet = capturedIo({ ...env, DATA_DIR: s.dataDir });
    expect(await evalCommand([cases, '--no-store', '--tools', DEMO.tools], quiet)).toBe(0);
    expect(quiet.err()).toBe('');
    expect(AdminEvalRunPage.parse(await admin(s, '/evals')).runs).toEqual([]);

    const none = capturedIo({ ...env, DATA_DIR: join(dir, 'no-data') });
    expect(await evalCommand([cases, '--tools', DEMO.tools], none)).toBe(0);
    expect(none.err()).toMatch(/^eval: not stored: no database at .*agent-chat\.db/);
  });
});
