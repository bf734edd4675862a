import { z } from 'zod';
import { ToolDisplay } from './tool-display.ts';

/** ISO 8601 timestamp string, as every `createdAt` / `updatedAt` on the wire. */
export const IsoDate = z.string().min(1);

/** A file attached to a user message (metadata only; bytes live behind `GET /v1/uploads/:id`). */
export const Attachment = z.object({
  id: z.string().min(1),
  name: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
});
export type Attachment = z.infer<typeof Attachment>;

const itemBase = { id: z.string().min(1), createdAt: IsoDate };

export const UserMessageItem = z.object({
  ...itemBase,
  type: z.literal('user_message'),
  text: z.string(),
  attachments: z.array(Attachment).default([]),
});
export type UserMessageItem = z.infer<typeof UserMessageItem>;

export const AssistantMessageStatus = z.enum(['in_progress', 'done', 'incomplete']);
export type AssistantMessageStatus = z.infer<typeof AssistantMessageStatus>;

export const AssistantMessageItem = z.object({
  ...itemBase,
  type: z.literal('assistant_message'),
  agent: z.string(),
  text: z.string(),
  status: AssistantMessageStatus,
});
export type AssistantMessageItem = z.infer<typeof AssistantMessageItem>;

export const ToolCallStatus = z.enum(['running', 'awaiting_approval', 'completed', 'failed', 'denied']);
export type ToolCallStatus = z.infer<typeof ToolCallStatus>;

export const ToolCallItem = z.object({
  ...itemBase,
  type: z.literal('tool_call'),
  agent: z.string(),
  callId: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
  status: ToolCallStatus,
  output: z.unknown().optional(),
  error: z.string().optional(),
  /** The tool's title template and argument labels, for the card (docs/protocol.md, Tool calls). */
  display: ToolDisplay.optional(),
  /** Completed, but found nothing (`null`, `[]`, `{ found: false }`): shown neutral, not as a failure. */
  noMatch: z.boolean().optional(),
});
export type ToolCallItem = z.infer<typeof ToolCallItem>;

export const HandoffItem = z.object({
  ...itemBase,
  type: z.literal('handoff'),
  agent: z.string().optional(),
  from: z.string().min(1),
  to: z.string().min(1),
});
export type HandoffItem = z.infer<typeof HandoffItem>;

export const GuardrailStage = z.enum(['input', 'output']);
export type GuardrailStage = z.infer<typeof GuardrailStage>;

export const GuardrailItem = z.object({
  ...itemBase,
  type: z.literal('guardrail'),
  agent: z.string(),
  name: z.string().min(1),
  stage: GuardrailStage,
  message: z.string(),
});
export type GuardrailItem = z.infer<typeof GuardrailItem>;

/** Everything a thread is made of (docs/protocol.md, Items). */
export const Item = z.discriminatedUnion('type', [
  UserMessageItem,
  AssistantMessageItem,
  ToolCallItem,
  HandoffItem,
  GuardrailItem,
]);
export type Item = z.infer<typeof Item>;
export type ItemType = Item['type'];
