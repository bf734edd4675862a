/**
 * The rows of the runs, threads and uploads tables as both engines return them (the same
 * columns), and the records they become.
 */
import type { RunError } from '@agent-chat/shared';
import type { RunRecord, StoredRunStatus, ThreadRecord, UploadRecord } from './records.ts';

export interface RunRow {
  id: string;
  thread_id: string;
  status: StoredRunStatus;
  agent: string;
  trigger: string;
  error_json: string | null;
  started_at: string;
  finished_at: string | null;
  resumes: number;
  owner: string | null;
  lease_until: string | null;
}

export const toRunRecord = (r: RunRow): RunRecord => ({
  id: r.id,
  threadId: r.thread_id,
  status: r.status,
  agent: r.agent,
  trigger: r.trigger,
  error: r.error_json ? (JSON.parse(r.error_json) as RunError) : null,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  resumes: r.resumes,
  owner: r.owner,
  leaseUntil: r.lease_until,
});

export interface ThreadRow {
  id: string;
  owner: string;
  workflow: string;
  title: string;
  current_agent: string;
  created_at: string;
  updated_at: string;
  last_seq: number;
  compacted_seq: number;
}

export const toThreadRecord = (r: ThreadRow): ThreadRecord => ({
  id: r.id,
  owner: r.owner,
  workflow: r.workflow,
  title: r.title,
  currentAgent: r.current_agent,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastSeq: r.last_seq,
  compactedSeq: r.compacted_seq,
});

export interface UploadRow {
  id: string;
  owner: string;
  name: string;
  mime: string;
  /** A number on SQLite; a string on PostgreSQL (BIGINT). */
  size: number | string;
  sha256: string;
  created_at: string;
  item_id: string | null;
}

export const toUploadRecord = (r: UploadRow): UploadRecord => ({
  id: r.id,
  owner: r.owner,
  name: r.name,
  mime: r.mime,
  size: Number(r.size),
  sha256: r.sha256,
  createdAt: r.created_at,
  itemId: r.item_id,
});
