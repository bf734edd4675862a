import type { Item } from '@agent-chat/shared';
import type { Db } from './database.ts';

/** Items table: the current state of each item, projected from the event log. */
export class ItemStore {
  #insert;
  #update;
  #delete;
  #get;
  #maxPosition;
  #newest;
  #before;
  #all;
  #withStatus;
  #unfinished;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, number, string, string, string, string | null, string]>(
      'INSERT INTO items (thread_id, position, id, type, json, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#update = db.prepare<[string, string]>('UPDATE items SET json = ? WHERE id = ?');
    this.#delete = db.prepare<[string]>('DELETE FROM items WHERE id = ?');
    this.#get = db.prepare<[string, string], { json: string; position: number; run_id: string | null }>(
      'SELECT json, position, run_id FROM items WHERE thread_id = ? AND id = ?',
    );
    this.#maxPosition = db.prepare<[string], { p: number | null }>('SELECT MAX(position) AS p FROM items WHERE thread_id = ?');
    this.#newest = db.prepare<[string, number], { json: string }>(
      'SELECT json FROM items WHERE thread_id = ? ORDER BY position DESC LIMIT ?',
    );
    this.#before = db.prepare<[string, number, number], { json: string }>(
      'SELECT json FROM items WHERE thread_id = ? AND position < ? ORDER BY position DESC LIMIT ?',
    );
    this.#all = db.prepare<[string], { json: string }>('SELECT json FROM items WHERE thread_id = ? ORDER BY position');
    this.#withStatus = db.prepare<[string, string], { json: string }>(
      `SELECT json FROM items WHERE thread_id = ? AND type IN ('assistant_message', 'tool_call')
       AND json_extract(json, '$.status') = ? ORDER BY position`,
    );
    this.#unfinished = db.prepare<[string], { json: string }>(
      `SELECT json FROM items WHERE thread_id = ? AND type IN ('assistant_message', 'tool_call')
       AND json_extract(json, '$.status') IN ('in_progress', 'running') ORDER BY position`,
    );
  }

  insert(threadId: string, position: number, item: Item, runId: string | null, createdAt: string): void {
    this.#insert.run(threadId, position, item.id, item.type, JSON.stringify(item), runId, createdAt);
  }

  /** Replaces the stored state of an existing item. */
  update(item: Item): void {
    this.#update.run(JSON.stringify(item), item.id);
  }

  delete(itemId: string): void {
    this.#delete.run(itemId);
  }

  get(threadId: string, itemId: string): { item: Item; position: number; runId: string | null } | undefined {
    const row = this.#get.get(threadId, itemId);
    return row && { item: JSON.parse(row.json) as Item, position: row.position, runId: row.run_id };
  }

  /** Highest position used in the thread, 0 when it has no items. */
  maxPosition(threadId: string): number {
    return this.#maxPosition.get(threadId)?.p ?? 0;
  }

  /** The newest `limit` items, newest first. */
  newest(threadId: string, limit: number): Item[] {
    return this.#newest.all(threadId, limit).map(parse);
  }

  /** Up to `limit` items just before `position`, newest first. */
  before(threadId: string, position: number, limit: number): Item[] {
    return this.#before.all(threadId, position, limit).map(parse);
  }

  /** Every item of the thread, oldest first. */
  all(threadId: string): Item[] {
    return this.#all.all(threadId).map(parse);
  }

  /** Assistant messages and tool calls of the thread whose `status` is `status`, oldest first. */
  withStatus(threadId: string, status: 'in_progress' | 'running' | 'awaiting_approval'): Item[] {
    return this.#withStatus.all(threadId, status).map(parse);
  }

  /** Items still being written: assistant messages `in_progress` and tool calls `running`. */
  unfinished(threadId: string): Item[] {
    return this.#unfinished.all(threadId).map(parse);
  }
}

function parse(row: { json: string }): Item {
  return JSON.parse(row.json) as Item;
}
