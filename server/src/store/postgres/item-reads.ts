import type { Item } from '@agent-chat/shared';
import type { ItemReads } from '../storage.ts';
import type { Queryable } from './pool.ts';

const parse = (r: { json: string }): Item => JSON.parse(r.json) as Item;

/** Item reads on Postgres (the items table is the projection of the event log). */
export function postgresItems(db: Queryable): ItemReads {
  const items = async (sql: string, params: unknown[]): Promise<Item[]> => (await db.query<{ json: string }>(sql, params)).rows.map(parse);
  return {
    async get(threadId, itemId) {
      const { rows } = await db.query<{ json: string; position: number; run_id: string | null }>(
        'SELECT json, position, run_id FROM items WHERE thread_id = $1 AND id = $2',
        [threadId, itemId],
      );
      const row = rows[0];
      return row && { item: parse(row), position: row.position, runId: row.run_id };
    },
    async maxPosition(threadId) {
      const { rows } = await db.query<{ p: number | null }>('SELECT MAX(position) AS p FROM items WHERE thread_id = $1', [threadId]);
      return rows[0]?.p ?? 0;
    },
    newest: (threadId, limit) => items('SELECT json FROM items WHERE thread_id = $1 ORDER BY position DESC LIMIT $2', [threadId, limit]),
    before: (threadId, position, limit) =>
      items('SELECT json FROM items WHERE thread_id = $1 AND position < $2 ORDER BY position DESC LIMIT $3', [threadId, position, limit]),
    all: (threadId) => items('SELECT json FROM items WHERE thread_id = $1 ORDER BY position', [threadId]),
    withStatus: (threadId, status) =>
      items(
        `SELECT json FROM items WHERE thread_id = $1 AND type IN ('assistant_message', 'tool_call')
         AND json::jsonb ->> 'status' = $2 ORDER BY position`,
        [threadId, status],
      ),
    unfinished: (threadId) =>
      items(
        `SELECT json FROM items WHERE thread_id = $1 AND type IN ('assistant_message', 'tool_call')
         AND json::jsonb ->> 'status' IN ('in_progress', 'running') ORDER BY position`,
        [threadId],
      ),
  };
}
