import { ledgerRow, ledgerSql } from '../ledger-sql.ts';
import { traceOf, type TraceRow } from '../run-records.ts';
import type { Storage } from '../storage.ts';
import type { Queryable } from './pool.ts';

/** Run steps on Postgres (written by `apply`). */
export function postgresRunSteps(db: Queryable): Storage['runSteps'] {
  return {
    async ofRun(runId) {
      const { rows } = await db.query<{ run_id: string; step: number; after_seq: number; json: string }>(
        'SELECT run_id, step, after_seq, json FROM run_steps WHERE run_id = $1 ORDER BY step',
        [runId],
      );
      return rows.map((r) => ({ runId: r.run_id, step: r.step, afterSeq: r.after_seq, json: r.json }));
    },
    async usageOfThread(threadId) {
      // COUNT and SUM of bigint arrive as strings.
      const { rows } = await db.query<{ run_id: string; model: string; provider: string; calls: string; input_tokens: string; output_tokens: string }>(
        `SELECT run_id, model, (json::jsonb)->>'provider' AS provider, COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
         FROM run_steps WHERE thread_id = $1 AND model IS NOT NULL GROUP BY run_id, model, provider ORDER BY MIN(started_at), run_id, model, provider`,
        [threadId],
      );
      return rows.map((r) => ({ runId: r.run_id, model: r.model, provider: r.provider, calls: Number(r.calls), inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens) }));
    },
  };
}

/** The usage ledger on Postgres (written by `apply`). */
export function postgresLedger(db: Queryable): Storage['ledger'] {
  return {
    async query(query) {
      const { sql, params } = ledgerSql(query, (n) => `$${n}`);
      const { rows } = await db.query<Record<string, unknown>>(sql, params);
      return rows.map((r) => ledgerRow(r, query.groupBy));
    },
  };
}

/** Run traces on Postgres (saved by `apply`). */
export function postgresTraces(db: Queryable): Storage['traces'] {
  return {
    async get(runId) {
      const { rows } = await db.query<TraceRow>('SELECT * FROM run_traces WHERE run_id = $1', [runId]);
      return rows[0] ? traceOf(rows[0]) : undefined;
    },
    async ofThread(threadId) {
      const { rows } = await db.query<TraceRow>('SELECT * FROM run_traces WHERE thread_id = $1 ORDER BY started_at, run_id', [threadId]);
      return rows.map(traceOf);
    },
    async unexported(limit) {
      const { rows } = await db.query<TraceRow>('SELECT * FROM run_traces WHERE exported_at IS NULL ORDER BY started_at, run_id LIMIT $1', [limit]);
      return rows.map(traceOf);
    },
    async markExported(runIds, at) {
      if (runIds.length > 0) await db.query('UPDATE run_traces SET exported_at = $1 WHERE run_id = ANY($2::text[])', [at, runIds]);
    },
  };
}
