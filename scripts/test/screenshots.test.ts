import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `pnpm screenshots` (scripts/screenshots.mjs) against the real demo server in Chromium, into a
 * temporary directory: every picture the README shows comes out, at its size, with content; and
 * the README shows every committed picture.
 */

const root = resolve(import.meta.dirname, '../..');
/** The shots and their sizes: element shots are the 420 × 720 inline widget, the rest the viewport. */
const EXPECTED: Record<string, [number, number]> = {
  'widget-inline-light.png': [420, 720],
  'widget-inline-dark.png': [420, 720],
  'widget-launcher-closed.png': [640, 400],
  'widget-launcher-open.png': [640, 780],
  'widget-phone.png': [390, 844],
  'widget-arabic.png': [420, 720],
};
/** Committed pictures are kept small (the README loads them all). */
const MAX_BYTES = 150 * 1024;

let out: string;
let printed: string[];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'agent-chat-shots-test-'));
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/screenshots.mjs', '--out', out], { cwd: root, timeout: 240_000 });
  printed = stdout.trim().split('\n');
}, 260_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** How many distinct colours a picture has (a blank or single-colour picture has one or two). */
function distinctColours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

describe('pnpm screenshots', () => {
  it('writes every picture at its size, with content, and small', () => {
    expect(printed.map((file) => file.slice(out.length + 1)).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, [width, height]] of Object.entries(EXPECTED)) {
      const file = join(out, name);
      const png = PNG.sync.read(readFileSync(file));
      expect([png.width, png.height], name).toEqual([width, height]);
      expect(distinctColours(png), name).toBeGreaterThan(50);
      expect(statSync(file).size, name).toBeLessThan(MAX_BYTES);
    }
  });

  it('the dark picture is dark and the light one light', () => {
    const meanLuma = (name: string) => {
      const png = PNG.sync.read(readFileSync(join(out, name)));
      let sum = 0;
      for (let i = 0; i < png.data.length; i += 4) sum += 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!;
      return sum / (png.width * png.height);
    };
    expect(meanLuma('widget-inline-dark.png')).toBeLessThan(100);
    expect(meanLuma('widget-inline-light.png')).toBeGreaterThan(180);
  });

  it('the README shows every committed picture, and each is one the script makes', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const committed = readdirSync(join(root, 'docs/images')).filter((name) => name.startsWith('widget-') && name.endsWith('.png'));
    expect(committed.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const name of committed) {
      expect(readme, name).toContain(`](docs/images/${name})`);
      expect(statSync(join(root, 'docs/images', name)).size, name).toBeLessThan(MAX_BYTES);
    }
  });
});
