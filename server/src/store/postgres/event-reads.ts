import type { ThreadEvent } from '@agent-chat/shared';
import type { EventReads } from '../storage.ts';
import type { Queryable } from './pool.ts';

/** Event log reads on Postgres; `json` comes back byte for byte as it was stored. */
export function postgresEvents(db: Queryable): EventReads {
  return {
    async lastSeq(threadId) {
      const { rows } = await db.query<{ s: number | null }>('SELECT MAX(seq) AS s FROM events WHERE thread_id = $1', [threadId]);
      return rows[0]?.s ?? 0;
    },
    async between(threadId, afterSeq, throughSeq, limit) {
      // The bounds are compared as bigint: a caller may pass any safe integer, beyond seq's range.
      const { rows } = await db.query<{ seq: number; json: string }>(
        'SELECT seq, json FROM events WHERE thread_id = $1 AND seq > $2::bigint AND seq <= $3::bigint ORDER BY seq LIMIT $4',
        [threadId, afterSeq, throughSeq, limit],
      );
      return rows;
    },
    async since(threadId, afterSeq) {
      const { rows } = await db.query<{ json: string }>('SELECT json FROM events WHERE thread_id = $1 AND seq > $2::bigint ORDER BY seq', [threadId, afterSeq]);
      return rows.map((r) => JSON.parse(r.json) as ThreadEvent);
    },
    async timedSince(threadId, afterSeq) {
      const { rows } = await db.query<{ json: string; created_at: string }>(
        'SELECT json, created_at FROM events WHERE thread_id = $1 AND seq > $2::bigint ORDER BY seq',
        [threadId, afterSeq],
      );
      return rows.map((r) => ({ event: JSON.parse(r.json) as ThreadEvent, createdAt: r.created_at }));
    },
  };
}
