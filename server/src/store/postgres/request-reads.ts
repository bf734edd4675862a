import type { Storage, StoredDecision, StoredFeedback } from '../storage.ts';
import type { Queryable } from './pool.ts';

/** `message.send` idempotency reads on Postgres. */
export function postgresClientMessages(db: Queryable): Storage['clientMessages'] {
  return {
    async get(threadId, clientMessageId) {
      const { rows } = await db.query<{ item_id: string; run_id: string }>(
        'SELECT item_id, run_id FROM client_messages WHERE thread_id = $1 AND client_message_id = $2',
        [threadId, clientMessageId],
      );
      return rows[0] && { itemId: rows[0].item_id, runId: rows[0].run_id };
    },
  };
}

/** Approval decisions on Postgres. */
export function postgresApprovals(db: Queryable): Storage['approvals'] {
  return {
    async forThread(threadId) {
      const { rows } = await db.query<{ call_id: string; approved: boolean; reason: string | null }>(
        'SELECT call_id, approved, reason FROM approvals WHERE thread_id = $1 ORDER BY call_id',
        [threadId],
      );
      const out = new Map<string, StoredDecision>();
      for (const r of rows) out.set(r.call_id, { callId: r.call_id, approved: r.approved, ...(r.reason !== null ? { reason: r.reason } : {}) });
      return out;
    },
  };
}

/** Ratings on Postgres; a second rating of the same item replaces the first. */
export function postgresFeedback(db: Queryable): Storage['feedback'] {
  return {
    async save(threadId, itemId, rating, comment, createdAt) {
      await db.query(
        `INSERT INTO feedback (thread_id, item_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (thread_id, item_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment,
         created_at = EXCLUDED.created_at`,
        [threadId, itemId, rating, comment ?? null, createdAt],
      );
    },
    async threadsRated(rating, limit) {
      const { rows } = await db.query<{ thread_id: string }>(
        'SELECT thread_id FROM feedback WHERE rating = $1 GROUP BY thread_id ORDER BY MAX(created_at) DESC, thread_id LIMIT $2',
        [rating, limit],
      );
      return rows.map((r) => r.thread_id);
    },
    async forThread(threadId) {
      const { rows } = await db.query<{ item_id: string; rating: string; comment: string | null; created_at: string }>(
        'SELECT item_id, rating, comment, created_at FROM feedback WHERE thread_id = $1 ORDER BY created_at, item_id',
        [threadId],
      );
      return rows.map(
        (r): StoredFeedback => ({
          itemId: r.item_id,
          rating: r.rating === 'down' ? 'down' : 'up',
          ...(r.comment !== null ? { comment: r.comment } : {}),
          createdAt: r.created_at,
        }),
      );
    },
  };
}
