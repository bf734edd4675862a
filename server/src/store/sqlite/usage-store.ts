import type { DailyUsage, UsageScope } from '../records.ts';
import type { Db } from './database.ts';

/**
 * Daily usage counters (model tokens, new threads) per identity and per site, kept in SQLite
 * so a restart does not hand out a fresh budget. `day` is a UTC date, `YYYY-MM-DD`.
 */
export class UsageStore {
  #addTokens;
  #addThread;
  #get;
  #prune;
  #countStart;
  #starts;
  #pruneStarts;

  constructor(db: Db) {
    this.#countStart = db.prepare<[string, string]>('INSERT INTO run_starts (key, at) VALUES (?, ?)');
    this.#starts = db.prepare<[string, string], { at: string }>('SELECT at FROM run_starts WHERE key = ? AND at > ? ORDER BY at');
    this.#pruneStarts = db.prepare<[string]>('DELETE FROM run_starts WHERE at < ?');
    this.#addTokens = db.prepare<[string, string, string, number]>(
      `INSERT INTO usage_counters (scope, key, day, tokens) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope, key, day) DO UPDATE SET tokens = tokens + excluded.tokens`,
    );
    this.#addThread = db.prepare<[string, string, string]>(
      `INSERT INTO usage_counters (scope, key, day, threads) VALUES (?, ?, ?, 1)
       ON CONFLICT (scope, key, day) DO UPDATE SET threads = threads + 1`,
    );
    this.#get = db.prepare<[string, string, string], { tokens: number; threads: number }>(
      'SELECT tokens, threads FROM usage_counters WHERE scope = ? AND key = ? AND day = ?',
    );
    this.#prune = db.prepare<[string]>('DELETE FROM usage_counters WHERE day < ?');
  }

  /** Adds `tokens` to the scope's count for `day`. */
  addTokens(scope: UsageScope, key: string, day: string, tokens: number): void {
    if (tokens > 0) this.#addTokens.run(scope, key, day, Math.round(tokens));
  }

  /** Counts one new thread for the scope on `day`. */
  countThread(scope: UsageScope, key: string, day: string): void {
    this.#addThread.run(scope, key, day);
  }

  /** What the scope spent on `day` (zeros when nothing yet). */
  on(scope: UsageScope, key: string, day: string): DailyUsage {
    const row = this.#get.get(scope, key, day);
    return row ? { tokens: row.tokens, threads: row.threads } : { tokens: 0, threads: 0 };
  }

  countRunStart(keys: readonly string[], at: string): void {
    for (const key of keys) this.#countStart.run(key, at);
  }

  runStarts(key: string, since: string): string[] {
    return this.#starts.all(key, since).map((r) => r.at);
  }

  pruneRunStartsBefore(before: string): number {
    return this.#pruneStarts.run(before).changes;
  }

  /** Forgets every day before `day`; returns how many counters went. */
  pruneBefore(day: string): number {
    return this.#prune.run(day).changes;
  }
}
