import type { ThreadEvent } from '@agent-chat/shared';
import type { Db } from './database.ts';

/** Events table: the per-thread, seq-numbered log that clients replay on resume. */
export class EventStore {
  #insert;
  #since;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, number, string, string, string]>(
      'INSERT INTO events (thread_id, seq, type, json, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#since = db.prepare<[string, number], { json: string }>(
      'SELECT json FROM events WHERE thread_id = ? AND seq > ? ORDER BY seq',
    );
  }

  append(event: ThreadEvent, createdAt: string): void {
    this.#insert.run(event.threadId, event.seq, event.type, JSON.stringify(event), createdAt);
  }

  /** Every stored event of the thread with `seq > afterSeq`, in order. */
  eventsSince(threadId: string, afterSeq: number): ThreadEvent[] {
    return this.#since.all(threadId, afterSeq).map((r) => JSON.parse(r.json) as ThreadEvent);
  }
}
