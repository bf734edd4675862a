/**
 * The widget against a plain div, in headless Chromium, on the same answer from the real server
 * (a child process): both pages stream it, interleaved after a warm-up, and each side's
 * main-thread cost is kept per round. The answer must arrive whole and its end be on screen.
 */
import { type MainThreadCost, launchChromium, measureStreamPage } from './chromium.ts';
import { type ChildSpec, startChildServer } from './child-server.ts';
import { ms, times } from './format.ts';
import { interleave } from './interleave.ts';
import { type Stats, stats } from './stats.ts';
import { serveStreamPages } from './stream-pages.ts';

export type Side = 'widget' | 'plain';

export interface WidgetVsPlainOptions {
  server: ChildSpec;
  /** The answer's text, as the server sends it. */
  expected: string;
  /** Words at the answer's end that must be on screen once it is done. */
  endWords: string;
  rounds: number;
  warmup: number;
  /** One progress line per round, from that round's two costs. */
  onRound: (round: number, widget: MainThreadCost, plain: MainThreadCost) => void;
}

/** Each side's cost in the kept rounds (the warm-up dropped). */
export async function widgetVsPlain(o: WidgetVsPlainOptions): Promise<Record<Side, MainThreadCost[]>> {
  const costs: Record<Side, MainThreadCost[]> = { widget: [], plain: [] };
  const server = await startChildServer(o.server);
  try {
    const pages = await serveStreamPages(server.wsUrl.replace(/^ws/, 'http').replace(/\/v1\/ws$/, ''), server.wsUrl);
    try {
      const browser = await launchChromium();
      try {
        const side = (name: Side, url: string) => async () => {
          const { cost, outcome } = await measureStreamPage(browser, url);
          if (outcome.status !== 'done' || outcome.text.trim() !== o.expected.trim()) {
            throw new Error(`${name} page: answer ${outcome.status}, ${outcome.text.length} of ${o.expected.length} chars`);
          }
          if (!outcome.rendered.includes(o.endWords)) throw new Error(`${name} page: the answer's end is not on screen`);
          costs[name].push(cost);
          return cost.busy;
        };
        await interleave(
          { widget: side('widget', pages.widgetUrl), plain: side('plain', pages.plainUrl) },
          { warmup: o.warmup, rounds: o.rounds, onRound: (round) => o.onRound(round, costs.widget.at(-1)!, costs.plain.at(-1)!) },
        );
      } finally {
        await browser.close();
      }
    } finally {
      await pages.close();
    }
  } finally {
    await server.stop();
  }
  // The warm-up round's samples were pushed too; keep the kept rounds only.
  return { widget: costs.widget.slice(-o.rounds), plain: costs.plain.slice(-o.rounds) };
}

/** One figure, widget against plain: "median (min) vs median (min) = ratio", and both sides' stats. */
export function versus(costs: Record<Side, MainThreadCost[]>, key: keyof MainThreadCost, format: (v: number) => string = ms): { w: Stats; p: Stats; value: string } {
  const w = stats(costs.widget.map((c) => c[key]));
  const p = stats(costs.plain.map((c) => c[key]));
  return { w, p, value: `${format(w.median)} (${format(w.min)}) vs ${format(p.median)} (${format(p.min)}) = ${times(w.median / p.median)}` };
}
