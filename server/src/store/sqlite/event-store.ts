import type { ThreadEvent } from '@agent-chat/shared';
import type { Db } from './database.ts';

/** Events table: the per-thread, seq-numbered log that clients replay on resume. */
export class EventStore {
  #insert;
  #since;
  #sinceLimited;
  #compactRun;
  #dropThrough;
  #forgetItem;
  #lastSeq;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, number, string, string, string]>(
      'INSERT INTO events (thread_id, seq, type, json, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#since = db.prepare<[string, number], { json: string; created_at: string }>(
      'SELECT json, created_at FROM events WHERE thread_id = ? AND seq > ? ORDER BY seq',
    );
    this.#sinceLimited = db.prepare<[string, number, number, number], { seq: number; json: string }>(
      'SELECT seq, json FROM events WHERE thread_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
    );
    this.#lastSeq = db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM events WHERE thread_id = ?');
    this.#compactRun = db.prepare<[string, number, number], { seq: number }>(
      "DELETE FROM events WHERE thread_id = ? AND seq > ? AND seq <= ? AND type = 'text.delta' RETURNING seq",
    );
    this.#dropThrough = db.prepare<[string, number]>('DELETE FROM events WHERE thread_id = ? AND seq < ?');
    this.#forgetItem = db.prepare<[string, number, string, string], { seq: number }>(
      `DELETE FROM events WHERE thread_id = ? AND seq >= ?
       AND ((type = 'text.delta' AND json_extract(json, '$.itemId') = ?)
         OR (type IN ('item.added', 'item.done') AND json_extract(json, '$.item.id') = ?))
       RETURNING seq`,
    );
  }

  /** Stores one event; `json` is its serialised form (written once, sent to clients as is). */
  append(event: ThreadEvent, json: string, createdAt: string): void {
    this.#insert.run(event.threadId, event.seq, event.type, json, createdAt);
  }

  /** The highest stored seq of the thread (0 when none is stored). */
  lastSeq(threadId: string): number {
    return this.#lastSeq.get(threadId)?.s ?? 0;
  }

  /** Every stored event of the thread with `seq > afterSeq`, in order (tests and tools; unbounded). */
  eventsSince(threadId: string, afterSeq: number): ThreadEvent[] {
    return this.#since.all(threadId, afterSeq).map((r) => JSON.parse(r.json) as ThreadEvent);
  }

  /** Like `eventsSince`, each with the time its batch was stored. */
  timedEventsSince(threadId: string, afterSeq: number): Array<{ event: ThreadEvent; createdAt: string }> {
    return this.#since.all(threadId, afterSeq).map((r) => ({ event: JSON.parse(r.json) as ThreadEvent, createdAt: r.created_at }));
  }

  /** At most `limit` stored events with `afterSeq < seq ≤ throughSeq`, in order, as stored JSON. */
  between(threadId: string, afterSeq: number, throughSeq: number, limit: number): Array<{ seq: number; json: string }> {
    return this.#sinceLimited.all(threadId, afterSeq, throughSeq, limit);
  }

  /**
   * Compacts a finished run: deletes its text deltas (`afterSeq < seq ≤ throughSeq`; its
   * item.done events hold the full text) and every event of the thread before the last of them,
   * which a resume can no longer reach (one from behind the compaction point gets the items).
   * What stays is what a client that saw the last delta still needs: the events after it.
   * Returns the highest seq deleted (the new compaction point), 0 when none was.
   */
  compactRun(threadId: string, afterSeq: number, throughSeq: number): number {
    const point = maxSeq(this.#compactRun.all(threadId, afterSeq, throughSeq));
    if (point > 0) this.#dropThrough.run(threadId, point);
    return point;
  }

  /**
   * Deletes every event that carried an item's text (item.added, text.delta, item.done) from
   * `fromSeq` on: an answer an output guardrail withdrew. Returns the highest seq deleted, 0 when none was.
   */
  forgetItem(threadId: string, itemId: string, fromSeq: number): number {
    return maxSeq(this.#forgetItem.all(threadId, fromSeq, itemId, itemId));
  }
}

function maxSeq(rows: ReadonlyArray<{ seq: number }>): number {
  let max = 0;
  for (const r of rows) if (r.seq > max) max = r.seq;
  return max;
}
