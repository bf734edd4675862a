/** Stored `agent-chat eval` runs: what the storage seam keeps of them and how rows map back. */
import type { EvalCaseResult, EvalRunSummary, EvalRunVariant, EvalVariantTotals } from '@agent-chat/shared';

/**
 * How many eval runs are kept: saving one deletes the older ones beyond this. An eval run is a
 * scheduled or hand-started comparison; what matters is the last few, and a nightly job over
 * hundreds of cases would otherwise grow the database without end (`--jsonl` keeps an archive).
 */
export const EVAL_RUNS_KEPT = 100;

/** Where a page of runs (newest first) continues: strictly older than this run. */
export interface EvalRunCursor {
  startedAt: string;
  id: string;
}

export interface EvalRunQuery {
  limit: number;
  after?: EvalRunCursor | undefined;
  /**
   * Only runs whose workflows are all among these (a site's allowed ones); a run with no
   * workflow at all (every case failed to resolve one) is left out too. Absent: every run.
   */
  workflows?: readonly string[] | undefined;
}

/** `agent-chat eval` runs and their case results. */
export interface EvalRunStore {
  /**
   * Stores the run and its results in one transaction, then deletes the runs older than the
   * newest `keep` (with their results).
   */
  save(run: EvalRunSummary, cases: readonly EvalCaseResult[], keep?: number): Promise<void>;
  /** Runs newest `startedAt` first (ties by id), strictly after `query.after`. */
  list(query: EvalRunQuery): Promise<EvalRunSummary[]>;
  get(id: string): Promise<EvalRunSummary | undefined>;
  /** The run's case results in the order they were saved. */
  cases(runId: string): Promise<EvalCaseResult[]>;
}

/** An `eval_runs` row as both engines return it. */
export interface EvalRunRow {
  id: string;
  started_at: string;
  finished_at: string;
  cases_file: string;
  model: string | null;
  case_count: number;
  variants_json: string;
  workflows_json: string;
  totals_json: string;
}

/** The row's run. */
export function evalRunOf(row: EvalRunRow): EvalRunSummary {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    casesFile: row.cases_file,
    model: row.model,
    variants: JSON.parse(row.variants_json) as EvalRunVariant[],
    workflows: JSON.parse(row.workflows_json) as string[],
    caseCount: Number(row.case_count),
    totals: JSON.parse(row.totals_json) as EvalVariantTotals[],
  };
}
