import type { Storage } from '../storage.ts';
import type { Queryable } from './pool.ts';

/**
 * Daily usage counters on Postgres. Increments are single upserts that add to the stored row,
 * so instances counting at once never lose each other's increments.
 */
export function postgresUsage(db: Queryable): Storage['usage'] {
  return {
    async addTokens(scope, key, day, tokens) {
      if (!(tokens > 0)) return;
      await db.query(
        `INSERT INTO usage_counters (scope, key, day, tokens) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope, key, day) DO UPDATE SET tokens = usage_counters.tokens + EXCLUDED.tokens`,
        [scope, key, day, Math.round(tokens)],
      );
    },
    async countThread(scope, key, day) {
      await db.query(
        `INSERT INTO usage_counters (scope, key, day, threads) VALUES ($1, $2, $3, 1)
         ON CONFLICT (scope, key, day) DO UPDATE SET threads = usage_counters.threads + 1`,
        [scope, key, day],
      );
    },
    async on(scope, key, day) {
      // bigint arrives as a string from pg; a day's tokens stay far below 2^53.
      const { rows } = await db.query<{ tokens: string; threads: number }>(
        'SELECT tokens, threads FROM usage_counters WHERE scope = $1 AND key = $2 AND day = $3',
        [scope, key, day],
      );
      const row = rows[0];
      return row ? { tokens: Number(row.tokens), threads: row.threads } : { tokens: 0, threads: 0 };
    },
    async pruneBefore(day) {
      return (await db.query('DELETE FROM usage_counters WHERE day < $1', [day])).rowCount ?? 0;
    },
    async countRunStart(keys, at) {
      if (keys.length === 0) return;
      await db.query('INSERT INTO run_starts (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k', [keys, at]);
    },
    async runStarts(key, since) {
      const { rows } = await db.query<{ at: string }>('SELECT at FROM run_starts WHERE key = $1 AND at > $2 ORDER BY at', [key, since]);
      return rows.map((r) => r.at);
    },
    async pruneRunStartsBefore(before) {
      return (await db.query('DELETE FROM run_starts WHERE at < $1', [before])).rowCount ?? 0;
    },
  };
}
