import { z } from 'zod';
import { IsoDate, Item } from '../protocol/items.ts';
import { RunError, RunStatus } from '../protocol/server-message.ts';

/** Last-run outcomes the console filters conversations by. */
export const ThreadStatusFilter = z.enum(['failed', 'interrupted', 'cancelled']);
export type ThreadStatusFilter = z.infer<typeof ThreadStatusFilter>;

/**
 * Who owns a thread: an anonymous visitor, a site's signed-in user (`id` is their `sub`), or the
 * console's preview chat (`id`: `operator` or `admin`, who asked for the preview).
 */
export const ThreadOwner = z.object({
  kind: z.enum(['visitor', 'user', 'preview']),
  id: z.string(),
});
export type ThreadOwner = z.infer<typeof ThreadOwner>;

/** A thread's row in the console's list: what it is, how its last run ended, what to look at. */
export const AdminThreadSummary = z.object({
  id: z.string(),
  title: z.string(),
  workflow: z.string(),
  /** The site; "" for an open server's threads. */
  site: z.string(),
  owner: ThreadOwner,
  currentAgent: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** The most recently started run's status (`running` while it runs); null before any run. */
  lastRunStatus: z.union([RunStatus, z.literal('running')]).nullable(),
  thumbsDown: z.number().int().nonnegative(),
  guardrailTrips: z.number().int().nonnegative(),
  /** Runs started by approval decisions, and tool calls waiting for one now. */
  approvalRuns: z.number().int().nonnegative(),
  awaitingApproval: z.number().int().nonnegative(),
});
export type AdminThreadSummary = z.infer<typeof AdminThreadSummary>;

/** `GET /v1/admin/threads`: one page; `nextCursor` asks for the next (null: no more). */
export const AdminThreadPage = z.object({
  threads: z.array(AdminThreadSummary),
  nextCursor: z.string().nullable(),
});
export type AdminThreadPage = z.infer<typeof AdminThreadPage>;

export const AdminRun = z.object({
  id: z.string(),
  status: z.union([RunStatus, z.literal('running')]),
  agent: z.string(),
  /** What started it: `message`, `approval` or `retry`. */
  trigger: z.string(),
  error: RunError.nullable(),
  startedAt: IsoDate,
  finishedAt: IsoDate.nullable(),
  resumes: z.number().int().nonnegative(),
});
export type AdminRun = z.infer<typeof AdminRun>;

export const AdminFeedback = z.object({
  itemId: z.string(),
  rating: z.enum(['up', 'down']),
  comment: z.string().optional(),
  createdAt: IsoDate,
});
export type AdminFeedback = z.infer<typeof AdminFeedback>;

/**
 * A decision on a tool call that needed approval. Only the thread's owner (the visitor or user
 * of `owner`) can decide. A recorded decision gives its own time and reason (`source: "stored"`);
 * where none is recorded (a store that forgot it), it is read from what it left: `approved` from
 * the call's final status, `decidedAt` from the start of the run it began (`source: "run"`).
 */
export const AdminApproval = z.object({
  callId: z.string(),
  tool: z.string(),
  state: z.enum(['pending', 'approved', 'denied']),
  decidedBy: ThreadOwner.nullable(),
  decidedAt: IsoDate.nullable(),
  reason: z.string().optional(),
  source: z.enum(['stored', 'run', 'none']),
});
export type AdminApproval = z.infer<typeof AdminApproval>;

/** `GET /v1/admin/threads/:id`: everything stored about one thread, tool arguments and outputs included. */
export const AdminThreadDetail = z.object({
  thread: AdminThreadSummary,
  items: z.array(Item),
  runs: z.array(AdminRun),
  feedback: z.array(AdminFeedback),
  approvals: z.array(AdminApproval),
});
export type AdminThreadDetail = z.infer<typeof AdminThreadDetail>;
