import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differences, summarize } from '../../src/evals/eval-summary.ts';
import type { EvalEnvironment } from '../../src/evals/eval-environment.ts';
import { loadCases } from '../../src/evals/load-cases.ts';
import { DEFAULT_PRICES } from '../../src/usage/prices.ts';
import { formatTable } from '../../src/evals/report-table.ts';
import { runEval } from '../../src/evals/run-eval.ts';
import { DEMO, demoEnvironment } from './demo-eval.ts';

// demo/evals/support.jsonl on the offline model, as `agent-chat eval` runs it: every case passes
// on the demo's workflows; against the variant without the inventory connector, exactly the
// cases that need stock fail, and the A/B report names them.
let env: EvalEnvironment;
beforeAll(() => {
  env = demoEnvironment([
    { name: 'baseline', file: DEMO.support },
    { name: 'no-inventory', file: DEMO.variant },
  ]);
});
afterAll(async () => {
  await env?.close();
});

describe('the demo cases', () => {
  it('every case passes on the demo workflows, offline', async () => {
    const cases = loadCases(DEMO.cases);
    const results = await runEval({ cases, workflows: env.workflows, variants: [{ name: 'default' }], models: env.models, createRunAgent: env.createRunAgent, prices: DEFAULT_PRICES, concurrency: 4 });
    const failed = results.filter((r) => !r.pass).map((r) => `${r.caseId}: ${r.error ?? r.grades.filter((g) => !g.pass).map((g) => `${g.label}: ${g.message}`).join('; ')}`);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(cases.length);
    const [summary] = summarize(results);
    expect(summary).toMatchObject({ variant: 'default', cases: cases.length, passed: cases.length, costUsd: 0 });
    // The offline model costs nothing, but its tokens count.
    expect(summary!.inputTokens).toBeGreaterThan(1000);
  });

  it('A/B: the variant without the inventory connector fails the stock cases, and the report says which', async () => {
    const cases = loadCases(DEMO.cases);
    const results = await runEval({ cases, workflows: env.workflows, variants: env.variants, models: env.models, createRunAgent: env.createRunAgent, prices: DEFAULT_PRICES, concurrency: 4 });
    expect(differences(results)).toEqual([
      { caseId: 'inventory-check', passedOn: ['baseline'], failedOn: ['no-inventory'] },
      { caseId: 'inventory-reserve-approved', passedOn: ['baseline'], failedOn: ['no-inventory'] },
      { caseId: 'inventory-reserve-denied', passedOn: ['baseline'], failedOn: ['no-inventory'] },
      { caseId: 'billing-then-product', passedOn: ['baseline'], failedOn: ['no-inventory'] },
    ]);
    const table = formatTable(results);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^case\s+baseline {2}no-inventory$/);
    expect(lines.find((l) => l.startsWith('inventory-check '))).toMatch(/✓\s+✗ tool_called check_stock: check_stock was not called \(called: search_docs\)/);
    expect(lines.find((l) => l.startsWith('inventory-reserve-denied '))).toMatch(/✓\s+✗ error: no tool call awaits approval$/);
    expect(lines.find((l) => l.startsWith('weather-paris '))).toMatch(/✓\s+✓$/);
    expect(table).toContain(`baseline: ${cases.length}/${cases.length} passed (100%)`);
    expect(table).toContain(`no-inventory: ${cases.length - 4}/${cases.length} passed`);
    expect(table).toContain('Cases where the variants differ (4):\n  inventory-check: passes on baseline, fails on no-inventory\n');
  });
});
