import { z } from 'zod';
import { ErrorCode } from './error-code.ts';
import { IsoDate, Item } from './items.ts';

const replyTo = { replyTo: z.string().optional() };

// ---- connection replies -------------------------------------------------------------

export const Limits = z.object({
  maxMessageChars: z.number().int().positive(),
  maxFileBytes: z.number().int().nonnegative(),
  maxFilesPerMessage: z.number().int().nonnegative(),
  acceptedTypes: z.array(z.string()),
});
export type Limits = z.infer<typeof Limits>;

export const ConnectionUser = z.object({
  id: z.string().min(1),
  kind: z.enum(['visitor', 'user']),
  name: z.string().optional(),
});
export type ConnectionUser = z.infer<typeof ConnectionUser>;

/**
 * Which model answers on this server, for the widget to say so: `offline: true` when replies
 * come from the built-in offline demo model (no model API key configured).
 */
export const ModelInfo = z.object({ offline: z.boolean() });
export type ModelInfo = z.infer<typeof ModelInfo>;

export const Ready = z.object({
  ...replyTo,
  type: z.literal('ready'),
  protocol: z.number().int(),
  connectionId: z.string().min(1),
  user: ConnectionUser,
  visitorToken: z.string(),
  uploadToken: z.string(),
  limits: Limits,
  /** Absent from servers older than this field: read as "not offline". */
  model: ModelInfo.optional(),
});
export type Ready = z.infer<typeof Ready>;

export const ThreadSummary = z.object({
  id: z.string().min(1),
  title: z.string(),
  workflow: z.string(),
  updatedAt: IsoDate,
});
export type ThreadSummary = z.infer<typeof ThreadSummary>;

export const ThreadInfo = z.object({
  id: z.string().min(1),
  title: z.string(),
  workflow: z.string(),
  currentAgent: z.string(),
});
export type ThreadInfo = z.infer<typeof ThreadInfo>;

export const WorkflowInfo = z.object({
  id: z.string().min(1),
  name: z.string(),
  agents: z.array(z.object({ id: z.string().min(1), name: z.string() })),
});
export type WorkflowInfo = z.infer<typeof WorkflowInfo>;

/** The caller's rating of an item, sent with the items it belongs to so a reload shows it. */
export const ItemFeedback = z.object({
  itemId: z.string().min(1),
  rating: z.enum(['up', 'down']),
});
export type ItemFeedback = z.infer<typeof ItemFeedback>;

export const ThreadOpened = z.object({
  ...replyTo,
  type: z.literal('thread.opened'),
  thread: ThreadInfo,
  workflow: WorkflowInfo,
  lastSeq: z.number().int().nonnegative(),
  items: z.array(Item).optional(),
  /** Ratings of those `items`, when there are any. */
  feedback: z.array(ItemFeedback).optional(),
  hasMore: z.boolean().optional(),
  reset: z.boolean().optional(),
  activeRunId: z.string().optional(),
});
export type ThreadOpened = z.infer<typeof ThreadOpened>;

export const Threads = z.object({
  ...replyTo,
  type: z.literal('threads'),
  threads: z.array(ThreadSummary),
  nextCursor: z.string().nullable(),
});
export type Threads = z.infer<typeof Threads>;

export const ThreadItems = z.object({
  ...replyTo,
  type: z.literal('thread.items'),
  threadId: z.string().min(1),
  items: z.array(Item),
  /** Ratings of those `items`, when there are any. */
  feedback: z.array(ItemFeedback).optional(),
  hasMore: z.boolean(),
});
export type ThreadItems = z.infer<typeof ThreadItems>;

export const ThreadDeleted = z.object({
  ...replyTo,
  type: z.literal('thread.deleted'),
  threadId: z.string().min(1),
});
export type ThreadDeleted = z.infer<typeof ThreadDeleted>;

export const ThreadsDeleted = z.object({
  ...replyTo,
  type: z.literal('threads.deleted'),
  /** How many threads were deleted. */
  count: z.number().int().nonnegative(),
});
export type ThreadsDeleted = z.infer<typeof ThreadsDeleted>;

export const MessageAccepted = z.object({
  ...replyTo,
  type: z.literal('message.accepted'),
  threadId: z.string().min(1),
  clientMessageId: z.string().min(1),
  itemId: z.string().min(1),
  runId: z.string().min(1),
});
export type MessageAccepted = z.infer<typeof MessageAccepted>;

