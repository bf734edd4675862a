/**
 * Section: the main-thread cost of a long markdown answer arriving in a burst.
 *
 * The real agent-chat server (child process) answers with a 1,500-token markdown answer
 * (paragraphs, lists, a code block, a table) all at once, one `text.delta` frame per token
 * (delta merging off, so the page receives every token as its own WebSocket message, the
 * worst case for a renderer). In headless Chromium, the page with the built widget.js
 * (`<agent-chat mode="inline">`) against a plain page that receives the same frames and
 * appends each delta to a div; interleaved, after a warm-up round. Measured: main-thread CPU
 * (CDP thread ticks), layouts (CDP `LayoutCount`), the longest task (trace).
 */
import type { BenchRow, Section } from '../section.ts';
import type { MainThreadCost } from '../lib/chromium.ts';
import { BENCH_TRANSPORT, NO_QUOTAS } from '../lib/env.ts';
import { fixed, ms } from '../lib/format.ts';
import { CLOSING_WORDS, markdownAnswer } from '../lib/markdown-answer.ts';
import { stats } from '../lib/stats.ts';
import { type Side, versus, widgetVsPlain } from '../lib/widget-vs-plain.ts';
import { widgetGzipBytes } from './widget.ts';

/** The goal: the widget costs at most this many times the plain div's main-thread time… */
const RATIO_GOAL = 1.5;
/** …with no task longer than this (ms). */
const TASK_GOAL_MS = 50;

export const streaming: Section = async ({ quick, log }) => {
  widgetGzipBytes(log); // builds widget.js when it is missing
  const tokens = quick ? 300 : 1500;
  const rounds = quick ? 1 : 5;
  const warmup = quick ? 0 : 1;
  const reply = markdownAnswer(tokens);
  const expected = reply.join('');
  const costs = await widgetVsPlain({
    server: { kind: 'agent-chat', tokens, paceMs: 0, reply, mergeTextDeltas: false, env: { ...NO_QUOTAS }, transport: BENCH_TRANSPORT },
    expected,
    endWords: CLOSING_WORDS,
    rounds,
    warmup,
    onRound: (round, w, p) =>
      log(`  round ${round}: widget ${ms(w.busy)} (${w.layouts} layouts, longest task ${ms(w.longestTask)}), plain ${ms(p.busy)} (${p.layouts} layouts)`),
  });
  const summary = (name: Side, key: keyof MainThreadCost) => stats(costs[name].map((c) => c[key]));
  const busy = versus(costs, 'busy');
  const ratio = busy.w.median / busy.p.median;
  const longest = summary('widget', 'longestTask');
  const longTasks = costs.widget.reduce((sum, c) => sum + c.longTasks, 0);
  const rows: BenchRow[] = [
    {
      figure: `${tokens}-token markdown burst (one frame per token), main-thread CPU: widget vs plain div, median (min) of ${rounds}`,
      value: busy.value,
      goal: `≤ ${RATIO_GOAL}×`,
      met: ratio <= RATIO_GOAL,
    },
    { figure: '  of which script', value: versus(costs, 'script').value },
    { figure: '  of which style + layout', value: versus(costs, 'layout').value },
    { figure: '  layouts, median (min)', value: versus(costs, 'layouts', (v) => fixed(v)).value },
    {
      figure: `  widget's longest task, median (worst of ${rounds}) · tasks over ${TASK_GOAL_MS} ms in all rounds`,
      value: `${ms(longest.median)} (${ms(longest.max)}) · ${longTasks}`,
      goal: `none over ${TASK_GOAL_MS} ms`,
      met: longest.max <= TASK_GOAL_MS,
    },
    { figure: "  plain div's longest task, median (worst)", value: `${ms(summary('plain', 'longestTask').median)} (${ms(summary('plain', 'longestTask').max)})` },
    { figure: '  stream wall time', value: versus(costs, 'wall').value },
  ];
  return {
    title: 'Streaming: a long markdown answer in one burst, widget vs plain div',
    rows,
    data: { tokens, chars: expected.length, rounds, warmup, ratio, widget: costs.widget, plain: costs.plain },
  };
};
