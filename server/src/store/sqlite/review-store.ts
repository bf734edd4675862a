import type { RunRecord, StoredDecision } from '../records.ts';
import { type RunRow, toRunRecord } from '../rows.ts';
import { SQLITE_DIALECT, type ThreadSearch, type ThreadSearchRow, threadSearchRow, threadSearchSql } from '../thread-search.ts';
import type { Db } from './database.ts';

/** The admin console's reads across threads, in SQLite. */
export class ReviewStore {
  #db: Db;
  #decisions;
  #runsOf;

  constructor(db: Db) {
    this.#db = db;
    this.#runsOf = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE thread_id = ? ORDER BY started_at, id');
    this.#decisions = db.prepare<[string], { call_id: string; approved: number; reason: string | null; decided_at: string }>(
      'SELECT call_id, approved, reason, decided_at FROM approvals WHERE thread_id = ? ORDER BY decided_at, call_id',
    );
  }

  /** Threads matching the search (the statement differs per filter set, so it is prepared per call). */
  searchThreads(search: ThreadSearch): ThreadSearchRow[] {
    const { sql, params } = threadSearchSql(search, SQLITE_DIALECT);
    return this.#db.prepare<unknown[], Record<string, unknown>>(sql).all(...params).map(threadSearchRow);
  }

  decisions(threadId: string): Array<StoredDecision & { decidedAt: string }> {
    return this.#decisions.all(threadId).map((r) => ({
      callId: r.call_id,
      approved: r.approved === 1,
      ...(r.reason !== null ? { reason: r.reason } : {}),
      decidedAt: r.decided_at,
    }));
  }

  runsOf(threadId: string): RunRecord[] {
    return this.#runsOf.all(threadId).map(toRunRecord);
  }
}
