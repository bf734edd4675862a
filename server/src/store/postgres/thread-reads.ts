import type { Storage } from '../storage.ts';
import type { Queryable } from './pool.ts';
import { type ThreadRow, toThreadRecord } from '../rows.ts';

/** Thread reads, inserts and deletes on Postgres. */
export function postgresThreads(db: Queryable): Storage['threads'] {
  return {
    async get(id) {
      const { rows } = await db.query<ThreadRow>('SELECT * FROM threads WHERE id = $1', [id]);
      return rows[0] && toThreadRecord(rows[0]);
    },
    async listByOwner(owner, limit, cursor) {
      const { rows } = cursor
        ? await db.query<ThreadRow>(
            `SELECT * FROM threads WHERE owner = $1 AND (updated_at, id) < ($2, $3)
             ORDER BY updated_at DESC, id DESC LIMIT $4`,
            [owner, cursor.updatedAt, cursor.id, limit],
          )
        : await db.query<ThreadRow>('SELECT * FROM threads WHERE owner = $1 ORDER BY updated_at DESC, id DESC LIMIT $2', [owner, limit]);
      return rows.map(toThreadRecord);
    },
    async idsByOwner(owner) {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM threads WHERE owner = $1 ORDER BY created_at, id', [owner]);
      return rows.map((r) => r.id);
    },
    async idleSince(cutoff, limit) {
      const { rows } = await db.query<ThreadRow>('SELECT * FROM threads WHERE updated_at < $1 ORDER BY updated_at, id LIMIT $2', [cutoff, limit]);
      return rows.map(toThreadRecord);
    },
    async insert(t) {
      await db.query(
        `INSERT INTO threads (id, owner, workflow, title, current_agent, created_at, updated_at, last_seq, compacted_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [t.id, t.owner, t.workflow, t.title, t.currentAgent, t.createdAt, t.updatedAt, t.lastSeq, t.compactedSeq ?? 0],
      );
    },
    async delete(id) {
      await db.query('DELETE FROM threads WHERE id = $1', [id]);
    },
  };
}
