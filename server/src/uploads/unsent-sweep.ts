import type { Logger } from '../logger.ts';
import type { Storage } from '../store/storage.ts';

/** Uploads deleted per batch, so one sweep never holds the database for long. */
const BATCH = 200;

export interface UnsentSweepOptions {
  storage: Pick<Storage, 'uploads'>;
  /** An upload not sent with a message within this long is deleted. */
  ttlMs: number;
  log: Logger;
  now?: () => number;
  /** How often to sweep (default: a tenth of the time to live, at least a minute). */
  intervalMs?: number;
}

/** The sweeper of unsent uploads: `sweep()` once now, then on a timer until `stop()`. */
export interface UnsentSweep {
  /** Deletes every upload never sent and older than the time to live; returns how many. */
  sweep(): Promise<number>;
  /** The sweep made at start (never rejects: a failure is logged and counts 0). */
  readonly first: Promise<number>;
  stop(): void;
}

/**
 * Deletes uploads that were never sent with a message (a chosen file removed before sending, a
 * page closed): only those still unsent when deleted, so a send racing the sweep keeps its file.
 * The timer is unref'd, so it never keeps the process alive.
 */
export function startUnsentSweep({ storage, ttlMs, log, now = Date.now, intervalMs = Math.max(60_000, ttlMs / 10) }: UnsentSweepOptions): UnsentSweep {
  const sweep = async (): Promise<number> => {
    const cutoff = new Date(now() - ttlMs).toISOString();
    let deleted = 0;
    for (;;) {
      const batch = await storage.uploads.unattachedBefore(cutoff, BATCH);
      if (batch.length === 0) break;
      const removed = await storage.uploads.delete(
        batch.map((u) => u.id),
        { unattachedOnly: true },
      );
      deleted += removed;
      if (batch.length < BATCH) break;
    }
    if (deleted > 0) log.info(`uploads: deleted ${deleted} file(s) never sent within ${Math.round(ttlMs / 60_000)} minute(s)`);
    return deleted;
  };
  const run = () =>
    sweep().catch((error: unknown) => {
      log.error('uploads: sweep of unsent files failed', error);
      return 0;
    });
  const first = run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { sweep, first, stop: () => clearInterval(timer) };
}
