import type { Logger } from '../logger.ts';
import { type PeriodicSweep, startPeriodicSweep } from '../periodic-sweep.ts';
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
export type UnsentSweep = PeriodicSweep;

/**
 * Deletes uploads that were never sent with a message (a chosen file removed before sending, a
 * page closed): only those still unsent when deleted, so a send racing the sweep keeps its file.
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
  return startPeriodicSweep('uploads (unsent files)', sweep, intervalMs, log);
}
