import { describe, expect, it } from 'vitest';
import { SECTIONS } from './sections/index.ts';

// The quick bench: every section runs end to end at small sizes so `pnpm bench` cannot break
// silently. A section throws when its run lost or reordered anything; no speed is asserted here.
describe('pnpm bench --quick', () => {
  for (const [name, section] of SECTIONS) {
    it(`${name} runs and reports rows`, async () => {
      const result = await section({ quick: true, log: () => {} });
      expect(result.title).not.toBe('');
      expect(result.rows.length).toBeGreaterThan(0);
      for (const row of result.rows) {
        expect(row.figure).not.toBe('');
        expect(row.value).not.toBe('');
        // A goal and its verdict come together.
        expect(row.goal === undefined).toBe(row.met === undefined);
      }
    }, 60_000);
  }
});
