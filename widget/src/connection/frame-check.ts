import type { ServerMessage, ServerMessageType } from '@agent-chat/shared';

/*
 * A light structural check of server frames. The widget deliberately does not bundle zod
 * (it would triple the bundle): it checks the fields the reducer and views rely on, and the
 * views render every string as text, so a malformed field can look odd but never run.
 */

type Check = (frame: Record<string, unknown>) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isSeq = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

const ITEM_CHECKS: Record<string, Check> = {
  user_message: (i) => isString(i.text) && optional(i.attachments, Array.isArray),
  assistant_message: (i) => isString(i.text) && isString(i.agent) && isString(i.status),
  tool_call: (i) => isString(i.callId) && isString(i.name) && isString(i.status) && isObject(i.arguments),
  handoff: (i) => isString(i.from) && isString(i.to),
  guardrail: (i) => isString(i.name) && isString(i.message) && isString(i.stage),
};

/** Whether a value looks like a protocol item the views can render. */
export function isItem(value: unknown): boolean {
  if (!isObject(value) || !isString(value.id) || !isString(value.type)) return false;
  const check = ITEM_CHECKS[value.type];
  return check !== undefined && check(value);
}

const isThreadEvent: Check = (f) => isString(f.threadId) && Number.isSafeInteger(f.seq) && (f.seq as number) > 0;

const CHECKS: Record<ServerMessageType, Check> = {
  ready: (f) => isString(f.visitorToken) && isObject(f.user) && optional(f.limits, isObject),
  'thread.opened': (f) =>
    isObject(f.thread) &&
    isString(f.thread.id) &&
    isObject(f.workflow) &&
    Array.isArray(f.workflow.agents) &&
    isSeq(f.lastSeq) &&
    optional(f.items, (v) => Array.isArray(v) && v.every(isItem)),
  threads: (f) => Array.isArray(f.threads),
  'thread.items': (f) => isString(f.threadId) && Array.isArray(f.items) && f.items.every(isItem),
  'thread.deleted': (f) => isString(f.threadId),
  'threads.deleted': (f) => Number.isSafeInteger(f.count),
  'message.accepted': (f) => isString(f.threadId) && isString(f.clientMessageId) && isString(f.itemId) && isString(f.runId),
  'feedback.saved': () => true,
  pong: () => true,
  error: (f) => isString(f.code) && isString(f.message) && optional(f.retryAfterMs, isSeq),
  'run.started': (f) => isThreadEvent(f) && isString(f.runId) && isString(f.agent),
  'item.added': (f) => isThreadEvent(f) && isItem(f.item),
  'text.delta': (f) => isThreadEvent(f) && isString(f.itemId) && isString(f.delta),
  'item.done': (f) => isThreadEvent(f) && isItem(f.item),
  'item.removed': (f) => isThreadEvent(f) && isString(f.itemId),
  'run.finished': (f) => isThreadEvent(f) && isString(f.runId) && isString(f.status),
};

/**
 * Parses one WebSocket frame from the server. Returns null for anything that is not a JSON
 * object of a known `type` with the fields that type needs. Never throws.
 */
export function parseServerFrame(raw: unknown): ServerMessage | null {
  if (typeof raw !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(value) || !isString(value.type) || !Object.hasOwn(CHECKS, value.type)) return null;
  const check = CHECKS[value.type as ServerMessageType];
  return check(value) ? (value as unknown as ServerMessage) : null;
}
