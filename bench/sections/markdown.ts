/**
 * Section: the markdown renderer on hostile input.
 *
 * cmark-gfm's pathological inputs (deep nesting, unclosed openers, huge tables…, the same ones
 * widget/test/markdown-safety.test.ts renders) each rendered by the widget's renderMarkdown into
 * a detached element in headless Chromium. The goal: every one under a second, without a stack
 * overflow. The browser test only checks that each finishes; the time is held here, where a
 * quiet machine and several rounds make it meaningful.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { PATHOLOGICAL } from '../../widget/test/support/pathological-markdown.ts';
import type { BenchRow, Section } from '../section.ts';
import { launchChromium } from '../lib/chromium.ts';
import { ms } from '../lib/format.ts';
import { stats } from '../lib/stats.ts';

/** The goal for each input, in ms. */
const GOAL_MS = 1000;

const WIDGET = fileURLToPath(new URL('../../widget', import.meta.url));
const RENDERER = join(WIDGET, 'src/markdown/render-markdown.ts');
/** A module that exists only in this build (never on disk). */
const ENTRY = 'bench-markdown-entry.js';

/** The renderer and Lit as one script that defines `window.renderTimed(source)`. */
async function rendererScript(): Promise<string> {
  const entry = `import { render } from 'lit';
import { renderMarkdown } from ${JSON.stringify(RENDERER)};
window.renderTimed = (source) => {
  const host = document.createElement('div');
  const started = performance.now();
  render(renderMarkdown(source), host);
  return { ms: performance.now() - started, chars: host.textContent?.length ?? 0 };
};
`;
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    // Resolved from the widget's package, where lit is a dependency.
    root: WIDGET,
    resolve: { conditions: ['agent-chat-source', 'browser', 'module', 'import', 'default'] },
    plugins: [
      {
        name: 'bench-markdown-entry',
        resolveId: (id) => (id.endsWith(ENTRY) ? join(WIDGET, ENTRY) : undefined),
        load: (id) => (id === join(WIDGET, ENTRY) ? entry : undefined),
      },
    ],
    build: { write: false, lib: { entry: ENTRY, formats: ['es'], fileName: () => 'renderer.js' }, minify: true, target: 'es2022' },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []));
  const code = chunks.find((c) => c.type === 'chunk')?.code;
  if (!code) throw new Error('vite produced no renderer bundle');
  return code;
}

export const markdown: Section = async ({ quick, log }) => {
  const inputs = Object.entries(PATHOLOGICAL).slice(0, quick ? 3 : undefined);
  const rounds = quick ? 1 : 3;
  const script = await rendererScript();
  const browser = await launchChromium();
  const results: { name: string; chars: number; median: number; max: number }[] = [];
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>markdown</title>');
    await page.addScriptTag({ content: script, type: 'module' });
    await page.waitForFunction(() => 'renderTimed' in window);
    for (const [name, source] of inputs) {
      const samples: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const result = await page.evaluate((s) => (window as unknown as { renderTimed(s: string): { ms: number; chars: number } }).renderTimed(s), source);
        if (result.chars === 0) throw new Error(`${name}: rendered nothing`);
        samples.push(result.ms);
      }
      const s = stats(samples);
      results.push({ name, chars: source.length, median: s.median, max: s.max });
      log(`  ${name}: ${ms(s.median)} median, ${ms(s.max)} worst`);
    }
  } finally {
    await browser.close();
  }
  const slowest = results.reduce((a, b) => (b.max > a.max ? b : a));
  const over = results.filter((r) => r.max >= GOAL_MS);
  const rows: BenchRow[] = [
    {
      figure: `slowest of ${results.length} pathological inputs (${slowest.name}), worst of ${rounds}`,
      value: ms(slowest.max),
      goal: `< ${ms(GOAL_MS)}`,
      met: slowest.max < GOAL_MS,
    },
    { figure: 'inputs over the goal', value: over.length ? over.map((r) => r.name).join(', ') : 'none' },
  ];
  return { title: 'Markdown: pathological inputs (Chromium)', rows, data: { goalMs: GOAL_MS, rounds, inputs: results } };
};
