import type { ThreadCursor, ThreadRecord } from '../records.ts';
import type { Db } from './database.ts';
import { type ThreadRow, toThreadRecord } from '../rows.ts';

/** Threads table, through prepared statements. */
export class ThreadStore {
  #insert;
  #get;
  #firstPage;
  #nextPage;
  #touch;
  #setTitle;
  #setAgent;
  #retitle;
  #compacted;
  #delete;
  #idsByOwner;
  #idleSince;

  constructor(db: Db) {
    this.#idleSince = db.prepare<[string, number], ThreadRow>('SELECT * FROM threads WHERE updated_at < ? ORDER BY updated_at, id LIMIT ?');
    this.#insert = db.prepare(
      `INSERT INTO threads (id, owner, workflow, title, current_agent, created_at, updated_at, last_seq)
       VALUES (@id, @owner, @workflow, @title, @currentAgent, @createdAt, @updatedAt, @lastSeq)`,
    );
    this.#get = db.prepare<[string], ThreadRow>('SELECT * FROM threads WHERE id = ?');
    this.#firstPage = db.prepare<[string, number], ThreadRow>(
      'SELECT * FROM threads WHERE owner = ? ORDER BY updated_at DESC, id DESC LIMIT ?',
    );
    this.#nextPage = db.prepare<[string, string, string, string, number], ThreadRow>(
      `SELECT * FROM threads WHERE owner = ? AND (updated_at < ? OR (updated_at = ? AND id < ?))
       ORDER BY updated_at DESC, id DESC LIMIT ?`,
    );
    this.#touch = db.prepare<[number, string, string]>('UPDATE threads SET last_seq = MAX(last_seq, ?), updated_at = ? WHERE id = ?');
    this.#setTitle = db.prepare<[string, string]>("UPDATE threads SET title = ? WHERE id = ? AND title = ''");
    this.#setAgent = db.prepare<[string, string]>('UPDATE threads SET current_agent = ? WHERE id = ?');
    this.#retitle = db.prepare<[string, string, string]>('UPDATE threads SET title = ? WHERE id = ? AND title = ?');
    this.#compacted = db.prepare<[number, string]>('UPDATE threads SET compacted_seq = MAX(compacted_seq, ?) WHERE id = ?');
    this.#delete = db.prepare<[string]>('DELETE FROM threads WHERE id = ?');
    this.#idsByOwner = db.prepare<[string], { id: string }>('SELECT id FROM threads WHERE owner = ? ORDER BY created_at, id');
  }

  insert(thread: ThreadRecord): void {
    this.#insert.run(thread);
  }

  get(id: string): ThreadRecord | undefined {
    const row = this.#get.get(id);
    return row && toThreadRecord(row);
  }

  /** The owner's threads, newest `updatedAt` first, starting after `cursor`. */
  listByOwner(owner: string, limit: number, cursor?: ThreadCursor): ThreadRecord[] {
    const rows = cursor
      ? this.#nextPage.all(owner, cursor.updatedAt, cursor.updatedAt, cursor.id, limit)
      : this.#firstPage.all(owner, limit);
    return rows.map(toThreadRecord);
  }

  /** Records the newest committed seq (never moves back) and bumps `updatedAt`. */
  touch(id: string, lastSeq: number, updatedAt: string): void {
    this.#touch.run(lastSeq, updatedAt, id);
  }

  /** Sets the title only while it is still empty (the first user message names the thread). */
  setTitleIfEmpty(id: string, title: string): void {
    this.#setTitle.run(title, id);
  }

  /** Replaces the title only if it is still `from` (the first message was rewritten, e.g. redacted). */
  retitle(id: string, from: string, to: string): void {
    this.#retitle.run(to, id, from);
  }

  /** Records that events up to `seq` may be missing from the log (never moves back). */
  markCompacted(id: string, seq: number): void {
    this.#compacted.run(seq, id);
  }

  setCurrentAgent(id: string, agent: string): void {
    this.#setAgent.run(agent, id);
  }

  /** Every thread id of one owner, oldest first. */
  idsByOwner(owner: string): string[] {
    return this.#idsByOwner.all(owner).map((r) => r.id);
  }

  /** Threads not updated since `cutoff` (ISO 8601), oldest first, at most `limit` (retention). */
  idleSince(cutoff: string, limit: number): ThreadRecord[] {
    return this.#idleSince.all(cutoff, limit).map(toThreadRecord);
  }

  /** Deletes the thread and, by cascade, its items, events, runs and the rest. */
  delete(id: string): void {
    this.#delete.run(id);
  }
}
