import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { shakeableMarked } from '../scripts/vite/shake-marked.ts';

const MARKED = createRequire(new URL('../widget/package.json', import.meta.url)).resolve('marked');
const original = readFileSync(MARKED, 'utf8');

/** Imports module text as its own ES module. */
function load(code: string): Promise<Record<string, unknown>> {
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

describe('shake-marked: marked rewritten for tree-shaking', () => {
  it('keeps every export of marked, with the same behaviour', async () => {
    const before = await load(original);
    const after = await load(shakeableMarked(original));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const name of Object.keys(before)) expect(typeof after[name], name).toBe(typeof before[name]);
    type Marked = ((src: string) => string) & { use: (...e: object[]) => Marked; parseInline: (src: string) => string };
    const marked = after.marked as Marked;
    const parse = after.parse as Marked;
    const source = '# Title\n\n*a* [b](https://example.com)\n\n| x |\n| - |\n| `y` |\n';
    expect(marked(source)).toBe((before.marked as Marked)(source));
    expect(parse(source)).toBe(marked(source));
    expect(after.use).toBe(marked.use);
    expect((after.lexer as (s: string) => unknown[])('a\n\nb').length).toBe(3);
    // The module-wide options still flow through `use`.
    marked.use({ renderer: { strong: () => 'S' } });
    expect(marked.parseInline('**x**')).toBe('S');
  });

  it('fails the build when marked no longer has the shape it rewrites', () => {
    expect(() => shakeableMarked('export const marked = 1;')).toThrow(/no longer has the expected shape/);
  });
});
