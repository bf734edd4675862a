import { type RunRow, toRunRecord } from '../rows.ts';
import type { Storage } from '../storage.ts';
import { POSTGRES_DIALECT, threadSearchRow, threadSearchSql } from '../thread-search.ts';
import type { Queryable } from './pool.ts';

/** The admin console's reads across threads, on Postgres. */
export function postgresReview(db: Queryable): Storage['review'] {
  return {
    async searchThreads(search) {
      const { sql, params } = threadSearchSql(search, POSTGRES_DIALECT);
      const { rows } = await db.query<Record<string, unknown>>(sql, params);
      return rows.map(threadSearchRow);
    },
    async decisions(threadId) {
      const { rows } = await db.query<{ call_id: string; approved: boolean; reason: string | null; decided_at: string }>(
        'SELECT call_id, approved, reason, decided_at FROM approvals WHERE thread_id = $1 ORDER BY decided_at, call_id',
        [threadId],
      );
      return rows.map((r) => ({ callId: r.call_id, approved: r.approved, ...(r.reason !== null ? { reason: r.reason } : {}), decidedAt: r.decided_at }));
    },
    async runsOf(threadId) {
      const { rows } = await db.query<RunRow>('SELECT * FROM runs WHERE thread_id = $1 ORDER BY started_at, id', [threadId]);
      return rows.map(toRunRecord);
    },
  };
}
