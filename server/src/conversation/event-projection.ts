import type { Item, ThreadEvent } from '@agent-chat/shared';
import type { StorageOp } from '../store/storage.ts';
import { threadTitle } from './thread-title.ts';

/** One appended event waiting in the event log's batch, with what the projection needs from the append. */
export interface LoggedEvent {
  kind: 'event';
  event: ThreadEvent;
  /** The stored and sent JSON, made when the batch is taken (a later delta may still be merged before). */
  json: string;
  /** item.added: the item's position in the thread. */
  position: number;
  /** The run whose items are being added (recorded as the items' run id). */
  runId: string | null;
  /** run.finished: compact the deltas after this seq. item.removed: forget the item's events from this seq. */
  compactFrom: number;
  /** item.done of a user message: its text when it was added (a rewritten message retitles the thread). */
  addedText?: string;
}

/** Writes queued with the events, committed in the same transaction, in queue order. */
export interface QueuedOps {
  kind: 'ops';
  threadId: string;
  ops: readonly StorageOp[];
}

export type LogEntry = LoggedEvent | QueuedOps;

/**
 * What a batch of the event log means for storage: each event stored, the items it adds,
 * changes or removes, runs started and finished, compaction, and each touched thread's row.
 * Text deltas are coalesced into one `item.update` per item per batch, written from
 * `openItem` (the item with the text streamed so far) unless the batch also finishes it. The
 * thread row's `last_seq` moves only with events other than text deltas (a row update per
 * token would double what each one costs to commit). Pure: it reads nothing but its arguments.
 */
export function projectBatch(batch: readonly LogEntry[], now: string, openItem: (threadId: string, itemId: string) => Item | undefined): StorageOp[] {
  const ops: StorageOp[] = [];
  const dirty = new Map<string, { threadId: string; final: Item | null }>(); // null: take the open state
  const touched = new Map<string, number>(); // thread → its last seq in the batch, for threads with more than deltas
  for (const entry of batch) {
    if (entry.kind === 'ops') {
      ops.push(...entry.ops);
      continue;
    }
    const e = entry.event;
    ops.push({ op: 'event.append', event: e, json: entry.json, createdAt: now });
    if (e.type !== 'text.delta') touched.set(e.threadId, e.seq);
    else if (touched.has(e.threadId)) touched.set(e.threadId, e.seq);
    switch (e.type) {
      case 'run.started':
        ops.push({ op: 'run.start', runId: e.runId, threadId: e.threadId, agent: e.agent, trigger: 'message', startedAt: now });
        break;
      case 'run.finished':
        ops.push({ op: 'run.finish', runId: e.runId, status: e.status, error: e.error, finishedAt: now });
        ops.push({ op: 'events.compact_run', threadId: e.threadId, afterSeq: entry.compactFrom, throughSeq: e.seq });
        break;
      case 'item.added':
        ops.push({ op: 'item.insert', threadId: e.threadId, position: entry.position, item: e.item, runId: entry.runId, createdAt: e.item.createdAt });
        if (e.item.type === 'user_message') ops.push({ op: 'thread.title_if_empty', threadId: e.threadId, title: threadTitle(e.item.text) });
        if (e.item.type === 'handoff') ops.push({ op: 'thread.agent', threadId: e.threadId, agent: e.item.to });
        break;
      case 'text.delta':
        if (!dirty.has(e.itemId)) dirty.set(e.itemId, { threadId: e.threadId, final: null });
        break;
      case 'item.done':
        // A rewritten message (a PII guardrail redacts it) must not leave its old text in the title.
        if (e.item.type === 'user_message' && entry.addedText !== undefined && entry.addedText !== e.item.text) {
          ops.push({ op: 'thread.retitle', threadId: e.threadId, from: threadTitle(entry.addedText), to: threadTitle(e.item.text) });
        }
        dirty.set(e.item.id, { threadId: e.threadId, final: e.item });
        break;
      case 'item.removed':
        ops.push({ op: 'item.delete', itemId: e.itemId });
        dirty.delete(e.itemId);
        // Withdrawn text is not kept: a resume from before this point gets the items instead.
        ops.push({ op: 'events.forget_item', threadId: e.threadId, itemId: e.itemId, fromSeq: entry.compactFrom });
        break;
    }
  }
  // Coalesced: one update per touched item per batch, however many deltas it received. A copy,
  // since the open item keeps growing while the batch is applied.
  for (const [itemId, { threadId, final }] of dirty) {
    const state = final ?? openItem(threadId, itemId);
    if (state) ops.push({ op: 'item.update', item: final ? state : { ...state } });
  }
  for (const [threadId, lastSeq] of touched) ops.push({ op: 'thread.touch', threadId, lastSeq, updatedAt: now });
  return ops;
}
