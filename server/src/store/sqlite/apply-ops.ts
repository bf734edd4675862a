import type { StorageOp } from '../storage.ts';
import { StorageConflict } from '../storage.ts';
import type { SqliteStatements } from './statements.ts';

/**
 * Executes one batch of writes, in order. Call it inside a transaction: a conflict throws, and
 * the transaction rolls back everything the batch already wrote.
 * @throws StorageConflict when an event's `(thread, seq)` is already stored.
 */
export function applyOps(s: SqliteStatements, ops: readonly StorageOp[]): void {
  for (const op of ops) {
    switch (op.op) {
      case 'event.append':
        appendEvent(s, op);
        break;
      case 'item.insert':
        s.items.insert(op.threadId, op.position, op.item, op.runId, op.createdAt);
        break;
      case 'item.update':
        s.items.update(op.item);
        break;
      case 'item.delete':
        s.items.delete(op.itemId);
        break;
      case 'thread.retitle':
        s.threads.retitle(op.threadId, op.from, op.to);
        break;
      case 'thread.title_if_empty':
        s.threads.setTitleIfEmpty(op.threadId, op.title);
        break;
      case 'thread.agent':
        s.threads.setCurrentAgent(op.threadId, op.agent);
        break;
      case 'thread.touch':
        s.threads.touch(op.threadId, op.lastSeq, op.updatedAt);
        break;
      case 'run.start':
        s.runs.start({ id: op.runId, threadId: op.threadId, agent: op.agent, trigger: op.trigger, startedAt: op.startedAt });
        break;
      case 'run.finish':
        s.runs.finish(op.runId, op.status, op.error, op.finishedAt);
        break;
      case 'run.resume':
        s.runs.resume(op.runId);
        break;
      case 'events.compact_run':
        compacted(s, op.threadId, s.events.compactRun(op.threadId, op.afterSeq, op.throughSeq));
        break;
      case 'events.forget_item':
        compacted(s, op.threadId, s.events.forgetItem(op.threadId, op.itemId, op.fromSeq));
        break;
      case 'client_message.insert':
        s.clientMessages.insert(op.threadId, op.clientMessageId, op.accepted, op.createdAt);
        break;
      case 'approval.decide':
        s.approvals.decide(op.threadId, op.decision, op.decidedAt);
        break;
      case 'approval.clear':
        s.approvals.clear(op.threadId);
        break;
      case 'upload.attach':
        s.uploads.attach(op.ids, op.itemId);
        break;
      case 'run_step.insert':
        s.runSteps.insert(op.step);
        break;
      case 'ledger.add':
        s.runSteps.addToLedger(op.entry);
        break;
      case 'trace.save':
        s.runSteps.saveTrace(op.trace);
        break;
      default:
        op satisfies never;
    }
  }
}

function appendEvent(s: SqliteStatements, op: Extract<StorageOp, { op: 'event.append' }>): void {
  try {
    s.events.append(op.event, op.json, op.createdAt);
  } catch (error) {
    // The unique (thread_id, seq) index: another writer stored this seq first.
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new StorageConflict(`event ${op.event.seq} of thread ${op.event.threadId} is already stored`, { cause: error });
    }
    throw error;
  }
}

/** Moves the thread's compaction point to `seq` (0: nothing was deleted). */
function compacted(s: SqliteStatements, threadId: string, seq: number): void {
  if (seq > 0) s.threads.markCompacted(threadId, seq);
}
