import type { Logger } from './logger.ts';

/** A cleanup that runs once at start and then on a timer. */
export interface PeriodicSweep {
  /** Runs the cleanup now; resolves with how many things it removed. */
  sweep(): Promise<number>;
  /** The sweep made at start (it never rejects: a failure is logged and counts 0). */
  readonly first: Promise<number>;
  stop(): void;
}

/**
 * Runs `sweep` now and every `intervalMs` until `stop()`; a failed sweep is logged as
 * `<what>: sweep failed` and the next one tries again. The timer is unref'd, so it never keeps
 * the process alive. Retention and the unsent-upload cleanup both run this way.
 */
export function startPeriodicSweep(what: string, sweep: () => Promise<number>, intervalMs: number, log: Logger): PeriodicSweep {
  const run = () =>
    sweep().catch((error: unknown) => {
      log.error(`${what}: sweep failed`, error);
      return 0;
    });
  const first = run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { sweep, first, stop: () => clearInterval(timer) };
}
