import type { AcceptedMessage, StoredDecision, StoredFeedback } from '../records.ts';
import type { Db } from './database.ts';

/** `message.send` idempotency: (thread, clientMessageId) → the item and run it created. */
export class ClientMessageStore {
  #insert;
  #get;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO client_messages (thread_id, client_message_id, item_id, run_id, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#get = db.prepare<[string, string], { item_id: string; run_id: string }>(
      'SELECT item_id, run_id FROM client_messages WHERE thread_id = ? AND client_message_id = ?',
    );
  }

  insert(threadId: string, clientMessageId: string, accepted: AcceptedMessage, createdAt: string): void {
    this.#insert.run(threadId, clientMessageId, accepted.itemId, accepted.runId, createdAt);
  }

  get(threadId: string, clientMessageId: string): AcceptedMessage | undefined {
    const row = this.#get.get(threadId, clientMessageId);
    return row && { itemId: row.item_id, runId: row.run_id };
  }
}


/** Approval decisions, kept until every pending call of the thread is decided. */
export class ApprovalStore {
  #upsert;
  #forThread;
  #clear;

  constructor(db: Db) {
    this.#clear = db.prepare<[string]>('DELETE FROM approvals WHERE thread_id = ?');
    this.#upsert = db.prepare<[string, string, number, string | null, string]>(
      `INSERT INTO approvals (thread_id, call_id, approved, reason, decided_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (thread_id, call_id) DO UPDATE SET approved = excluded.approved, reason = excluded.reason,
       decided_at = excluded.decided_at`,
    );
    this.#forThread = db.prepare<[string], { call_id: string; approved: number; reason: string | null }>(
      'SELECT call_id, approved, reason FROM approvals WHERE thread_id = ?',
    );
  }

  /** Records (or replaces) the decision for a call. */
  decide(threadId: string, decision: StoredDecision, decidedAt: string): void {
    this.#upsert.run(threadId, decision.callId, decision.approved ? 1 : 0, decision.reason ?? null, decidedAt);
  }

  /** Forgets every decision of the thread. */
  clear(threadId: string): void {
    this.#clear.run(threadId);
  }

  /** Every decision recorded for the thread, keyed by call id. */
  forThread(threadId: string): Map<string, StoredDecision> {
    const out = new Map<string, StoredDecision>();
    for (const r of this.#forThread.all(threadId)) {
      out.set(r.call_id, { callId: r.call_id, approved: r.approved === 1, ...(r.reason !== null ? { reason: r.reason } : {}) });
    }
    return out;
  }
}

/** Thumbs up/down on an item; a second rating of the same item replaces the first. */
export class FeedbackStore {
  #upsert;
  #forThread;
  #threadsRated;

  constructor(db: Db) {
    this.#threadsRated = db.prepare<[string, number], { thread_id: string }>(
      'SELECT thread_id FROM feedback WHERE rating = ? GROUP BY thread_id ORDER BY MAX(created_at) DESC, thread_id LIMIT ?',
    );
    this.#forThread = db.prepare<[string], { item_id: string; rating: string; comment: string | null; created_at: string }>(
      'SELECT item_id, rating, comment, created_at FROM feedback WHERE thread_id = ? ORDER BY created_at, item_id',
    );
    this.#upsert = db.prepare<[string, string, string, string | null, string]>(
      `INSERT INTO feedback (thread_id, item_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (thread_id, item_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
       created_at = excluded.created_at`,
    );
  }

  save(threadId: string, itemId: string, rating: 'up' | 'down', comment: string | undefined, createdAt: string): void {
    this.#upsert.run(threadId, itemId, rating, comment ?? null, createdAt);
  }

  /** The threads with an item rated so, most recently rated first. */
  threadsRated(rating: 'up' | 'down', limit: number): string[] {
    return this.#threadsRated.all(rating, limit).map((r) => r.thread_id);
  }

  /** Every rating given in the thread, oldest first (a user's data export). */
  forThread(threadId: string): StoredFeedback[] {
    return this.#forThread.all(threadId).map((r) => ({
      itemId: r.item_id,
      rating: r.rating === 'down' ? 'down' : 'up',
      ...(r.comment !== null ? { comment: r.comment } : {}),
      createdAt: r.created_at,
    }));
  }
}


/** Small server-wide key/value settings (e.g. the generated token secret). */
export class MetaStore {
  #get;
  #insert;
  #put;

  constructor(db: Db) {
    this.#get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.#insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
    this.#put = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get(key: string): string | undefined {
    return this.#get.get(key)?.value;
  }

  /** The stored value, or `create()`'s value stored now. */
  getOrCreate(key: string, create: () => string): string {
    const existing = this.get(key);
    if (existing !== undefined) return existing;
    // OR IGNORE: a value another writer stored first wins, and both read it back.
    this.#insert.run(key, create());
    return this.get(key)!;
  }

  /** Writes `at` under the readiness key and reads it back; throws when the write did not happen. */
  checkWritable(at: string): void {
    this.#put.run(READY_CHECK_KEY, at);
    if (this.get(READY_CHECK_KEY) !== at) throw new Error('meta.checkWritable: the value written was not read back');
  }
}

/** The meta row `checkWritable` writes. */
const READY_CHECK_KEY = 'ready_check';
