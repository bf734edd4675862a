import type { RunError, RunStatus } from '@agent-chat/shared';

/** A thread as stored. Times are ISO 8601 strings (they sort as text). */
export interface ThreadRecord {
  id: string;
  /** The identity that owns the thread (see identity/identity.ts `ownerKey`). */
  owner: string;
  workflow: string;
  title: string;
  currentAgent: string;
  createdAt: string;
  updatedAt: string;
  /** Highest committed event seq. */
  lastSeq: number;
  /** Highest seq whose event is no longer kept (compacted away); 0 when every event is kept. */
  compactedSeq?: number;
}

/** Where a page of `listByOwner` continues: strictly older than this (updatedAt, id). */
export interface ThreadCursor {
  updatedAt: string;
  id: string;
}

/** A run's stored status; `running` until its `run.finished` is committed. */
export type StoredRunStatus = RunStatus | 'running';

export interface RunRecord {
  id: string;
  threadId: string;
  status: StoredRunStatus;
  agent: string;
  /** What started it: `message`, `approval` or `retry`. */
  trigger: string;
  error: RunError | null;
  startedAt: string;
  finishedAt: string | null;
  /** How many times it was continued after the server running it stopped. */
  resumes: number;
  /** The instance running it, and until when it holds it (null: recorded before leases). */
  owner: string | null;
  leaseUntil: string | null;
}

/** What `message.send` answered the first time a `clientMessageId` was seen. */
export interface AcceptedMessage {
  itemId: string;
  runId: string;
}

/** A visitor's stored answer to a tool call that waits for approval. */
export interface StoredDecision {
  callId: string;
  approved: boolean;
  reason?: string;
}

/** One rating as stored. */
export interface StoredFeedback {
  itemId: string;
  rating: 'up' | 'down';
  comment?: string;
  createdAt: string;
}

/** Whose spending a counter holds: one identity (owner key) or one site. */
export type UsageScope = 'identity' | 'site';

/** What one scope spent on one UTC day. */
export interface DailyUsage {
  tokens: number;
  threads: number;
}

/** An uploaded file as stored: its row; the bytes are kept by `sha256`, shared by identical files. */
export interface UploadRecord {
  id: string;
  /** The identity that uploaded it (the same key as `threads.owner`). */
  owner: string;
  /** The cleaned display name (never a path). */
  name: string;
  mime: string;
  size: number;
  /** Hex SHA-256 of the bytes: where they are kept. */
  sha256: string;
  createdAt: string;
  /** The user message it was sent with; null until it is sent. */
  itemId: string | null;
}
