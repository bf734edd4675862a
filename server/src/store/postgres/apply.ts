import { assertNever } from '@agent-chat/shared';
import type pg from 'pg';
import { StorageConflict, type StorageOp } from '../storage.ts';
import { commitPayloads, NOTIFY_COMMITS } from './commit-feed.ts';
import { inTransaction } from './pool.ts';
import { EVENT_KEY_CONSTRAINT } from './schema.ts';

type EventAppend = Extract<StorageOp, { op: 'event.append' }>;

/**
 * Applies a batch in one transaction, in order; any failure rolls all of it back. A duplicate
 * `(thread, seq)` rejects with StorageConflict: another writer stored that event first. With a
 * `writer` id, the batch's events are announced to other instances (see commit-feed.ts).
 */
export async function applyOps(pool: pg.Pool, ops: readonly StorageOp[], writer?: string): Promise<void> {
  if (ops.length === 0) return;
  try {
    await inTransaction(pool, async (client) => {
      const highest = new Map<string, number>();
      for (let i = 0; i < ops.length; ) {
        const op = ops[i]!;
        if (op.op === 'event.append') {
          // Consecutive events (most of a batch) go in one INSERT: one round trip, same order.
          let end = i + 1;
          while (end < ops.length && ops[end]!.op === 'event.append') end++;
          const appended = ops.slice(i, end) as EventAppend[];
          await appendEvents(client, appended);
          for (const { event } of appended) highest.set(event.threadId, Math.max(highest.get(event.threadId) ?? 0, event.seq));
          i = end;
        } else {
          await applyOne(client, op);
          i++;
        }
      }
      // Other instances watching these threads hear of the events when (and only if) this commits.
      if (writer !== undefined && highest.size > 0) await client.query(NOTIFY_COMMITS, [commitPayloads(writer, highest)]);
    });
  } catch (error) {
    if (isEventConflict(error)) throw new StorageConflict('an event with this (thread, seq) is already stored', { cause: error });
    throw error;
  }
}

function isEventConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === EVENT_KEY_CONSTRAINT;
}

async function appendEvents(client: pg.PoolClient, ops: readonly EventAppend[]): Promise<void> {
  await client.query(
    `INSERT INTO events (thread_id, seq, type, json, created_at)
     SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[])`,
    [ops.map((o) => o.event.threadId), ops.map((o) => o.event.seq), ops.map((o) => o.event.type), ops.map((o) => o.json), ops.map((o) => o.createdAt)],
  );
}

