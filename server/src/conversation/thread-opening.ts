import type { Item } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import type { ThreadRecord } from '../store/records.ts';
import type { Storage } from '../store/storage.ts';
import type { EventLog } from './event-log.ts';
import type { Subscriber, ThreadHub } from './thread-hub.ts';

/** What `thread.open` read, consistent with one `lastSeq`, and the subscription made with it. */
export interface ThreadOpening {
  thread: ThreadRecord;
  /** The thread's highest stored seq when it was read: live events follow it. */
  lastSeq: number;
  /** `afterSeq` was behind the compaction point or too far behind: items instead of events. */
  reset: boolean;
  /** The newest items, newest first (at most `items`), when opened without `afterSeq` or on a reset. */
  newest: Item[] | undefined;
  /** The missed events as stored, when replaying from `afterSeq`. */
  missed: Array<{ seq: number; json: string }>;
  /** Stops the live events (a no-op without a subscriber). */
  unsubscribe: () => void;
}

/**
 * Subscribes `subscriber` to the thread and reads what it missed, all inside one event-log
 * snapshot: no batch is applied or published meanwhile, so every event is either in what was
 * read (seq ≤ `lastSeq`) or delivered live afterwards, never both and never neither.
 * @throws AppError not_found for a thread `owner` does not own; invalid_request for an
 *   `afterSeq` outside 0…lastSeq. The subscription is undone then.
 */
export async function readThreadOpening(
  deps: { storage: Storage; eventLog: EventLog; hub: ThreadHub; maxReplayEvents: number },
  owner: string,
  request: { threadId: string; afterSeq?: number; items: number },
  subscriber?: Subscriber,
): Promise<ThreadOpening> {
  const { storage, eventLog, hub, maxReplayEvents } = deps;
  const { threadId, afterSeq } = request;
  let unsubscribe = () => {};
  try {
    return await eventLog.snapshot(async () => {
      if (subscriber) unsubscribe = hub.subscribe(threadId, subscriber);
      const thread = await storage.threads.get(threadId);
      if (!thread || thread.owner !== owner) throw new AppError('not_found', 'No such thread.');
      // The row's last_seq moves only with events other than deltas; deltas stored after it count too.
      const lastSeq = Math.max(thread.lastSeq, await storage.events.lastSeq(threadId));
      if (afterSeq !== undefined && (afterSeq < 0 || afterSeq > lastSeq)) {
        throw new AppError('invalid_request', `afterSeq must be between 0 and ${lastSeq}.`);
      }
      const reset = afterSeq !== undefined && (afterSeq < (thread.compactedSeq ?? 0) || lastSeq - afterSeq > maxReplayEvents);
      if (afterSeq === undefined || reset) {
        return { thread, lastSeq, reset, newest: await storage.items.newest(threadId, request.items), missed: [], unsubscribe };
      }
      // Bounded: seqs have no gaps after the compaction point, so this is every missed event.
      const missed = await storage.events.between(threadId, afterSeq, lastSeq, maxReplayEvents);
      return { thread, lastSeq, reset, newest: undefined, missed, unsubscribe };
    });
  } catch (error) {
    unsubscribe();
    throw error;
  }
}
