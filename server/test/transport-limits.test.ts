import type { ThreadEventBody } from '@agent-chat/shared';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { RunAgent } from '../src/agents/run-types.ts';
import type { TransportOptions } from '../src/transport/websocket-transport.ts';
import { TEST_WORKFLOWS, createScriptedAgent } from './helpers/scripted-agent.ts';
import { useTestScope } from './helpers/test-scope.ts';

describe('Transport limits', () => {
  const scope = useTestScope();
  const server = (transport: Partial<TransportOptions> = {}, runAgent: RunAgent = createScriptedAgent()) =>
    scope.boot({ workflows: TEST_WORKFLOWS, runAgent, transport });
  const connect = scope.socket;

  it('Should close a socket that sends no hello in time with 1008', async () => {
    const s = await server({ helloTimeoutMs: 100 });
    const c = await connect(s);
    const started = Date.now();
    expect((await c.closed).code).toBe(1008);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const ok = await connect(s);
    await ok.request({ type: 'hello', protocol: 1 });
    await new Promise((r) => setTimeout(r, 150));
    expect(ok.ws.readyState).toBe(WebSocket.OPEN); // hello in time: the timer is gone
  });

  it('Should close a frame over the size limit with 1009', async () => {
    const s = await server({ maxPayloadBytes: 4096 });
    const c = await connect(s);
    await c.request({ type: 'hello', protocol: 1 });
    expect(await c.request({ type: 'ping', pad: 'x'.repeat(3000) })).toMatchObject({ type: 'pong' });
    c.send({ type: 'ping', pad: 'x'.repeat(5000) });
    expect((await c.closed).code).toBe(1009);
  });

  it('Should close a flooding socket with rate_limited and 1008', async () => {
    const s = await server({ rateLimit: { burst: 20, perSecond: 5 } });
    const c = await connect(s);
    await c.request({ type: 'hello', protocol: 1 });
    for (let i = 0; i < 60; i++) c.send({ type: 'ping', id: `p${i}` });
    expect((await c.closed).code).toBe(1008);
    expect(c.received.filter((m) => m.type === 'pong').length).toBeLessThan(25);
    expect(c.received.find((m) => m.type === 'error')).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 200 });
  });

  it('Should terminate a socket that stops answering pings, and keep one that answers', async () => {
    const s = await server({ heartbeatMs: 60 });
    const dead = await connect(s, { autoPong: false });
    const alive = await connect(s);
    await dead.request({ type: 'hello', protocol: 1 });
    await alive.request({ type: 'hello', protocol: 1 });
    expect((await dead.closed).code).toBe(1006); // terminated: no close frame
    await new Promise((r) => setTimeout(r, 250));
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('Should refuse upgrades on other paths with 404', async () => {
    const s = await server();
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/elsewhere`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('opened')));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
  });

  it('Should close a reader that stops reading with 1013, and the stream is still complete on resume', async () => {
    const DELTAS = 2000;
    const flood: RunAgent = async function* (input, ctx): AsyncGenerator<ThreadEventBody> {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      const item = { id: ctx.newId(), type: 'assistant_message' as const, createdAt: ctx.now().toISOString(), agent: input.agentId, text: '', status: 'in_progress' as const };
      yield { type: 'item.added', item };
      // 16 MiB: well past what the kernel's loopback socket buffers absorb for a paused reader.
      const chunk = 'x'.repeat(8192);
      for (let i = 0; i < DELTAS; i++) {
        yield { type: 'text.delta', itemId: item.id, delta: chunk };
        if (i % 200 === 199) await new Promise((r) => setImmediate(r));
      }
      yield { type: 'item.done', item: { ...item, text: chunk.repeat(DELTAS), status: 'done' } };
      yield { type: 'run.finished', runId: input.runId, status: 'completed' };
    };
    const s = await server({ outbound: { highWaterBytes: 16 * 1024, maxQueuedBytes: 256 * 1024, maxStallMs: 5000, drainIntervalMs: 10 } }, flood);
    const { client, ready } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const socket = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    client.send({ type: 'message.send', id: 'send', threadId, clientMessageId: 'c', text: 'flood me' });
    await new Promise((r) => setTimeout(r, 30));
    socket.pause(); // a reader that stops reading
    await new Promise((r) => setTimeout(r, 1500));
    socket.resume();
    expect((await client.closed).code).toBe(1013);

    // Nothing was lost: the thread resumes from what this client saw. The run has finished and
    // its deltas were compacted (and this client is far behind), so the resume is a reset whose
    // items hold the whole answer.
    while (s.server.service.activeRuns > 0) await new Promise((r) => setTimeout(r, 20));
    const { client: again } = await scope.connect(s, ready.visitorToken);
    const lastSeen = client.events(threadId).at(-1)?.seq ?? 0;
    const reopened = await again.request({ type: 'thread.open', threadId, afterSeq: lastSeen });
    expect(reopened).toMatchObject({ type: 'thread.opened', reset: true, lastSeq: DELTAS + 6 });
    const answer = (reopened.type === 'thread.opened' ? reopened.items ?? [] : []).find((i) => i.type === 'assistant_message');
    expect(answer).toMatchObject({ status: 'done' });
    expect(answer?.type === 'assistant_message' && answer.text.length).toBe(DELTAS * 8192);
    expect(again.events(threadId)).toEqual([]);
  }, 20_000);
});
