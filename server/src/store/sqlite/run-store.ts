import type { RunError, RunStatus } from '@agent-chat/shared';
import type { RunRecord } from '../records.ts';
import type { Db } from './database.ts';
import { type RunRow, toRunRecord } from '../rows.ts';

/** Runs table: which runs exist, which are still in flight (for recovery after a crash). */
export class RunStore {
  #insert;
  #finish;
  #get;
  #running;
  #resume;
  #claim;
  #unclaim;
  #renew;
  #takeOver;
  #runningOf;
  #expired;
  #latest;

  constructor(db: Db) {
    // Runs of one thread never overlap: a later start (or, within one millisecond, a later insert) is the later run.
    this.#latest = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE thread_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1');
    this.#expired = db.prepare<[string], RunRow>(
      "SELECT * FROM runs WHERE status = 'running' AND (lease_until IS NULL OR lease_until < ?) ORDER BY started_at",
    );
    this.#runningOf = db.prepare<[string], { n: number }>(
      "SELECT COUNT(*) AS n FROM runs JOIN threads ON threads.id = runs.thread_id WHERE threads.owner = ? AND runs.status = 'running'",
    );
    this.#claim = db.prepare<[string, string, string, string, string, string, string]>(
      `INSERT OR IGNORE INTO runs (id, thread_id, status, agent, trigger, started_at, owner, lease_until)
       VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
    );
    this.#unclaim = db.prepare<[string]>("DELETE FROM runs WHERE id = ? AND status = 'running'");
    this.#renew = db.prepare<[string, string], { id: string }>("UPDATE runs SET lease_until = ? WHERE owner = ? AND status = 'running' RETURNING id");
    this.#takeOver = db.prepare<[string, string, string, string]>(
      "UPDATE runs SET owner = ?, lease_until = ? WHERE id = ? AND status = 'running' AND (lease_until IS NULL OR lease_until < ?)",
    );
    this.#resume = db.prepare<[string]>('UPDATE runs SET resumes = resumes + 1 WHERE id = ?');
    this.#insert = db.prepare<[string, string, string, string, string]>(
      `INSERT OR IGNORE INTO runs (id, thread_id, status, agent, trigger, started_at)
       VALUES (?, ?, 'running', ?, ?, ?)`,
    );
    this.#finish = db.prepare<[string, string | null, string, string]>(
      'UPDATE runs SET status = ?, error_json = ?, finished_at = ? WHERE id = ?',
    );
    this.#get = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
    this.#running = db.prepare<[], RunRow>("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at");
  }

  /** Records a run as `running` (a no-op if it is already recorded). */
  start(run: { id: string; threadId: string; agent: string; trigger: string; startedAt: string }): void {
    this.#insert.run(run.id, run.threadId, run.agent, run.trigger, run.startedAt);
  }

  finish(id: string, status: RunStatus, error: RunError | undefined, finishedAt: string): void {
    this.#finish.run(status, error ? JSON.stringify(error) : null, finishedAt, id);
  }

  /** Records a run as running, held by its owner; false when the thread has a running run (or the id is taken). */
  claim(run: { id: string; threadId: string; agent: string; trigger: string; startedAt: string; owner: string; leaseUntil: string }): boolean {
    return this.#claim.run(run.id, run.threadId, run.agent, run.trigger, run.startedAt, run.owner, run.leaseUntil).changes === 1;
  }

  unclaim(id: string): void {
    this.#unclaim.run(id);
  }

  /** Extends the leases `owner` holds; returns the ids of those runs. */
  renew(owner: string, leaseUntil: string): string[] {
    return this.#renew.all(leaseUntil, owner).map((row) => row.id);
  }

  takeOver(id: string, owner: string, now: string, leaseUntil: string): boolean {
    return this.#takeOver.run(owner, leaseUntil, id, now).changes === 1;
  }

  expired(now: string): RunRecord[] {
    return this.#expired.all(now).map(toRunRecord);
  }

  runningOf(threadOwner: string): number {
    return this.#runningOf.get(threadOwner)?.n ?? 0;
  }

  /** Counts one more resume of the run. */
  resume(id: string): void {
    this.#resume.run(id);
  }

  get(id: string): RunRecord | undefined {
    const row = this.#get.get(id);
    return row && toRunRecord(row);
  }

  /** The thread's most recently started run. */
  latest(threadId: string): RunRecord | undefined {
    const row = this.#latest.get(threadId);
    return row && toRunRecord(row);
  }

  /** Runs not finished: after a restart, these were interrupted. */
  running(): RunRecord[] {
    return this.#running.all().map(toRunRecord);
  }
}
