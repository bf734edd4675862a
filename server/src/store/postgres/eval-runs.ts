import type { EvalCaseResult, EvalRunSummary } from '@agent-chat/shared';
import type pg from 'pg';
import { EVAL_RUNS_KEPT, evalRunOf, type EvalRunQuery, type EvalRunRow, type EvalRunStore } from '../eval-runs.ts';
import { inTransaction } from './pool.ts';

/** Eval runs on Postgres (one transaction per save; see `EvalRunStore`). */
export function postgresEvalRuns(pool: pg.Pool): EvalRunStore {
  return {
    async save(run: EvalRunSummary, results: readonly EvalCaseResult[], keep = EVAL_RUNS_KEPT) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO eval_runs (id, started_at, finished_at, cases_file, model, case_count, variants_json, workflows_json, totals_json)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [run.id, run.startedAt, run.finishedAt, run.casesFile, run.model, run.caseCount, JSON.stringify(run.variants), JSON.stringify(run.workflows), JSON.stringify(run.totals)],
        );
        await client.query('INSERT INTO eval_run_workflows (run_id, workflow) SELECT $1, w FROM unnest($2::text[]) AS w', [run.id, [...new Set(run.workflows)]]);
        // One statement for every case (a run can have thousands).
        await client.query(
          `INSERT INTO eval_case_results (run_id, position, variant, case_id, pass, json)
           SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::boolean[], $6::text[])`,
          [run.id, results.map((_, i) => i), results.map((r) => r.variant), results.map((r) => r.caseId), results.map((r) => r.pass), results.map((r) => JSON.stringify(r))],
        );
        await client.query('DELETE FROM eval_runs WHERE id IN (SELECT id FROM eval_runs ORDER BY started_at DESC, id DESC OFFSET $1)', [keep]);
      });
    },
    async list(query: EvalRunQuery) {
      if (query.workflows?.length === 0) return [];
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.after) {
        params.push(query.after.startedAt, query.after.id);
        where.push(`(started_at < $${params.length - 1} OR (started_at = $${params.length - 1} AND id < $${params.length}))`);
      }
      if (query.workflows) {
        params.push([...query.workflows]);
        where.push('EXISTS (SELECT 1 FROM eval_run_workflows w WHERE w.run_id = eval_runs.id)');
        where.push(`NOT EXISTS (SELECT 1 FROM eval_run_workflows w WHERE w.run_id = eval_runs.id AND w.workflow <> ALL($${params.length}::text[]))`);
      }
      params.push(query.limit);
      const sql = `SELECT * FROM eval_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT $${params.length}`;
      const { rows } = await pool.query<EvalRunRow>(sql, params);
      return rows.map(evalRunOf);
    },
    async get(id) {
      const { rows } = await pool.query<EvalRunRow>('SELECT * FROM eval_runs WHERE id = $1', [id]);
      return rows[0] ? evalRunOf(rows[0]) : undefined;
    },
    async cases(runId) {
      const { rows } = await pool.query<{ json: string }>('SELECT json FROM eval_case_results WHERE run_id = $1 ORDER BY position', [runId]);
      return rows.map((r) => JSON.parse(r.json) as EvalCaseResult);
    },
  };
}