export const FeedbackSaved = z.object({
  ...replyTo,
  type: z.literal('feedback.saved'),
  threadId: z.string().min(1),
  itemId: z.string().min(1),
});
export type FeedbackSaved = z.infer<typeof FeedbackSaved>;

/** A retry was accepted: `runId` runs the failed reply `retriedRunId` again; its events follow. */
export const RunRetried = z.object({
  ...replyTo,
  type: z.literal('run.retried'),
  threadId: z.string().min(1),
  retriedRunId: z.string().min(1),
  runId: z.string().min(1),
});
export type RunRetried = z.infer<typeof RunRetried>;

export const Pong = z.object({ ...replyTo, type: z.literal('pong') });
export type Pong = z.infer<typeof Pong>;

export const ErrorPayload = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For `rate_limited`: how long to wait before the same request can succeed. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

export const ErrorMessage = z.object({
  ...replyTo,
  type: z.literal('error'),
  code: ErrorCode,
  message: z.string(),
  retryable: z.boolean(),
  /** For `rate_limited`: how long to wait before the same request can succeed. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type ErrorMessage = z.infer<typeof ErrorMessage>;

// ---- thread events: persisted, numbered by `seq` per thread --------------------------

const eventBase = { threadId: z.string().min(1), seq: z.number().int().positive() };

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** Why a run failed: any shared error code, or a run-only reason. */
export const RunErrorCode = z.union([ErrorCode, z.enum(['interrupted_by_restart', 'run_timeout', 'max_tool_calls'])]);
export type RunErrorCode = z.infer<typeof RunErrorCode>;

export const RunError = z.object({ code: RunErrorCode, message: z.string() });
export type RunError = z.infer<typeof RunError>;

export const RunStatus = z.enum(['completed', 'cancelled', 'failed', 'interrupted', 'blocked', 'max_turns']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunStarted = z.object({ ...eventBase, type: z.literal('run.started'), runId: z.string().min(1), agent: z.string() });
export const ItemAdded = z.object({ ...eventBase, type: z.literal('item.added'), item: Item });
export const TextDelta = z.object({ ...eventBase, type: z.literal('text.delta'), itemId: z.string().min(1), delta: z.string() });
export const ItemDone = z.object({ ...eventBase, type: z.literal('item.done'), item: Item });
export const ItemRemoved = z.object({ ...eventBase, type: z.literal('item.removed'), itemId: z.string().min(1), reason: z.string() });
export const RunFinished = z.object({
  ...eventBase,
  type: z.literal('run.finished'),
  runId: z.string().min(1),
  status: RunStatus,
  error: RunError.optional(),
  usage: Usage.optional(),
});

export type RunStarted = z.infer<typeof RunStarted>;
export type ItemAdded = z.infer<typeof ItemAdded>;
export type TextDelta = z.infer<typeof TextDelta>;
export type ItemDone = z.infer<typeof ItemDone>;
export type ItemRemoved = z.infer<typeof ItemRemoved>;
export type RunFinished = z.infer<typeof RunFinished>;

/** An event that changes a thread; written to SQLite before it is sent (docs/protocol.md, Thread events). */
export const ThreadEvent = z.discriminatedUnion('type', [RunStarted, ItemAdded, TextDelta, ItemDone, ItemRemoved, RunFinished]);
export type ThreadEvent = z.infer<typeof ThreadEvent>;
export type ThreadEventType = ThreadEvent['type'];

/** A thread event before the conversation gives it a thread and a `seq`: what the run loop yields. */
export type ThreadEventBody = ThreadEvent extends infer E ? (E extends ThreadEvent ? Omit<E, 'threadId' | 'seq'> : never) : never;

export const THREAD_EVENT_TYPES: ReadonlySet<string> = new Set(ThreadEvent.options.map((o) => o.shape.type.value));

/** Every frame a server may send. */
export const ServerMessage = z.discriminatedUnion('type', [
  Ready,
  ThreadOpened,
  Threads,
  ThreadItems,
  ThreadDeleted,
  ThreadsDeleted,
  MessageAccepted,
  FeedbackSaved,
  RunRetried,
  Pong,
  ErrorMessage,
  RunStarted,
  ItemAdded,
  TextDelta,
  ItemDone,
  ItemRemoved,
  RunFinished,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];

/** Whether a server frame is a numbered thread event. */
export function isThreadEvent(message: ServerMessage): message is ThreadEvent {
  return THREAD_EVENT_TYPES.has(message.type);
}
