import type { ThreadEventBody } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import type { RunAgent } from '../src/agents/run-types.ts';
import { TEST_WORKFLOWS } from './helpers/scripted-agent.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { NO_QUOTAS, sqliteOf } from './helpers/test-server.ts';
import { type TestClient, seqs, textFromDeltas } from './helpers/ws-client.ts';

/**
 * A model that answers in one burst: "burst N" yields N deltas without ever waiting on the event
 * loop (like a cached reply); anything else gets a short five-word answer.
 */
const burstAgent: RunAgent = async function* (input, ctx): AsyncGenerator<ThreadEventBody> {
  yield { type: 'run.started', runId: input.runId, agent: input.agentId };
  const asked = input.trigger.kind === 'message' ? input.trigger.message.text : '';
  const n = /^burst (\d+)$/.exec(asked)?.[1];
  const words = n ? Array.from({ length: Number(n) }, (_, i) => `w${i} `) : ['a ', 'short ', 'answer ', 'for ', 'you'];
  const item = { id: ctx.newId(), type: 'assistant_message' as const, createdAt: ctx.now().toISOString(), agent: input.agentId, text: '', status: 'in_progress' as const };
  yield { type: 'item.added', item };
  for (const delta of words) yield { type: 'text.delta', itemId: item.id, delta };
  yield { type: 'item.done', item: { ...item, text: words.join(''), status: 'done' } };
  yield { type: 'run.finished', runId: input.runId, status: 'completed' };
};

describe('Event path under bursts', () => {
  const scope = useTestScope();
  const boot = () =>
    scope.boot({
      workflows: TEST_WORKFLOWS,
      runAgent: burstAgent,
      env: NO_QUOTAS,
    });

  async function thread(client: TestClient): Promise<string> {
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    return opened.type === 'thread.opened' ? opened.thread.id : '';
  }

  it('Should deliver every event of several bursting threads once, in seq order, as the exact JSON stored', async () => {
    const s = await boot();
    const runs = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const { client } = await scope.connect(s);
        const raw: string[] = [];
        client.ws.on('message', (data) => raw.push(data.toString()));
        const threadId = await thread(client);
        return { client, raw, threadId, n: 1500 + i * 500 };
      }),
    );
    for (const r of runs) r.client.send({ type: 'message.send', id: 'go', threadId: r.threadId, clientMessageId: 'c', text: `burst ${r.n}` });
    await Promise.all(runs.map((r) => r.client.waitFor((m) => m.type === 'run.finished' && m.threadId === r.threadId, 30_000)));
    for (const r of runs) {
      const events = r.client.events(r.threadId);
      expect(seqs(events)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      // Streamed in many frames, not one: deltas that waited for the same commit were merged.
      const frames = events.filter((e) => e.type === 'text.delta').length;
      expect(frames).toBeGreaterThan(1);
      expect(frames).toBeLessThanOrEqual(r.n);
      const done = events.find((e) => e.type === 'item.done' && e.item.type === 'assistant_message');
      const answer = done?.type === 'item.done' && done.item.type === 'assistant_message' ? done.item : undefined;
      expect(answer?.text).toBe(Array.from({ length: r.n }, (_, i) => `w${i} `).join(''));
      expect(textFromDeltas(events, answer?.id ?? '')).toBe(answer?.text);
      // What is still stored after compaction (the events after the last delta) went out byte
      // for byte as stored.
      const lastDelta = Math.max(...events.filter((e) => e.type === 'text.delta').map((e) => e.seq));
      const stored = sqliteOf(s.server).db
        .prepare<[string], { json: string }>('SELECT json FROM events WHERE thread_id = ? ORDER BY seq')
        .all(r.threadId)
        .map((row) => row.json);
      expect(stored).toHaveLength(events.filter((e) => e.seq > lastDelta).length);
      expect(r.raw.filter((frame) => stored.includes(frame))).toEqual(stored);
    }
    // Many busy runs: one transaction carried many events.
    expect(s.server.eventLog.stats.largestBatch).toBeGreaterThan(10);
  }, 60_000);

  it("Should not let one thread's burst hold back another thread's reply", async () => {
    const s = await boot();
    const { client: a } = await scope.connect(s);
    const { client: b } = await scope.connect(s);
    const threadA = await thread(a);
    const threadB = await thread(b);
    const BURST = 20_000;
    let received = 0;
    const arrival = new Map<string, number>();
    const mark = (key: string) => () => void (arrival.has(key) || arrival.set(key, ++received));
    a.ws.on('message', (data) => {
      received++;
      if (data.toString().includes('"run.finished"')) mark('a.finished')();
    });
    b.ws.on('message', (data) => {
      received++;
      if (data.toString().includes('"run.finished"')) mark('b.finished')();
    });
    a.send({ type: 'message.send', id: 'go', threadId: threadA, clientMessageId: 'c', text: `burst ${BURST}` });
    // The burst is under way once its first token is out (the old path sent nothing before the
    // whole burst was consumed); only then does the other visitor ask.
    await a.waitFor((m) => m.type === 'text.delta', 30_000);
    b.send({ type: 'message.send', id: 'go', threadId: threadB, clientMessageId: 'c', text: 'hello' });
    await b.waitFor((m) => m.type === 'run.finished', 30_000);
    const aTextBeforeB = a.events(threadA).reduce((n, e) => n + (e.type === 'text.delta' ? e.delta.length : 0), 0);
    await a.waitFor((m) => m.type === 'run.finished', 60_000);
    expect(arrival.get('b.finished')).toBeLessThan(arrival.get('a.finished')!);
    // Generous: B's whole reply came while most of A's burst was still to come.
    const whole = Array.from({ length: BURST }, (_, i) => `w${i} `).join('');
    expect(aTextBeforeB).toBeLessThan(whole.length / 2);
    const all = a.events(threadA);
    expect(seqs(all)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    const first = all.find((e) => e.type === 'text.delta');
    expect(textFromDeltas(all, first?.type === 'text.delta' ? first.itemId : '')).toBe(whole);
  }, 90_000);

  it('Should keep serving a thread\'s other watchers in full while one of its sockets stops reading', async () => {
    const s = await scope.boot({
      workflows: TEST_WORKFLOWS,
      runAgent: burstAgent,
      transport: { outbound: { highWaterBytes: 16 * 1024, maxQueuedBytes: 4 * 1024 * 1024, maxStallMs: 15_000, drainIntervalMs: 10 } },
    });
    const { client: stalled, ready } = await scope.connect(s);
    const threadId = await thread(stalled);
    const { client: reader } = await scope.connect(s, ready.visitorToken);
    expect(await reader.request({ type: 'thread.open', threadId })).toMatchObject({ type: 'thread.opened' });
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const BURST = 20_000;
    reader.send({ type: 'message.send', id: 'go', threadId, clientMessageId: 'c', text: `burst ${BURST}` });
    await reader.waitFor((m) => m.type === 'run.finished', 60_000);
    const events = reader.events(threadId);
    expect(seqs(events)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    // This reader kept up: every seq, the whole text. The stalled socket got only what fit before it stopped.
    const delta = events.find((e) => e.type === 'text.delta');
    expect(textFromDeltas(events, delta?.type === 'text.delta' ? delta.itemId : '')).toBe(Array.from({ length: BURST }, (_, i) => `w${i} `).join(''));
    const textOf = (list: typeof events) => list.reduce((n, e) => n + (e.type === 'text.delta' ? e.delta.length : 0), 0);
    expect(textOf(stalled.events(threadId))).toBeLessThan(textOf(events));
  }, 90_000);
});
