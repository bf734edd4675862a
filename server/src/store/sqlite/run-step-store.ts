import { ledgerRow, ledgerSql } from '../ledger-sql.ts';
import { traceOf, type LedgerEntry, type LedgerQuery, type LedgerRow, type NewRunStep, type NewRunTrace, type RunUsageRow, type StoredRunStep, type StoredRunTrace, type TraceRow } from '../run-records.ts';
import type { Db } from './database.ts';

/** Run steps, the usage ledger and run traces in SQLite. */
export class RunStepStore {
  #db: Db;
  #insert;
  #ofRun;
  #usageOfThread;
  #ledgerAdd;
  #saveTrace;
  #trace;
  #tracesOfThread;
  #unexported;
  #markExported;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare<[string, string, number, number, string, string, string | null, number, number, string, string]>(
      `INSERT INTO run_steps (thread_id, run_id, step, after_seq, type, agent, model, input_tokens, output_tokens, started_at, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#ofRun = db.prepare<[string], { run_id: string; step: number; after_seq: number; json: string }>(
      'SELECT run_id, step, after_seq, json FROM run_steps WHERE run_id = ? ORDER BY step',
    );
    this.#usageOfThread = db.prepare<[string], { run_id: string; model: string; provider: string; calls: number; input_tokens: number; output_tokens: number }>(
      `SELECT run_id, model, json_extract(json, '$.provider') AS provider, COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
       FROM run_steps WHERE thread_id = ? AND model IS NOT NULL GROUP BY run_id, model, provider ORDER BY MIN(started_at), run_id, model, provider`,
    );
    this.#ledgerAdd = db.prepare<[string, string, string, string, string, string, number, number]>(
      `INSERT INTO usage_ledger (day, site, workflow, agent, model, provider, calls, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (day, site, workflow, agent, model, provider) DO UPDATE SET calls = calls + 1,
         input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`,
    );
    this.#saveTrace = db.prepare<[string, string, string, string]>(
      `INSERT INTO run_traces (run_id, thread_id, started_at, json) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET json = excluded.json, exported_at = NULL`,
    );
    this.#trace = db.prepare<[string], TraceRow>('SELECT * FROM run_traces WHERE run_id = ?');
    this.#tracesOfThread = db.prepare<[string], TraceRow>('SELECT * FROM run_traces WHERE thread_id = ? ORDER BY started_at, run_id');
    this.#unexported = db.prepare<[number], TraceRow>('SELECT * FROM run_traces WHERE exported_at IS NULL ORDER BY started_at, run_id LIMIT ?');
    this.#markExported = db.prepare<[string, string]>('UPDATE run_traces SET exported_at = ? WHERE run_id = ?');
  }

  insert(s: NewRunStep): void {
    this.#insert.run(s.threadId, s.runId, s.step, s.afterSeq, s.type, s.agent, s.model, s.inputTokens, s.outputTokens, s.startedAt, s.json);
  }

  ofRun(runId: string): StoredRunStep[] {
    return this.#ofRun.all(runId).map((r) => ({ runId: r.run_id, step: r.step, afterSeq: r.after_seq, json: r.json }));
  }

  usageOfThread(threadId: string): RunUsageRow[] {
    return this.#usageOfThread.all(threadId).map((r) => ({ runId: r.run_id, model: r.model, provider: r.provider, calls: r.calls, inputTokens: r.input_tokens, outputTokens: r.output_tokens }));
  }

  addToLedger(e: LedgerEntry): void {
    this.#ledgerAdd.run(e.day, e.site, e.workflow, e.agent, e.model, e.provider, Math.round(e.inputTokens), Math.round(e.outputTokens));
  }

  ledger(query: LedgerQuery): LedgerRow[] {
    const { sql, params } = ledgerSql(query, () => '?');
    return (this.#db.prepare(sql).all(...params) as Record<string, unknown>[]).map((r) => ledgerRow(r, query.groupBy));
  }

  saveTrace(t: NewRunTrace): void {
    this.#saveTrace.run(t.runId, t.threadId, t.startedAt, t.json);
  }

  trace(runId: string): StoredRunTrace | undefined {
    const row = this.#trace.get(runId);
    return row ? traceOf(row) : undefined;
  }

  tracesOfThread(threadId: string): StoredRunTrace[] {
    return this.#tracesOfThread.all(threadId).map(traceOf);
  }

  unexportedTraces(limit: number): StoredRunTrace[] {
    return this.#unexported.all(limit).map(traceOf);
  }

  markExported(runIds: readonly string[], at: string): void {
    this.#db.transaction(() => {
      for (const id of runIds) this.#markExported.run(at, id);
    })();
  }
}
