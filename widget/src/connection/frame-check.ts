import type { ServerMessage, ServerMessageType } from '@agent-chat/shared';

/*
 * A light structural check of server frames. The widget deliberately does not bundle zod
 * (it would triple the bundle): it checks the fields the reducer and views rely on, and the
 * views render every string as text, so a malformed field can look odd but never run.
 */

/** `isItem`, or an item of a type this widget does not know (reported once per type): see `parseServerFrame`. */
type ItemCheck = (value: unknown) => boolean;
type Check = (frame: Record<string, unknown>, item: ItemCheck) => boolean;
type Fields = (frame: Record<string, unknown>) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isSeq = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

const ITEM_CHECKS: Record<string, Fields> = {
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

/** Whether this widget knows how to show items of `type`. */
export function isKnownItemType(type: string): boolean {
  return Object.hasOwn(ITEM_CHECKS, type);
}

/**
 * An item of a type this widget does not know (a newer server): well-formed enough to skip,
 * so the rest of its frame still counts. Reported on the console once per type in `reported`.
 */
function isSkippableItem(value: unknown, reported: Set<string>): boolean {
  if (!isObject(value) || !isString(value.id) || !isString(value.type) || isKnownItemType(value.type)) return false;
  if (!reported.has(value.type)) {
    reported.add(value.type);
    console.warn(`<agent-chat>: skipping items of type "${value.type.slice(0, 40)}", which this version of the widget does not know`);
  }
  return true;
}

const itemList = (v: unknown, item: ItemCheck): boolean => Array.isArray(v) && v.every(item);

const isRating = (v: unknown): boolean => isObject(v) && isString(v.itemId) && (v.rating === 'up' || v.rating === 'down');
const ratingList = (v: unknown): boolean => Array.isArray(v) && v.every(isRating);

const isThreadEvent: Fields = (f) => isString(f.threadId) && Number.isSafeInteger(f.seq) && (f.seq as number) > 0;

const CHECKS: Record<ServerMessageType, Check> = {
  ready: (f) => isString(f.visitorToken) && isObject(f.user) && optional(f.limits, isObject),
  'thread.opened': (f, item) =>
    isObject(f.thread) &&
    isString(f.thread.id) &&
    isObject(f.workflow) &&
    Array.isArray(f.workflow.agents) &&
    isSeq(f.lastSeq) &&
    optional(f.items, (v) => itemList(v, item)) &&
    optional(f.feedback, ratingList),
  threads: (f) => Array.isArray(f.threads) && f.threads.every((t) => isObject(t) && isString(t.id) && isString(t.title) && isString(t.workflow) && isString(t.updatedAt)),
  'thread.items': (f, item) => isString(f.threadId) && itemList(f.items, item) && optional(f.feedback, ratingList),
  'thread.deleted': (f) => isString(f.threadId),
  'threads.deleted': (f) => Number.isSafeInteger(f.count),
  'message.accepted': (f) => isString(f.threadId) && isString(f.clientMessageId) && isString(f.itemId) && isString(f.runId),
  'feedback.saved': (f) => isString(f.itemId),
  'run.retried': (f) => isString(f.threadId) && isString(f.runId),
  pong: () => true,
  error: (f) => isString(f.code) && isString(f.message) && optional(f.retryAfterMs, isSeq),
  'run.started': (f) => isThreadEvent(f) && isString(f.runId) && isString(f.agent),
  // An item of an unknown type still takes its seq; the reducer skips the item itself.
  'item.added': (f, item) => isThreadEvent(f) && item(f.item),
  'text.delta': (f) => isThreadEvent(f) && isString(f.itemId) && isString(f.delta),
  'item.done': (f, item) => isThreadEvent(f) && item(f.item),
  'item.removed': (f) => isThreadEvent(f) && isString(f.itemId),
  'run.finished': (f) => isThreadEvent(f) && isString(f.runId) && isString(f.status),
};

/**
 * Parses one WebSocket frame from the server. Returns null for anything that is not a JSON
 * object of a known `type` with the fields that type needs. Items of a type this widget does
 * not know are dropped from lists and left to the reducer to skip, never the whole frame; the
 * first of each type is reported on the console and its type added to `reported` (one set per
 * element, so a long thread of them warns once, not once per frame). Never throws.
 */
export function parseServerFrame(raw: unknown, reported: Set<string> = new Set()): ServerMessage | null {
  if (typeof raw !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(value) || !isString(value.type) || !Object.hasOwn(CHECKS, value.type)) return null;
  const check = CHECKS[value.type as ServerMessageType];
  if (!check(value, (item) => isItem(item) || isSkippableItem(item, reported))) return null;
  // Lists keep only the items this widget can show.
  if (Array.isArray(value.items)) value.items = value.items.filter(isItem);
  return value as unknown as ServerMessage;
}
