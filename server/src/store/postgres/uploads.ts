import type pg from 'pg';
import type { UploadRecord } from '../records.ts';
import { type UploadRow, toUploadRecord } from '../rows.ts';
import type { UploadStore } from '../storage.ts';
import type { UploadFiles } from '../upload-files.ts';
import { inTransaction, type Queryable } from './pool.ts';

/**
 * Deletes upload rows inside a transaction and returns the hashes left without a row, whose
 * blob rows it deletes too. Each such blob row is locked before its references are counted, and
 * `create` locks it as well (an upsert), so a new upload sharing the hash either commits first
 * (and is counted) or finds the blob gone and stores it again.
 */
export async function deleteUploadRows(client: pg.PoolClient, where: string, params: unknown[]): Promise<{ count: number; orphans: string[] }> {
  const { rows } = await client.query<{ sha256: string }>(`DELETE FROM uploads WHERE ${where} RETURNING sha256`, params);
  const hashes = [...new Set(rows.map((r) => r.sha256))].sort();
  const orphans: string[] = [];
  for (const sha of hashes) {
    await client.query('SELECT 1 FROM upload_blobs WHERE sha256 = $1 FOR UPDATE', [sha]);
    const { rows: refs } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM uploads WHERE sha256 = $1', [sha]);
    if (Number(refs[0]?.n ?? 0) > 0) continue;
    await client.query('DELETE FROM upload_blobs WHERE sha256 = $1', [sha]);
    orphans.push(sha);
  }
  return { count: rows.length, orphans };
}

/** Removes the files of hashes that lost their last row (checked again: a new upload may share one). */
export async function removeUploadFiles(db: Queryable, files: UploadFiles | undefined, orphans: readonly string[]): Promise<void> {
  if (!files) return;
  for (const sha of orphans) {
    const { rows } = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM uploads WHERE sha256 = $1', [sha]);
    if (Number(rows[0]?.n ?? 0) === 0) await files.remove(sha);
  }
}

/** Uploaded files on Postgres: bytes in `upload_blobs`, or in the uploads directory when given. */
export function postgresUploads(pool: pg.Pool, files: UploadFiles | undefined): UploadStore {
  const remove = async (where: string, params: unknown[]): Promise<number> => {
    const { count, orphans } = await inTransaction(pool, (client) => deleteUploadRows(client, where, params));
    await removeUploadFiles(pool, files, orphans);
    return count;
  };
  return {
    async create(upload, bytes) {
      if (files) await files.write(upload.sha256, bytes);
      await inTransaction(pool, async (client) => {
        if (!files) {
          // An upsert, not DO NOTHING: it locks the blob row against a delete of its last reference.
          await client.query(
            'INSERT INTO upload_blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO UPDATE SET sha256 = EXCLUDED.sha256',
            [upload.sha256, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
          );
        }
        await client.query('INSERT INTO uploads (id, owner, name, mime, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          upload.id,
          upload.owner,
          upload.name,
          upload.mime,
          upload.size,
          upload.sha256,
          upload.createdAt,
        ]);
      });
      // A delete of the last other row with this hash may have removed the file meanwhile.
      if (files && !(await files.has(upload.sha256))) await files.write(upload.sha256, bytes);
    },
    async get(id) {
      const { rows } = await pool.query<UploadRow>('SELECT * FROM uploads WHERE id = $1', [id]);
      return rows[0] && toUploadRecord(rows[0]);
    },
    async read(id) {
      const { rows } = await pool.query<UploadRow & { bytes: Buffer | null }>(
        'SELECT u.*, b.bytes FROM uploads u LEFT JOIN upload_blobs b ON b.sha256 = u.sha256 WHERE u.id = $1',
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      // Either place: instances may be configured either way.
      const bytes = row.bytes ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : await files?.read(row.sha256);
      return bytes && { name: row.name, mime: row.mime, bytes };
    },
    async usedBytes(owner) {
      const { rows } = await pool.query<{ used: string }>('SELECT COALESCE(SUM(size), 0) AS used FROM uploads WHERE owner = $1', [owner]);
      return Number(rows[0]?.used ?? 0);
    },
    async ofOwner(owner) {
      const { rows } = await pool.query<UploadRow>('SELECT * FROM uploads WHERE owner = $1 ORDER BY created_at, id', [owner]);
      return rows.map(toUploadRecord);
    },
    async unattachedBefore(cutoff, limit) {
      const { rows } = await pool.query<UploadRow>(
        'SELECT * FROM uploads WHERE item_id IS NULL AND created_at < $1 ORDER BY created_at, id LIMIT $2',
        [cutoff, limit],
      );
      return rows.map(toUploadRecord);
    },
    delete: (ids, options) =>
      ids.length === 0
        ? Promise.resolve(0)
        : remove(options?.unattachedOnly ? 'id = ANY($1::text[]) AND item_id IS NULL' : 'id = ANY($1::text[])', [ids]),
    deleteOfOwner: (owner) => remove('owner = $1', [owner]),
  };
}
