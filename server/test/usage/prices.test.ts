import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costOf, DEFAULT_PRICES, loadPrices } from '../../src/usage/prices.ts';
import { median } from '../../src/evals/eval-summary.ts';
import { withModel } from '../../src/evals/run-eval.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';
import { workflow } from '../agents/helpers.ts';

describe('eval costs and figures', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('prices tokens per 1M by model; the offline model and unknown models cost 0', () => {
    const usage = { inputTokens: 2_000_000, outputTokens: 500_000 };
    expect(costOf(DEFAULT_PRICES, 'gpt-4.1-mini', usage, false)).toBeCloseTo(2 * 0.4 + 0.5 * 1.6, 10);
    expect(costOf(DEFAULT_PRICES, 'gpt-4.1-mini', usage, true)).toBe(0);
    expect(costOf(DEFAULT_PRICES, 'my-local-model', usage, false)).toBe(0);
  });

  it('a prices file replaces and adds entries over the defaults; a bad one names the field', () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const file = join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ 'gpt-4.1-mini': { input: 1, output: 2 }, 'llama-3': { input: 0.05, output: 0.1 } }));
    const prices = loadPrices(file, 'prices.json');
    expect(prices['gpt-4.1-mini']).toEqual({ input: 1, output: 2 });
    expect(prices['llama-3']).toEqual({ input: 0.05, output: 0.1 });
    expect(prices['gpt-4o']).toEqual(DEFAULT_PRICES['gpt-4o']);
    writeFileSync(file, JSON.stringify({ 'gpt-4.1': { input: -1, output: 2 } }));
    expect(() => loadPrices(file, 'prices.json')).toThrow(/^prices\.json: gpt-4\.1\.input: Too small/);
  });

  it('--model puts every agent on one model; the median of runs', () => {
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', model: 'gpt-4o' }, { id: 'b', name: 'B', instructions: 'y' }]);
    const moved = withModel(wf, 'gpt-4.1-nano');
    expect([moved.model, ...moved.agents.map((a) => a.model)]).toEqual(['gpt-4.1-nano', 'gpt-4.1-nano', 'gpt-4.1-nano']);
    expect(wf.agents[0]!.model).toBe('gpt-4o');
    expect([median([]), median([5]), median([9, 1, 5]), median([4, 1, 3, 2])]).toEqual([0, 5, 5, 2.5]);
  });
});
