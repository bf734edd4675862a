import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/store/storage.ts';
import { caseResult, evalRun } from '../helpers/eval-run-fixtures.ts';
import { STORAGE_ENGINES, useFreshStorage } from '../helpers/storage-engines.ts';

// Stored eval runs (src/store/eval-runs.ts), the same on every engine.

const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe.each(STORAGE_ENGINES)('$name eval runs', (engine) => {
  const fresh = useFreshStorage(engine);
  let storage: Storage;
  beforeEach(() => {
    storage = fresh();
  });

  it('stores a run with its case results and reads both back as saved; an unknown id is undefined', async () => {
    const run = evalRun('r1', { model: 'gpt-4.1-mini', workflows: ['billing', 'support'], caseCount: 2 });
    const cases = [
      caseResult('a', 'refund', { description: 'asks for a refund' }),
      caseResult('a', 'hours', { workflow: 'billing', pass: false, grades: [{ name: 'contains open', pass: false, detail: 'not found in <b>the</b> reply' }], error: 'boom' }),
      caseResult('b', 'refund', { workflow: null, latenciesMs: [1, 2.5], text: 'x'.repeat(50), textTruncated: true, costUsd: 0.123456 }),
    ];
    await storage.evalRuns.save(run, cases);
    expect(await storage.evalRuns.get('r1')).toEqual(run);
    expect(await storage.evalRuns.cases('r1')).toEqual(cases);
    expect(await storage.evalRuns.get('nope')).toBeUndefined();
    expect(await storage.evalRuns.cases('nope')).toEqual([]);
  });

  it('pages runs newest first, ties by id, strictly after the cursor', async () => {
    const minutes: Record<string, number> = { r1: 1, r2: 3, r3: 3, r4: 5, r5: 2 };
    for (const [id, minute] of Object.entries(minutes)) await storage.evalRuns.save(evalRun(id, { startedAt: at(minute) }), []);
    const seen: string[] = [];
    let page = await storage.evalRuns.list({ limit: 2 });
    while (page.length > 0) {
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((r) => r.id));
      const last = page.at(-1)!;
      page = await storage.evalRuns.list({ limit: 2, after: { startedAt: last.startedAt, id: last.id } });
    }
    expect(seen).toEqual(['r4', 'r3', 'r2', 'r5', 'r1']);
  });

  it('lists for a set of workflows only the runs all of whose workflows are in it', async () => {
    await storage.evalRuns.save(evalRun('mine', { startedAt: at(1), workflows: ['support'] }), []);
    await storage.evalRuns.save(evalRun('both', { startedAt: at(2), workflows: ['billing', 'support'] }), []);
    await storage.evalRuns.save(evalRun('theirs', { startedAt: at(3), workflows: ['billing'] }), []);
    await storage.evalRuns.save(evalRun('none', { startedAt: at(4), workflows: [] }), []);
    const ids = async (workflows?: string[]) => (await storage.evalRuns.list({ limit: 10, workflows })).map((r) => r.id);
    expect(await ids(['support'])).toEqual(['mine']);
    expect(await ids(['support', 'billing'])).toEqual(['theirs', 'both', 'mine']);
    expect(await ids([])).toEqual([]);
    expect(await ids()).toEqual(['none', 'theirs', 'both', 'mine']);
  });

  it('keeps only the newest runs, deleting the older ones with their case results', async () => {
    for (let i = 1; i <= 4; i++) await storage.evalRuns.save(evalRun(`r${i}`, { startedAt: at(i) }), [caseResult('a', `c${i}`)], 2);
    expect((await storage.evalRuns.list({ limit: 10 })).map((r) => r.id)).toEqual(['r4', 'r3']);
    expect(await storage.evalRuns.get('r1')).toBeUndefined();
    expect(await storage.evalRuns.cases('r2')).toEqual([]);
    expect(await storage.evalRuns.cases('r4')).toHaveLength(1);
  });

  it('saves a run all or nothing: a duplicate id rejects and leaves no case of it', async () => {
    await storage.evalRuns.save(evalRun('r1'), [caseResult('a', 'one')]);
    await expect(storage.evalRuns.save(evalRun('r1', { startedAt: at(9) }), [caseResult('a', 'two'), caseResult('b', 'two')])).rejects.toThrow();
    expect((await storage.evalRuns.cases('r1')).map((c) => c.caseId)).toEqual(['one']);
    expect((await storage.evalRuns.get('r1'))?.startedAt).toBe(evalRun('r1').startedAt);
  });
});
