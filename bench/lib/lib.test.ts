import { describe, expect, it } from 'vitest';
import { interleave } from './interleave.ts';
import { CLOSING_WORDS, markdownAnswer, modelTokens } from './markdown-answer.ts';
import { stats } from './stats.ts';

describe('bench helpers', () => {
  it('stats: median, min, nearest-rank p99, max and mean', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted input
    expect(stats(samples)).toEqual({ n: 100, mean: 50.5, median: 50, min: 1, p50: 50, p99: 99, max: 100 });
    expect(stats([7])).toMatchObject({ median: 7, p99: 7, min: 7, max: 7 });
    expect(Number.isNaN(stats([]).median)).toBe(true);
  });

  it('interleave: flips the order every round and drops the warm-up rounds', async () => {
    const calls: string[] = [];
    let n = 0;
    const samples = await interleave(
      {
        a: async () => (calls.push('a'), ++n),
        b: async () => (calls.push('b'), ++n),
      },
      { warmup: 1, rounds: 2 },
    );
    expect(calls).toEqual(['a', 'b', 'b', 'a', 'a', 'b']);
    // Round 1 (calls 1, 2) was the warm-up; a then ran 4th and 5th, b 3rd and 6th.
    expect(samples).toEqual({ a: [4, 5], b: [3, 6] });
  });

  it('markdownAnswer: exactly the tokens asked for, a whole markdown answer that ends with the closing words', () => {
    for (const count of [40, 300, 1500, 1501]) {
      const tokens = markdownAnswer(count);
      expect(tokens).toHaveLength(count);
      expect(tokens.every((t) => t.length > 0)).toBe(true);
      const text = tokens.join('');
      expect(text.trimEnd().endsWith(`${CLOSING_WORDS}?`)).toBe(true);
      // Cutting into tokens loses nothing.
      expect(modelTokens(text).join('')).toBe(text);
    }
    const text = markdownAnswer(1500).join('');
    for (const block of ['\n\n## Step', '\n- ', '\n1. ', '\n```ts\n', '\n| --- |', '\n> ']) expect(text).toContain(block);
  });
});
