/**
 * Section 5: the widget's weight and its cost to the page.
 *
 * Size: widget/dist/widget.js (built first when missing) gzip -9 and brotli, against the
 * published gzip sizes of other chat widgets. Main thread: headless Chromium, while one long
 * answer streams from a real agent-chat server (in a child process, on a paced model), the page
 * with `<agent-chat mode="inline">` against a plain page that receives the same frames over a
 * WebSocket and appends each delta to a div; interleaved, after a warm-up round.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BenchRow, Section } from '../section.ts';
import type { MainThreadCost } from '../lib/chromium.ts';
import { BENCH_TRANSPORT, NO_QUOTAS } from '../lib/env.ts';
import { kb, ms, times } from '../lib/format.ts';
import { replyText } from '../lib/token-source.ts';
import { versus, widgetVsPlain } from '../lib/widget-vs-plain.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLE = resolve(ROOT, 'widget/dist/widget.js');
/** A token every 4 ms: a fast hosted model; one frame per token. */
const PACE_MS = 4;

/** Published gzip sizes of other embeddable chat widgets, in bytes. */
const PEERS: ReadonlyArray<{ name: string; gzip: number; note?: string }> = [
  { name: 'deep-chat', gzip: 110_637 },
  { name: 'Botpress webchat', gzip: 179_565, note: ' + React' },
  { name: 'CopilotKit v2 popup', gzip: 171 * 1024, note: ' (~) + React' },
  { name: 'Flowise embed', gzip: 283_795 },
];

function bundle(log: (line: string) => void): Buffer {
  if (!existsSync(BUNDLE)) {
    log('widget/dist/widget.js missing: pnpm run build');
    const built = spawnSync('pnpm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    if (built.status !== 0 || !existsSync(BUNDLE)) throw new Error('`pnpm run build` did not produce widget/dist/widget.js');
  }
  return readFileSync(BUNDLE);
}

/** The most widget.js may weigh, gzip -9: everything a site owner expects in one file (`npm test` checks it). */
export const WIDGET_GZIP_BUDGET = 58 * 1024;

/** widget.js gzip -9, in bytes (the bundle is built first when missing). */
export function widgetGzipBytes(log: (line: string) => void = () => {}): number {
  return gzipSync(bundle(log), { level: 9 }).length;
}

export const widget: Section = async ({ quick, log }) => {
  const code = bundle(log);
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const rows: BenchRow[] = [
    { figure: 'widget.js raw · gzip -9 · brotli', value: `${kb(code.length)} · ${kb(gzip)} · ${kb(brotli)}` },
    { figure: '  gzip -9 against the budget', value: kb(gzip), goal: `≤ ${kb(WIDGET_GZIP_BUDGET)}`, met: gzip <= WIDGET_GZIP_BUDGET },
  ];
  for (const peer of PEERS) rows.push({ figure: `  vs ${peer.name}: ${kb(peer.gzip)} gzip${peer.note ?? ''}`, value: `${times(peer.gzip / gzip)} smaller` });

  const tokens = quick ? 200 : 1500;
  const rounds = quick ? 1 : 4;
  const warmup = quick ? 0 : 1;
  const expected = replyText(tokens);
  const lastWords = expected.trim().split(' ').slice(-3).join(' ');
  const costs = await widgetVsPlain({
    server: { kind: 'agent-chat', tokens, paceMs: PACE_MS, env: { ...NO_QUOTAS }, transport: BENCH_TRANSPORT },
    expected,
    endWords: lastWords,
    rounds,
    warmup,
    onRound: (round, w, p) => log(`  round ${round}: widget ${ms(w.busy)}, plain ${ms(p.busy)} main-thread CPU`),
  });
  const row = (figure: string, key: keyof MainThreadCost): BenchRow => ({ figure, value: versus(costs, key).value });
  rows.push(
    row(`${tokens}-token answer at ${PACE_MS} ms/token, main-thread CPU: widget vs plain div, median (min) of ${rounds}`, 'busy'),
    row('  of which script', 'script'),
    row('  of which style + layout', 'layout'),
    row('  longest task', 'longestTask'),
    row('  stream wall time', 'wall'),
  );
  return {
    title: 'Widget: size and main-thread time',
    rows,
    data: { raw: code.length, gzip, brotli, peers: PEERS, tokens, paceMs: PACE_MS, rounds, warmup, widget: costs.widget, plain: costs.plain },
  };
};
