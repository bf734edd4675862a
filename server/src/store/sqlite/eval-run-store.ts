import type { EvalCaseResult, EvalRunSummary } from '@agent-chat/shared';
import { EVAL_RUNS_KEPT, evalRunOf, type EvalRunQuery, type EvalRunRow, type EvalRunStore } from '../eval-runs.ts';
import type { Db } from './database.ts';

/** Eval runs in SQLite (one transaction per save; see `EvalRunStore`). */
export function sqliteEvalRuns(db: Db): EvalRunStore {
  const insertRun = db.prepare<[string, string, string, string, string | null, number, string, string, string]>(
    `INSERT INTO eval_runs (id, started_at, finished_at, cases_file, model, case_count, variants_json, workflows_json, totals_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertWorkflow = db.prepare<[string, string]>('INSERT INTO eval_run_workflows (run_id, workflow) VALUES (?, ?)');
  const insertCase = db.prepare<[string, number, string, string, number, string]>(
    'INSERT INTO eval_case_results (run_id, position, variant, case_id, pass, json) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // LIMIT -1: no limit, only the offset.
  const prune = db.prepare<[number]>('DELETE FROM eval_runs WHERE id IN (SELECT id FROM eval_runs ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?)');
  const get = db.prepare<[string], EvalRunRow>('SELECT * FROM eval_runs WHERE id = ?');
  const cases = db.prepare<[string], { json: string }>('SELECT json FROM eval_case_results WHERE run_id = ? ORDER BY position');
  const save = db.transaction((run: EvalRunSummary, results: readonly EvalCaseResult[], keep: number) => {
    insertRun.run(run.id, run.startedAt, run.finishedAt, run.casesFile, run.model, run.caseCount, JSON.stringify(run.variants), JSON.stringify(run.workflows), JSON.stringify(run.totals));
    for (const workflow of new Set(run.workflows)) insertWorkflow.run(run.id, workflow);
    results.forEach((r, i) => insertCase.run(run.id, i, r.variant, r.caseId, r.pass ? 1 : 0, JSON.stringify(r)));
    prune.run(keep);
  });
  return {
    save: async (run, results, keep = EVAL_RUNS_KEPT) => save(run, results, keep),
    async list(query: EvalRunQuery) {
      if (query.workflows?.length === 0) return [];
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.after) {
        where.push('(started_at < ? OR (started_at = ? AND id < ?))');
        params.push(query.after.startedAt, query.after.startedAt, query.after.id);
      }
      if (query.workflows) {
        const marks = query.workflows.map(() => '?').join(', ');
        where.push(`EXISTS (SELECT 1 FROM eval_run_workflows w WHERE w.run_id = eval_runs.id)`);
        where.push(`NOT EXISTS (SELECT 1 FROM eval_run_workflows w WHERE w.run_id = eval_runs.id AND w.workflow NOT IN (${marks}))`);
        params.push(...query.workflows);
      }
      const sql = `SELECT * FROM eval_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
      return (db.prepare(sql).all(...params, query.limit) as EvalRunRow[]).map(evalRunOf);
    },
    async get(id) {
      const row = get.get(id);
      return row ? evalRunOf(row) : undefined;
    },
    cases: async (runId) => cases.all(runId).map((r) => JSON.parse(r.json) as EvalCaseResult),
  };
}
