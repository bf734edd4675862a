import type { Logger } from '../logger.ts';
import { type PeriodicSweep, startPeriodicSweep } from '../periodic-sweep.ts';
import type { Storage } from '../store/storage.ts';
import type { ConversationService } from './conversation-service.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Threads deleted per batch, so one sweep never holds the event loop for long. */
const BATCH = 200;

/** What the retention sweeper works on, and how often. */
export interface RetentionOptions {
  service: ConversationService;
  storage: Storage;
  /** Threads idle (no new event) for longer than this are deleted. */
  retentionDays: number;
  log: Logger;
  now?: () => number;
  /** How often to sweep; the first sweep runs at start. */
  intervalMs?: number;
}

/** The retention sweeper: `sweep()` once now, then every `intervalMs` until `stop()`. */
export type Retention = PeriodicSweep;

/**
 * Deletes threads whose last activity (`updatedAt`) is older than `retentionDays`, with
 * everything that belongs to them, through the conversation service (so subscribers and the
 * event log forget them too). A thread with a run in flight is never deleted: its run is
 * activity.
 */
export function startRetention({ service, storage, retentionDays, log, now = Date.now, intervalMs = 60 * 60 * 1000 }: RetentionOptions): Retention {
  const sweep = async (): Promise<number> => {
    const cutoff = new Date(now() - retentionDays * DAY_MS).toISOString();
    let deleted = 0;
    const skipped = new Set<string>();
    for (;;) {
      const batch = (await storage.threads.idleSince(cutoff, BATCH + skipped.size)).filter((t) => !skipped.has(t.id));
      if (batch.length === 0) break;
      for (const thread of batch) {
        if (service.activeRunId(thread.id) !== undefined) {
          skipped.add(thread.id);
          continue;
        }
        await service.deleteThread(thread.owner, thread.id);
        deleted += 1;
      }
    }
    if (deleted > 0) log.info(`retention: deleted ${deleted} thread(s) idle for more than ${retentionDays} day(s)`);
    return deleted;
  };
  return startPeriodicSweep('retention', sweep, intervalMs, log);
}
