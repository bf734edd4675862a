import type { Item, ThreadEvent } from '@agent-chat/shared';
import type { Storage, StorageOp, ThreadRecord } from '../../src/store/storage.ts';

// Records, items, events and ops for storage tests: small, valid, and deterministic.

/** An ISO time on 2026-01-01 at `minute` past midnight UTC. */
export const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

/** A thread of `visitor:v1`, created and updated at minute 0, with no events yet. */
export function threadRecord(id: string, over: Partial<ThreadRecord> = {}): ThreadRecord {
  return { id, owner: 'visitor:v1', workflow: 'support', title: '', currentAgent: 'triage', createdAt: at(0), updatedAt: at(0), lastSeq: 0, ...over };
}

/** Items of each kind, created at minute 1. */
export const user = (id: string, text = 'hello'): Item => ({ id, type: 'user_message', text, attachments: [], createdAt: at(1) });
export const assistant = (id: string, status: 'in_progress' | 'done' | 'incomplete', text = 'hi'): Item => ({
  id,
  type: 'assistant_message',
  agent: 'triage',
  text,
  status,
  createdAt: at(1),
});
export const toolCall = (id: string, status: 'running' | 'awaiting_approval' | 'completed'): Item => ({
  id,
  type: 'tool_call',
  agent: 'billing',
  callId: `call-${id}`,
  name: 'refund',
  arguments: { order: '1234' },
  status,
  createdAt: at(1),
});

/** The op that stores `item` at `position` (created when the item was). */
export const insertItem = (threadId: string, position: number, item: Item, runId: string | null = 'r1'): StorageOp => ({
  op: 'item.insert',
  threadId,
  position,
  item,
  runId,
  createdAt: item.createdAt,
});

/** The op that stores `event`; `json` is what subscribers would be sent (its plain JSON unless given). */
export function append(event: ThreadEvent, json = JSON.stringify(event)): StorageOp {
  return { op: 'event.append', event, json, createdAt: at(2) };
}
/** Ops that store one event of each kind. */
export const delta = (threadId: string, seq: number, itemId: string, text = 'x'): StorageOp =>
  append({ type: 'text.delta', threadId, seq, itemId, delta: text });
export const added = (threadId: string, seq: number, item: Item): StorageOp => append({ type: 'item.added', threadId, seq, item });
export const done = (threadId: string, seq: number, item: Item): StorageOp => append({ type: 'item.done', threadId, seq, item });
export const runStarted = (threadId: string, seq: number, runId: string): StorageOp => append({ type: 'run.started', threadId, seq, runId, agent: 'triage' });
export const runFinished = (threadId: string, seq: number, runId: string): StorageOp =>
  append({ type: 'run.finished', threadId, seq, runId, status: 'completed' });

/** The seqs of every stored event of the thread, in order. */
export async function seqs(storage: Storage, threadId: string): Promise<number[]> {
  return (await storage.events.between(threadId, 0, Number.MAX_SAFE_INTEGER, 1000)).map((e) => e.seq);
}
