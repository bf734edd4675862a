/** Rows of what runs did beyond their events: steps, the usage ledger, traces. */

/** A run step to store: its columns, and the whole step as JSON. */
export interface NewRunStep {
  threadId: string;
  runId: string;
  /** 1, 2, 3… within the run. */
  step: number;
  /** The thread's last seq when the step ended: where it sits among the run's events. */
  afterSeq: number;
  type: string;
  agent: string;
  /** The model of a model call; null for other steps. */
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  startedAt: string;
  json: string;
}

export interface StoredRunStep {
  runId: string;
  step: number;
  afterSeq: number;
  json: string;
}

/** One model call's tokens for the ledger. `site` is '' on an open server. */
export interface LedgerEntry {
  /** UTC date, `YYYY-MM-DD`. */
  day: string;
  site: string;
  workflow: string;
  agent: string;
  model: string;
  /** `offline`, `openai` or `base_url`: the same model name costs nothing offline. */
  provider: string;
  inputTokens: number;
  outputTokens: number;
}

/** What ledger rows can be grouped by. */
export type LedgerDimension = 'day' | 'site' | 'workflow' | 'agent' | 'model' | 'provider';
export const LEDGER_DIMENSIONS: readonly LedgerDimension[] = ['day', 'site', 'workflow', 'agent', 'model', 'provider'];

export interface LedgerQuery {
  /** First and last day included (`YYYY-MM-DD`). */
  from: string;
  to: string;
  /** Only this site ('' for the open server's threads). */
  site?: string;
  workflow?: string;
  groupBy: readonly LedgerDimension[];
}

/** Totals of one group; only the grouped dimensions are set. */
export interface LedgerRow {
  day?: string;
  site?: string;
  workflow?: string;
  agent?: string;
  model?: string;
  provider?: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

/** Tokens of one run on one model. */
export interface RunUsageRow {
  runId: string;
  model: string;
  provider: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface NewRunTrace {
  runId: string;
  threadId: string;
  startedAt: string;
  json: string;
}

export interface StoredRunTrace extends NewRunTrace {
  exportedAt: string | null;
}

/** A `run_traces` row as both engines read it. */
export interface TraceRow {
  run_id: string;
  thread_id: string;
  started_at: string;
  json: string;
  exported_at: string | null;
}

export const traceOf = (r: TraceRow): StoredRunTrace => ({ runId: r.run_id, threadId: r.thread_id, startedAt: r.started_at, json: r.json, exportedAt: r.exported_at });
