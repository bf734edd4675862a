import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from './sections/index.ts';

const root = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

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
      // The runner writes it to results.json.
      expect(() => JSON.stringify(result.data)).not.toThrow();
      // Generous: the sections start servers and databases, and a loaded 2-core machine is slow.
    }, 120_000);
  }

  it('the CLI prints the tables and the machine, and writes the results', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--conditions=agent-chat-source', '--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'replay'], { cwd: root });
    expect(stdout).toContain('| figure');
    expect(stdout).toMatch(/Machine: .+ cores · Node v\d+/);
    const written = JSON.parse(readFileSync(resolve(root, '.tmp/bench-results.json'), 'utf8'));
    expect(written.quick).toBe(true);
    expect(Object.keys(written.sections)).toEqual(['replay']);
    expect(written.sections.replay.rows.length).toBeGreaterThan(0);
  }, 60_000);

  it('the CLI refuses an unknown section', async () => {
    const failed = await run(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', 'bench/run.ts', '--only', 'nope'], { cwd: root }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('unknown section nope');
  }, 30_000);
});
