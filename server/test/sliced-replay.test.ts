import type { Item } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { appendLongThread } from './helpers/replay-load.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { seqs } from './helpers/ws-client.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('sliced replay (real stack)', () => {
  const scope = useTestScope();

  it('Should send a long replay in slices and the live events committed meanwhile after it: every seq once, in order', async () => {
    const s = await scope.boot({ transport: { replaySliceEvents: 50 } });
    const { client, ready } = await scope.connect(s);
    const created = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    // 18 turns of 24 tool calls, no deltas: 936 events, nothing compacted, all replayed (19 slices).
    await appendLongThread(s, threadId, { turns: 18, toolCalls: 24, deltas: 0 });
    const { eventLog } = s.server;
    const release = await eventLog.acquire(threadId);
    eventLog.append(threadId, { type: 'run.started', runId: 'run_live', agent: 'triage' });
    await eventLog.whenFlushed();

    const { client: reader } = await scope.connect(s, ready.visitorToken);
    reader.send({ type: 'thread.open', id: 'open', threadId, afterSeq: 0 });
    // While the slices go out, a run keeps committing: one event per event-loop turn.
    for (let i = 0; i < 40; i++) {
      const call: Item = { id: `itm_live${i}`, type: 'tool_call', createdAt: new Date().toISOString(), agent: 'triage', callId: `call_live${i}`, name: 'lookup_order', arguments: {}, status: 'running' };
      eventLog.append(threadId, { type: 'item.added', item: call });
      await nextTurn();
    }
    eventLog.append(threadId, { type: 'run.finished', runId: 'run_live', status: 'completed' });
    await eventLog.whenFlushed();
    release();
    const last = await s.server.storage.events.lastSeq(threadId);
    await reader.waitFor((m) => m.type === 'run.finished' && m.runId === 'run_live');

    const opened = reader.received.find((m) => m.replyTo === 'open');
    expect(opened).toMatchObject({ type: 'thread.opened' });
    expect(opened?.type === 'thread.opened' && opened.reset).toBeUndefined();
    const lastSeqAtOpen = opened?.type === 'thread.opened' ? opened.lastSeq : 0;
    expect(lastSeqAtOpen).toBeLessThan(last - 20); // most live events were committed after the open
    const events = reader.events(threadId);
    expect(seqs(events)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(reader.received.indexOf(opened!)).toBeLessThan(reader.received.indexOf(events[0]!));
  });

  it('Should answer a socket that keeps asking for replays with rate_limited and retryAfterMs, and keep serving it', async () => {
    const s = await scope.boot({ transport: { replayRate: { burst: 3, perSecond: 2 }, replaySliceEvents: 100 } });
    const { client } = await scope.connect(s);
    const created = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    expect(created.type).toBe('thread.opened');
    await appendLongThread(s, threadId, { turns: 6, toolCalls: 24, deltas: 0 }); // 312 events: 4 slices
    const first = await client.request({ type: 'thread.open', threadId, afterSeq: 0 });
    expect(first).toMatchObject({ type: 'thread.opened', lastSeq: 312 });
    const second = await client.request({ type: 'thread.open', threadId, afterSeq: 0 });
    expect(second).toMatchObject({ type: 'error', code: 'rate_limited', retryable: true });
    const retryAfterMs = second.type === 'error' ? second.retryAfterMs ?? 0 : 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await new Promise((r) => setTimeout(r, retryAfterMs + 50));
    client.received.length = 0;
    expect(await client.request({ type: 'thread.open', threadId, afterSeq: 300 })).toMatchObject({ type: 'thread.opened' });
    await client.waitFor(() => client.events(threadId).length === 12);
    expect(seqs(client.events(threadId))).toEqual(Array.from({ length: 12 }, (_, i) => 301 + i));
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });
});
