import type { Storage } from '../storage.ts';
import type { Queryable } from './pool.ts';

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
  };
}
