import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage, type PostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import { createSqliteStorage, type SqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import type { Storage, UploadRecord } from '../../src/store/storage.ts';
import { createTestDatabase, stopTestPostgres } from '../helpers/postgres.ts';
import { insertItem, threadRecord, user, at } from '../helpers/storage-fixtures.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

// The uploads part of the storage seam, on both engines, with the bytes in the database and in
// an uploads directory.

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (text: string) => new TextEncoder().encode(text);

function upload(id: string, content: Uint8Array, over: Partial<UploadRecord> = {}): Omit<UploadRecord, 'itemId'> {
  return { id, owner: 'visitor:v1', name: `${id}.txt`, mime: 'text/plain', size: content.byteLength, sha256: sha(content), createdAt: at(1), ...over };
}

interface Opened {
  storage: Storage;
  /** Rows of `uploads` and `upload_blobs`, read from the engine's tables. */
  counts(): Promise<{ uploads: number; blobs: number }>;
  /** Files in the uploads directory (none without one). */
  files(): string[];
  dispose(): Promise<void>;
}

type Engine = { name: string; open(uploadsDir?: string): Promise<Opened> };

const engines: Engine[] = [
  {
    name: 'sqlite',
    async open(uploadsDir) {
      const dir = tempDataDir();
      const storage: SqliteStorage = createSqliteStorage(dir, { uploadsDir });
      const count = (table: string) => (storage.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      return {
        storage,
        counts: async () => ({ uploads: count('uploads'), blobs: count('upload_blobs') }),
        files: () => (uploadsDir ? readdirSync(uploadsDir) : []),
        dispose: async () => {
          await storage.close();
          removeDir(dir);
        },
      };
    },
  },
  {
    name: 'postgres',
    async open(uploadsDir) {
      const db = await createTestDatabase();
      const storage: PostgresStorage = await createPostgresStorage({ connectionString: db.url, maxConnections: 4, uploadsDir });
      const count = async (table: string) => Number((await storage.pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);
      return {
        storage,
        counts: async () => ({ uploads: await count('uploads'), blobs: await count('upload_blobs') }),
        files: () => (uploadsDir ? readdirSync(uploadsDir) : []),
        dispose: async () => {
          await storage.close();
          await db.drop();
        },
      };
    },
  },
];

describe.each(engines)('$name storage: uploads', (engine) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  afterAll(() => (engine.name === 'postgres' ? stopTestPostgres() : undefined));

  async function open(withDir: boolean): Promise<Opened & { dir: string | undefined }> {
    const dir = withDir ? tempDataDir() : undefined;
    if (dir) cleanup.push(() => removeDir(dir));
    const opened = await engine.open(dir);
    cleanup.push(() => opened.dispose());
    return { ...opened, dir };
  }

  /** A thread `t1` with user message `m1` stored in it. */
  async function threadWithMessage(storage: Storage, threadId = 't1', itemId = 'm1'): Promise<void> {
    await storage.threads.insert(threadRecord(threadId));
    await storage.apply([insertItem(threadId, 1, user(itemId))]);
  }

  for (const withDir of [false, true]) {
    const where = withDir ? 'in the uploads directory' : 'in the database';

    it(`stores a row and its bytes ${where}, reads them back, and shares the bytes of identical files`, async () => {
      const s = await open(withDir);
      const a = bytesOf('same bytes');
      await s.storage.uploads.create(upload('upl_a', a), a);
      await s.storage.uploads.create(upload('upl_b', a, { name: 'copy.txt' }), a);
      await s.storage.uploads.create(upload('upl_c', bytesOf('other'), { owner: 'visitor:v2' }), bytesOf('other'));

      expect(await s.storage.uploads.get('upl_a')).toEqual({ ...upload('upl_a', a), itemId: null });
      expect(await s.storage.uploads.get('upl_missing')).toBeUndefined();
      const read = await s.storage.uploads.read('upl_b');
      expect(read?.name).toBe('copy.txt');
      expect(new TextDecoder().decode(read?.bytes)).toBe('same bytes');
      expect(await s.storage.uploads.read('upl_missing')).toBeUndefined();
      expect(await s.storage.uploads.usedBytes('visitor:v1')).toBe(2 * a.byteLength);
      expect(await s.storage.uploads.usedBytes('visitor:nobody')).toBe(0);
      expect((await s.storage.uploads.ofOwner('visitor:v1')).map((u) => u.id)).toEqual(['upl_a', 'upl_b']);
      // Two rows, one copy of the bytes each place.
      expect(await s.counts()).toEqual({ uploads: 3, blobs: withDir ? 0 : 2 });
      expect(s.files().sort()).toEqual(withDir ? [sha(a), sha(bytesOf('other'))].sort() : []);
    });

    it(`deletes the bytes ${where} with the last row that refers to them`, async () => {
      const s = await open(withDir);
      const a = bytesOf('shared');
      await s.storage.uploads.create(upload('upl_a', a), a);
      await s.storage.uploads.create(upload('upl_b', a), a);
      expect(await s.storage.uploads.delete(['upl_a'])).toBe(1);
      expect(new TextDecoder().decode((await s.storage.uploads.read('upl_b'))?.bytes)).toBe('shared');
      expect(await s.counts()).toEqual({ uploads: 1, blobs: withDir ? 0 : 1 });
      expect(s.files()).toHaveLength(withDir ? 1 : 0);

      expect(await s.storage.uploads.delete(['upl_b'])).toBe(1);
      expect(await s.counts()).toEqual({ uploads: 0, blobs: 0 });
      expect(s.files()).toEqual([]);
      expect(await s.storage.uploads.delete([])).toBe(0);
    });

    it(`attaches uploads with the message's commit, once; the sweep and a thread delete see it (${where})`, async () => {
      const s = await open(withDir);
      await threadWithMessage(s.storage);
      await threadWithMessage(s.storage, 't2', 'm2');
      for (const id of ['upl_a', 'upl_b', 'upl_c']) await s.storage.uploads.create(upload(id, bytesOf(id)), bytesOf(id));

      await s.storage.apply([{ op: 'upload.attach', ids: ['upl_a', 'upl_b'], itemId: 'm1' }]);
      // Already sent: a second attach changes nothing.
      await s.storage.apply([{ op: 'upload.attach', ids: ['upl_a'], itemId: 'm2' }]);
      expect((await s.storage.uploads.get('upl_a'))?.itemId).toBe('m1');
      expect((await s.storage.uploads.unattachedBefore(at(2), 10)).map((u) => u.id)).toEqual(['upl_c']);
      expect(await s.storage.uploads.unattachedBefore(at(1), 10)).toEqual([]);
      // A sweep that raced a send leaves the sent file alone.
      expect(await s.storage.uploads.delete(['upl_a', 'upl_c'], { unattachedOnly: true })).toBe(1);
      expect((await s.storage.uploads.get('upl_a'))?.itemId).toBe('m1');

      await s.storage.uploads.create(upload('upl_d', bytesOf('in t2')), bytesOf('in t2'));
      await s.storage.apply([{ op: 'upload.attach', ids: ['upl_d'], itemId: 'm2' }]);
      await s.storage.threads.delete('t1');
      expect(await s.storage.uploads.get('upl_a')).toBeUndefined();
      expect(await s.storage.uploads.get('upl_b')).toBeUndefined();
      expect((await s.storage.uploads.get('upl_d'))?.itemId).toBe('m2');
      expect(await s.counts()).toEqual({ uploads: 1, blobs: withDir ? 0 : 1 });
      expect(s.files()).toEqual(withDir ? [sha(bytesOf('in t2'))] : []);
    });
  }

  it('deletes every upload of one owner and no one else’s', async () => {
    const s = await open(false);
    await s.storage.uploads.create(upload('upl_a', bytesOf('a')), bytesOf('a'));
    await s.storage.uploads.create(upload('upl_b', bytesOf('b')), bytesOf('b'));
    await s.storage.uploads.create(upload('upl_c', bytesOf('b'), { owner: 'visitor:v2' }), bytesOf('b'));
    expect(await s.storage.uploads.deleteOfOwner('visitor:v1')).toBe(2);
    expect(await s.counts()).toEqual({ uploads: 1, blobs: 1 });
    expect(new TextDecoder().decode((await s.storage.uploads.read('upl_c'))?.bytes)).toBe('b');
  });

  it('a storage with an uploads directory also reads bytes kept in the database (instances configured either way)', async () => {
    const dir = tempDataDir();
    cleanup.push(() => removeDir(dir));
    if (engine.name === 'sqlite') {
      const data = tempDataDir();
      cleanup.push(() => removeDir(data));
      const plain = createSqliteStorage(data);
      await plain.uploads.create(upload('upl_db', bytesOf('from the database')), bytesOf('from the database'));
      await plain.close();
      const withDir = createSqliteStorage(data, { uploadsDir: dir });
      cleanup.push(() => withDir.close());
      expect(new TextDecoder().decode((await withDir.uploads.read('upl_db'))?.bytes)).toBe('from the database');
      await withDir.uploads.create(upload('upl_file', bytesOf('from a file')), bytesOf('from a file'));
      expect(readdirSync(dir)).toEqual([sha(bytesOf('from a file'))]);
      expect(new TextDecoder().decode((await withDir.uploads.read('upl_file'))?.bytes)).toBe('from a file');
      return;
    }
    // Postgres: two instances on one database, one keeping bytes in the database, one in the directory.
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const inDb = await createPostgresStorage({ connectionString: db.url, maxConnections: 2 });
    cleanup.push(() => inDb.close());
    const inDir = await createPostgresStorage({ connectionString: db.url, maxConnections: 2, uploadsDir: dir });
    cleanup.push(() => inDir.close());
    await inDb.uploads.create(upload('upl_db', bytesOf('from the database')), bytesOf('from the database'));
    await inDir.uploads.create(upload('upl_file', bytesOf('from a file')), bytesOf('from a file'));
    expect(new TextDecoder().decode((await inDir.uploads.read('upl_db'))?.bytes)).toBe('from the database');
    expect(readdirSync(dir)).toEqual([sha(bytesOf('from a file'))]);
    // Deleted through the instance that keeps files: the row, and with it the file.
    expect(await inDir.uploads.delete(['upl_file'])).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});
