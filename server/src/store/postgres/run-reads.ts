import type { RunError } from '@agent-chat/shared';
import type { RunReads, RunRecord } from '../storage.ts';
import type { Queryable } from './pool.ts';

interface Row {
  id: string;
  thread_id: string;
  status: RunRecord['status'];
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

/** Run reads on Postgres. */
export function postgresRuns(db: Queryable): RunReads {
  return {
    async get(id) {
      const { rows } = await db.query<Row>('SELECT * FROM runs WHERE id = $1', [id]);
      return rows[0] && toRecord(rows[0]);
    },
    async running() {
      const { rows } = await db.query<Row>("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at, id");
      return rows.map(toRecord);
    },
  };
}
