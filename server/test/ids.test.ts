import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids.ts';

describe('newId', () => {
  it('Should give 128-bit URL-safe ids with their prefix, never the same twice across many pool refills', () => {
    const seen = new Set<string>();
    // 4 KB of random bytes make 256 ids: this crosses the pool boundary many times.
    for (let i = 0; i < 5000; i++) {
      const id = newId(i % 2 ? 'thr' : 'itm');
      expect(id).toMatch(/^(thr|itm)_[A-Za-z0-9_-]{22}$/);
      seen.add(id.slice(4));
    }
    expect(seen.size).toBe(5000);
  });
});
