import { describe, expect, it } from 'vitest';
import { evalRecord, MAX_STORED_TEXT } from '../../src/evals/eval-record.ts';
import { percentile, summarize } from '../../src/evals/eval-summary.ts';
import type { CaseResult } from '../../src/evals/run-eval.ts';

const result = (variant: string, caseId: string, overrides: Partial<CaseResult> = {}): CaseResult => ({
  variant,
  caseId,
  workflow: 'support',
  pass: true,
  grades: [{ label: 'contains "refund"', pass: true, message: '' }],
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.5,
  runLatenciesMs: [100],
  text: 'ok',
  ...overrides,
});

describe('eval results as stored', () => {
  it('p95 is the nearest-rank percentile over every run of every case of a variant', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([7], 95)).toBe(7);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 50)).toBe(50);
    const [a] = summarize([result('a', 'x', { runLatenciesMs: [10, 20] }), result('a', 'y', { runLatenciesMs: [30, 1000] })]);
    expect(a).toMatchObject({ p50LatencyMs: 25, p95LatencyMs: 1000 });
  });

  it('keeps the totals per variant, the graders as name/pass/detail, and cuts long answers', () => {
    const long = 'é'.repeat(MAX_STORED_TEXT + 10);
    const { run, cases } = evalRecord(
      { id: 'evr_1', startedAt: 's', finishedAt: 'f', casesFile: 'cases.jsonl', model: undefined, variants: [{ name: 'a', file: 'a.json' }, { name: 'b' }], caseCount: 2 },
      [
        result('a', 'x'),
        result('a', 'y', { workflow: 'billing', pass: false, grades: [{ label: 'tool_called refund', pass: false, message: 'not called' }], text: long }),
        result('b', 'x', { workflow: undefined, pass: false, grades: [], error: 'no workflow' }),
        result('b', 'y'),
      ],
    );
    expect(run).toMatchObject({ model: null, workflows: ['billing', 'support'], variants: [{ name: 'a', file: 'a.json' }, { name: 'b' }] });
    expect(run.totals.map((t) => [t.variant, t.cases, t.passed, t.failed, t.inputTokens, t.costUsd])).toEqual([
      ['a', 2, 1, 1, 20, 1],
      ['b', 2, 1, 1, 20, 1],
    ]);
    expect(cases[1]).toMatchObject({ grades: [{ name: 'tool_called refund', pass: false, detail: 'not called' }], textTruncated: true });
    expect(cases[1]!.text).toHaveLength(MAX_STORED_TEXT);
    expect(cases[2]).toMatchObject({ workflow: null, error: 'no workflow', textTruncated: false, text: 'ok' });
  });
});