async function applyOne(client: pg.PoolClient, op: Exclude<StorageOp, EventAppend>): Promise<void> {
  switch (op.op) {
    case 'item.insert':
      await client.query(
        'INSERT INTO items (thread_id, position, id, type, json, run_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [op.threadId, op.position, op.item.id, op.item.type, JSON.stringify(op.item), op.runId, op.createdAt],
      );
      return;
    case 'item.update':
      await client.query('UPDATE items SET json = $1 WHERE id = $2', [JSON.stringify(op.item), op.item.id]);
      return;
    case 'item.delete':
      await client.query('DELETE FROM items WHERE id = $1', [op.itemId]);
      return;
    case 'thread.retitle':
      await client.query('UPDATE threads SET title = $1 WHERE id = $2 AND title = $3', [op.to, op.threadId, op.from]);
      return;
    case 'thread.title_if_empty':
      await client.query("UPDATE threads SET title = $1 WHERE id = $2 AND title = ''", [op.title, op.threadId]);
      return;
    case 'thread.agent':
      await client.query('UPDATE threads SET current_agent = $1 WHERE id = $2', [op.agent, op.threadId]);
      return;
    case 'thread.touch':
      await client.query('UPDATE threads SET last_seq = GREATEST(last_seq, $1), updated_at = $2 WHERE id = $3', [
        op.lastSeq,
        op.updatedAt,
        op.threadId,
      ]);
      return;
    case 'run.start':
      await client.query(
        `INSERT INTO runs (id, thread_id, status, agent, "trigger", started_at) VALUES ($1, $2, 'running', $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [op.runId, op.threadId, op.agent, op.trigger, op.startedAt],
      );
      return;
    case 'run.resume':
      await client.query('UPDATE runs SET resumes = resumes + 1 WHERE id = $1', [op.runId]);
      return;
    case 'run.finish':
      await client.query('UPDATE runs SET status = $1, error_json = $2, finished_at = $3 WHERE id = $4', [
        op.status,
        op.error ? JSON.stringify(op.error) : null,
        op.finishedAt,
        op.runId,
      ]);
      return;
    case 'events.compact_run':
      // The compaction point is the run's last text delta; its deltas and every earlier event
      // of the thread go (none lies above the point), and compacted_seq moves up to it.
      await client.query(
        `WITH point AS (
           SELECT MAX(seq) AS seq FROM events WHERE thread_id = $1 AND seq > $2 AND seq <= $3 AND type = 'text.delta'
         ), dropped AS (
           DELETE FROM events e USING point WHERE e.thread_id = $1 AND e.seq <= point.seq
         )
         UPDATE threads t SET compacted_seq = GREATEST(t.compacted_seq, point.seq) FROM point
         WHERE t.id = $1 AND point.seq IS NOT NULL`,
        [op.threadId, op.afterSeq, op.throughSeq],
      );
      return;
    case 'events.forget_item':
      await client.query(
        `WITH dropped AS (
           DELETE FROM events WHERE thread_id = $1 AND seq >= $2
           AND ((type = 'text.delta' AND json::jsonb ->> 'itemId' = $3)
             OR (type IN ('item.added', 'item.done') AND json::jsonb -> 'item' ->> 'id' = $3))
           RETURNING seq
         ), point AS (SELECT MAX(seq) AS seq FROM dropped)
         UPDATE threads t SET compacted_seq = GREATEST(t.compacted_seq, point.seq) FROM point
         WHERE t.id = $1 AND point.seq IS NOT NULL`,
        [op.threadId, op.fromSeq, op.itemId],
      );
      return;
    case 'client_message.insert':
      await client.query(
        'INSERT INTO client_messages (thread_id, client_message_id, item_id, run_id, created_at) VALUES ($1, $2, $3, $4, $5)',
        [op.threadId, op.clientMessageId, op.accepted.itemId, op.accepted.runId, op.createdAt],
      );
      return;
    case 'approval.decide':
      await client.query(
        `INSERT INTO approvals (thread_id, call_id, approved, reason, decided_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (thread_id, call_id) DO UPDATE SET approved = EXCLUDED.approved, reason = EXCLUDED.reason,
         decided_at = EXCLUDED.decided_at`,
        [op.threadId, op.decision.callId, op.decision.approved, op.decision.reason ?? null, op.decidedAt],
      );
      return;
    case 'approval.clear':
      await client.query('DELETE FROM approvals WHERE thread_id = $1', [op.threadId]);
      return;
    case 'upload.attach':
      await client.query('UPDATE uploads SET item_id = $1 WHERE id = ANY($2::text[]) AND item_id IS NULL', [op.itemId, op.ids]);
      return;
    case 'run_step.insert': {
      const s = op.step;
      await client.query(
        `INSERT INTO run_steps (thread_id, run_id, step, after_seq, type, agent, model, input_tokens, output_tokens, started_at, json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [s.threadId, s.runId, s.step, s.afterSeq, s.type, s.agent, s.model, s.inputTokens, s.outputTokens, s.startedAt, s.json],
      );
      return;
    }
    case 'ledger.add': {
      const e = op.entry;
      await client.query(
        `INSERT INTO usage_ledger (day, site, workflow, agent, model, provider, calls, input_tokens, output_tokens) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)
         ON CONFLICT (day, site, workflow, agent, model, provider) DO UPDATE SET calls = usage_ledger.calls + 1,
           input_tokens = usage_ledger.input_tokens + EXCLUDED.input_tokens, output_tokens = usage_ledger.output_tokens + EXCLUDED.output_tokens`,
        [e.day, e.site, e.workflow, e.agent, e.model, e.provider, Math.round(e.inputTokens), Math.round(e.outputTokens)],
      );
      return;
    }
    case 'trace.save':
      await client.query(
        `INSERT INTO run_traces (run_id, thread_id, started_at, json) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_id) DO UPDATE SET json = EXCLUDED.json, exported_at = NULL`,
        [op.trace.runId, op.trace.threadId, op.trace.startedAt, op.trace.json],
      );
      return;
    default:
      assertNever(op);
  }
}
