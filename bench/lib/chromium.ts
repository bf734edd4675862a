import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Headless Chromium: CHROME_PATH, or Debian's /usr/bin/chromium. Throws when there is none. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!executablePath) throw new Error('the widget bench needs Chromium: install it at /usr/bin/chromium or set CHROME_PATH');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Main-thread cost of one page while an answer streams in, in ms. */
export interface MainThreadCost {
  /** CPU time the renderer's main thread spent in tasks (CDP `TaskDuration`, thread ticks). */
  busy: number;
  /** Of which running script (CDP `ScriptDuration`). */
  script: number;
  /** Of which style and layout (CDP `RecalcStyleDuration` + `LayoutDuration`). */
  layout: number;
  /** The longest single task on the main thread, CPU time (from a trace). */
  longestTask: number;
  /** Tasks over 50 ms of CPU time (long tasks), from the same trace. */
  longTasks: number;
  /** Layouts the renderer ran (CDP `LayoutCount`): one per painted frame at best, more when script forces them. */
  layouts: number;
  /** From `__start()` until `__finished` resolved. */
  wall: number;
}

/** What a stream page resolves `window.__finished` with. */
export interface StreamOutcome {
  status: string;
  text: string;
  /** The text on screen (the widget's: across its shadow roots). */
  rendered: string;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  /** Thread (CPU) duration, when the trace has thread timestamps. */
  tdur?: number;
  args?: { name?: string };
}

/** What a main-thread task is called in a trace (the name changed across Chromium versions). */
const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

/** A task longer than this (ms) is a long task, as the Long Tasks API counts them. */
const LONG_TASK_MS = 50;

/** The longest task on a renderer main thread of a trace, in ms of CPU time where the trace has it, and how many were long. */
function mainThreadTasks(trace: Buffer): { longest: number; long: number } {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mainThreads = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let longest = 0;
  let long = 0;
  for (const e of traceEvents) {
    if (!TASK_EVENTS.has(e.name) || e.ph !== 'X' || !mainThreads.has(`${e.pid}:${e.tid}`)) continue;
    const duration = (e.tdur ?? e.dur ?? 0) / 1000;
    longest = Math.max(longest, duration);
    if (duration > LONG_TASK_MS) long++;
  }
  return { longest, long };
}

/**
 * Opens `url` in a fresh context, waits for `window.__ready`, then measures the main thread from
 * `window.__start()` until `window.__finished` resolves. Resolves with the cost and the outcome.
 */
export async function measureStreamPage(browser: Browser, url: string): Promise<{ cost: MainThreadCost; outcome: StreamOutcome }> {
  const context = await browser.newContext({ viewport: { width: 800, height: 700 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const cdp = await context.newCDPSession(page);
    // CPU time of the main thread, not wall time: on a busy shared machine a descheduled
    // renderer would otherwise count as busy.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(url);
    await page.evaluate(() => (window as unknown as { __ready: Promise<boolean> }).__ready);
    const metrics = async () => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(list.map((m) => [m.name, m.value * 1000])) as Record<string, number>;
    };
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    const before = await metrics();
    const started = performance.now();
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    const outcome = await page.evaluate(() => (window as unknown as { __finished: Promise<StreamOutcome> }).__finished);
    const wall = performance.now() - started;
    const after = await metrics();
    const trace = await browser.stopTracing();
    if (errors.length > 0) throw new Error(`${url}: ${errors.join('; ')}`);
    const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    const tasks = mainThreadTasks(trace);
    return {
      cost: {
        busy: delta('TaskDuration'),
        script: delta('ScriptDuration'),
        layout: delta('RecalcStyleDuration') + delta('LayoutDuration'),
        longestTask: tasks.longest,
        longTasks: tasks.long,
        // metrics() scales every value to ms; a count is scaled back.
        layouts: Math.round(delta('LayoutCount') / 1000),
        wall,
      },
      outcome,
    };
  } finally {
    await context.close();
  }
}
