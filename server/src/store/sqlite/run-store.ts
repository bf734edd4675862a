import type { RunError, RunStatus } from '@agent-chat/shared';
import type { RunRecord, StoredRunStatus } from '../records.ts';
import type { Db } from './database.ts';

interface Row {
  id: string;
  thread_id: string;
  status: StoredRunStatus;
  agent: string;
  trigger: string;
  error_json: string | null;
  started_at: string;
  finished_at: string | null;
  resumes: number;
}

const toRecord = (r: Row): RunRecord => ({
  id: r.id,
  threadId: r.thread_id,
  status: r.status,
  agent: r.agent,
  trigger: r.trigger,
  error: r.error_json ? (JSON.parse(r.error_json) as RunError) : null,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  resumes: r.resumes,
});

/** Runs table: which runs exist, which are still in flight (for recovery after a crash). */
export class RunStore {
  #insert;
  #finish;
  #get;
  #running;
  #resume;

  constructor(db: Db) {
    this.#resume = db.prepare<[string]>('UPDATE runs SET resumes = resumes + 1 WHERE id = ?');
    this.#insert = db.prepare<[string, string, string, string, string]>(
      `INSERT OR IGNORE INTO runs (id, thread_id, status, agent, trigger, started_at)
       VALUES (?, ?, 'running', ?, ?, ?)`,
    );
    this.#finish = db.prepare<[string, string | null, string, string]>(
      'UPDATE runs SET status = ?, error_json = ?, finished_at = ? WHERE id = ?',
    );
    this.#get = db.prepare<[string], Row>('SELECT * FROM runs WHERE id = ?');
    this.#running = db.prepare<[], Row>("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at");
  }

  /** Records a run as `running` (a no-op if it is already recorded). */
  start(run: { id: string; threadId: string; agent: string; trigger: string; startedAt: string }): void {
    this.#insert.run(run.id, run.threadId, run.agent, run.trigger, run.startedAt);
  }

  finish(id: string, status: RunStatus, error: RunError | undefined, finishedAt: string): void {
    this.#finish.run(status, error ? JSON.stringify(error) : null, finishedAt, id);
  }

  /** Counts one more resume of the run. */
  resume(id: string): void {
    this.#resume.run(id);
  }

  get(id: string): RunRecord | undefined {
    const row = this.#get.get(id);
    return row && toRecord(row);
  }

  /** Runs not finished: after a restart, these were interrupted. */
  running(): RunRecord[] {
    return this.#running.all().map(toRecord);
  }
}
