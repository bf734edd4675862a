import type { RunLeases } from '../storage.ts';
import type { Queryable } from './pool.ts';
import { type RunRow, toRunRecord } from '../rows.ts';

/** Runs and their leases on Postgres. */
export function postgresRuns(db: Queryable): RunLeases {
  return {
    async claim(run) {
      // Any conflict means no: the thread's one running run (runs_one_active), or a taken id.
      const { rowCount } = await db.query(
        `INSERT INTO runs (id, thread_id, status, agent, "trigger", started_at, owner, lease_until)
         VALUES ($1, $2, 'running', $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [run.id, run.threadId, run.agent, run.trigger, run.startedAt, run.owner, run.leaseUntil],
      );
      return rowCount === 1;
    },
    async runningOf(threadOwner) {
      const { rows } = await db.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM runs JOIN threads ON threads.id = runs.thread_id WHERE threads.owner = $1 AND runs.status = 'running'",
        [threadOwner],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async expired(now) {
      const { rows } = await db.query<RunRow>(
        "SELECT * FROM runs WHERE status = 'running' AND (lease_until IS NULL OR lease_until < $1) ORDER BY started_at, id",
        [now],
      );
      return rows.map(toRunRecord);
    },
    async unclaim(id) {
      await db.query("DELETE FROM runs WHERE id = $1 AND status = 'running'", [id]);
    },
    async renew(owner, leaseUntil) {
      const { rows } = await db.query<{ id: string }>("UPDATE runs SET lease_until = $1 WHERE owner = $2 AND status = 'running' RETURNING id", [leaseUntil, owner]);
      return rows.map((row) => row.id);
    },
    async takeOver(id, owner, now, leaseUntil) {
      const { rowCount } = await db.query(
        "UPDATE runs SET owner = $1, lease_until = $2 WHERE id = $3 AND status = 'running' AND (lease_until IS NULL OR lease_until < $4)",
        [owner, leaseUntil, id, now],
      );
      return rowCount === 1;
    },
    async get(id) {
      const { rows } = await db.query<RunRow>('SELECT * FROM runs WHERE id = $1', [id]);
      return rows[0] && toRunRecord(rows[0]);
    },
    async latest(threadId) {
      // Runs of one thread never overlap; within one millisecond the unfinished (or later finished) one is the later.
      const { rows } = await db.query<RunRow>(
        'SELECT * FROM runs WHERE thread_id = $1 ORDER BY started_at DESC, finished_at DESC NULLS FIRST LIMIT 1',
        [threadId],
      );
      return rows[0] && toRunRecord(rows[0]);
    },
    async running() {
      const { rows } = await db.query<RunRow>("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at, id");
      return rows.map(toRunRecord);
    },
  };
}
