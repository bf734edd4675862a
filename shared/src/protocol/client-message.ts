import { z } from 'zod';

/** Optional request id; the direct reply or error carries it back as `replyTo`. */
const requestId = { id: z.string().min(1).max(128).optional() };
const threadId = z.string().min(1).max(128);

export const Hello = z.object({
  ...requestId,
  type: z.literal('hello'),
  protocol: z.number().int(),
  publicKey: z.string().max(256).optional(),
  userToken: z.string().max(4096).optional(),
  /**
   * Kept loose on purpose: a token that is not a string, too long or unreadable must not fail
   * the hello; the server ignores it and issues a new visitor (docs/protocol.md).
   */
  visitorToken: z.unknown().optional(),
});
export type Hello = z.infer<typeof Hello>;

export const ThreadCreate = z.object({
  ...requestId,
  type: z.literal('thread.create'),
  workflow: z.string().min(1).max(128),
});
export type ThreadCreate = z.infer<typeof ThreadCreate>;

export const ThreadList = z.object({
  ...requestId,
  type: z.literal('thread.list'),
  cursor: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
export type ThreadList = z.infer<typeof ThreadList>;

export const ThreadOpen = z.object({
  ...requestId,
  type: z.literal('thread.open'),
  threadId,
  afterSeq: z.number().int().nonnegative().optional(),
});
export type ThreadOpen = z.infer<typeof ThreadOpen>;

export const ThreadHistory = z.object({
  ...requestId,
  type: z.literal('thread.history'),
  threadId,
  beforeItemId: z.string().min(1),
  limit: z.number().int().min(1).max(100).optional(),
});
export type ThreadHistory = z.infer<typeof ThreadHistory>;

export const ThreadDelete = z.object({
  ...requestId,
  type: z.literal('thread.delete'),
  threadId,
});
export type ThreadDelete = z.infer<typeof ThreadDelete>;

/** Deletes every thread of the caller (the widget's "delete all my conversations"). */
export const ThreadDeleteAll = z.object({
  ...requestId,
  type: z.literal('thread.delete_all'),
});
export type ThreadDeleteAll = z.infer<typeof ThreadDeleteAll>;

export const MessageSend = z.object({
  ...requestId,
  type: z.literal('message.send'),
  threadId,
  clientMessageId: z.string().min(1).max(128),
  text: z.string(),
  attachments: z.array(z.string().min(1)).max(20).optional(),
});
export type MessageSend = z.infer<typeof MessageSend>;

export const RunCancel = z.object({
  ...requestId,
  type: z.literal('run.cancel'),
  threadId,
  runId: z.string().min(1),
});
export type RunCancel = z.infer<typeof RunCancel>;

export const ToolApproval = z.object({
  ...requestId,
  type: z.literal('tool.approval'),
  threadId,
  callId: z.string().min(1),
  approved: z.boolean(),
  reason: z.string().max(2000).optional(),
});
export type ToolApproval = z.infer<typeof ToolApproval>;

export const Feedback = z.object({
  ...requestId,
  type: z.literal('feedback'),
  threadId,
  itemId: z.string().min(1),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(4000).optional(),
});
export type Feedback = z.infer<typeof Feedback>;

/** Runs the failed reply `runId` (the thread's last run) again over the same history. */
export const RunRetry = z.object({
  ...requestId,
  type: z.literal('run.retry'),
  threadId,
  runId: z.string().min(1).max(128),
});
export type RunRetry = z.infer<typeof RunRetry>;

export const Ping = z.object({ ...requestId, type: z.literal('ping') });
export type Ping = z.infer<typeof Ping>;

/** Every frame a client may send (docs/protocol.md, Requests). */
export const ClientMessage = z.discriminatedUnion('type', [
  Hello,
  ThreadCreate,
  ThreadList,
  ThreadOpen,
  ThreadHistory,
  ThreadDelete,
  ThreadDeleteAll,
  MessageSend,
  RunCancel,
  ToolApproval,
  Feedback,
  RunRetry,
  Ping,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];

/** The `type` values a client may send; anything else is a `bad_frame`. */
export const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(ClientMessage.options.map((o) => o.shape.type.value));
