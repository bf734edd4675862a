import type { UploadRecord } from '../records.ts';
import { type UploadRow, toUploadRecord } from '../rows.ts';
import type { Db } from './database.ts';

/**
 * The `uploads` and `upload_blobs` tables, through prepared statements (synchronous). The
 * deletes return the hashes no row refers to any more: their blob rows are already gone, and
 * the caller removes the files of the uploads directory, if any.
 */
export class UploadStore {
  #insert;
  #insertBlob;
  #get;
  #blob;
  #used;
  #ofOwner;
  #unsent;
  #attach;
  #references;
  #deleteBlob;
  #idsOfThread;
  #idsOfOwner;
  #deleteMany;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, string, number, string, string]>(
      'INSERT INTO uploads (id, owner, name, mime, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertBlob = db.prepare<[string, Uint8Array]>('INSERT INTO upload_blobs (sha256, bytes) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING');
    this.#get = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?');
    this.#blob = db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM upload_blobs WHERE sha256 = ?');
    this.#used = db.prepare<[string], { used: number }>('SELECT COALESCE(SUM(size), 0) AS used FROM uploads WHERE owner = ?');
    this.#ofOwner = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE owner = ? ORDER BY created_at, id');
    this.#unsent = db.prepare<[string, number], UploadRow>(
      'SELECT * FROM uploads WHERE item_id IS NULL AND created_at < ? ORDER BY created_at, id LIMIT ?',
    );
    this.#attach = db.prepare<[string, string]>('UPDATE uploads SET item_id = ? WHERE id = ? AND item_id IS NULL');
    this.#references = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM uploads WHERE sha256 = ?');
    this.#deleteBlob = db.prepare<[string]>('DELETE FROM upload_blobs WHERE sha256 = ?');
    this.#idsOfThread = db.prepare<[string], { id: string }>(
      'SELECT id FROM uploads WHERE item_id IN (SELECT id FROM items WHERE thread_id = ?)',
    );
    this.#idsOfOwner = db.prepare<[string], { id: string }>('SELECT id FROM uploads WHERE owner = ?');
    this.#deleteMany = db.prepare<[string, number], { sha256: string }>(
      'DELETE FROM uploads WHERE id IN (SELECT value FROM json_each(?)) AND (? = 0 OR item_id IS NULL) RETURNING sha256',
    );
  }

  /** Inserts the row, and the bytes unless they are kept as a file (`bytes` null). */
  insert(upload: Omit<UploadRecord, 'itemId'>, bytes: Uint8Array | null): void {
    if (bytes) this.#insertBlob.run(upload.sha256, bytes);
    this.#insert.run(upload.id, upload.owner, upload.name, upload.mime, upload.size, upload.sha256, upload.createdAt);
  }

  get(id: string): UploadRecord | undefined {
    const row = this.#get.get(id);
    return row && toUploadRecord(row);
  }

  /** The bytes kept in the database for this hash. */
  blob(sha256: string): Uint8Array | undefined {
    const row = this.#blob.get(sha256);
    return row && new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  }

  usedBytes(owner: string): number {
    return this.#used.get(owner)?.used ?? 0;
  }

  ofOwner(owner: string): UploadRecord[] {
    return this.#ofOwner.all(owner).map(toUploadRecord);
  }

  unattachedBefore(cutoff: string, limit: number): UploadRecord[] {
    return this.#unsent.all(cutoff, limit).map(toUploadRecord);
  }

  attach(ids: readonly string[], itemId: string): void {
    for (const id of ids) this.#attach.run(itemId, id);
  }

  references(sha256: string): number {
    return this.#references.get(sha256)?.n ?? 0;
  }

  /** Deletes the rows; returns the hashes left without a row (their blobs deleted too). */
  delete(ids: readonly string[], unattachedOnly: boolean): { count: number; orphans: string[] } {
    if (ids.length === 0) return { count: 0, orphans: [] };
    const hashes = this.#deleteMany.all(JSON.stringify(ids), unattachedOnly ? 1 : 0).map((r) => r.sha256);
    const orphans = [...new Set(hashes)].filter((sha) => this.references(sha) === 0);
    for (const sha of orphans) this.#deleteBlob.run(sha);
    return { count: hashes.length, orphans };
  }

  /** Deletes the files sent in one thread (before the thread and its items go). */
  deleteOfThread(threadId: string): string[] {
    return this.delete(this.#idsOfThread.all(threadId).map((r) => r.id), false).orphans;
  }

  deleteOfOwner(owner: string): { count: number; orphans: string[] } {
    return this.delete(this.#idsOfOwner.all(owner).map((r) => r.id), false);
  }
}
