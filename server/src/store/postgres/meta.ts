import type { Storage } from '../storage.ts';
import type { Queryable } from './pool.ts';

/** The meta row `checkWritable` writes (every instance the same one). */
const READY_CHECK_KEY = 'ready_check';

/** Server-wide settings on Postgres, shared by every instance on the database. */
export function postgresMeta(db: Queryable): Storage['meta'] {
  const get = async (key: string): Promise<string | undefined> =>
    (await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value;
  return {
    get,
    async getOrCreate(key, create) {
      const existing = await get(key);
      if (existing !== undefined) return existing;
      // Two instances may both get here: the first insert wins, and both read back its value.
      await db.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, create()]);
      const stored = await get(key);
      if (stored === undefined) throw new Error(`meta.getOrCreate: ${key} was not stored`);
      return stored;
    },
    async checkWritable(at) {
      // One statement: it writes, and RETURNING reads what was written.
      const { rows } = await db.query<{ value: string }>(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING value',
        [READY_CHECK_KEY, at],
      );
      if (rows[0]?.value !== at) throw new Error('meta.checkWritable: the value written was not read back');
    },
  };
}
