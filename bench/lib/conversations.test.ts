import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConversations } from './conversations.ts';
import { tokenText } from './token-source.ts';

type Tamper = (events: Record<string, unknown>[]) => Record<string, unknown>[];

/** A protocol peer that answers one message with `tokens` deltas, passed through `tamper` first. */
async function peer(tokens: number, tamper: Tamper = (events) => events): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  let threads = 0;
  wss.on('connection', (ws) => {
    const threadId = `th_${++threads}`;
    const send = (frame: Record<string, unknown>) => ws.send(JSON.stringify(frame));
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as { type: string; id: string };
      if (f.type === 'hello') send({ type: 'ready', replyTo: f.id });
      if (f.type === 'thread.create') send({ type: 'thread.opened', replyTo: f.id, thread: { id: threadId }, lastSeq: 0 });
      if (f.type !== 'message.send') return;
      send({ type: 'message.accepted', replyTo: f.id, runId: 'run_1' });
      const bodies: Record<string, unknown>[] = [{ type: 'run.started', runId: 'run_1', agent: 'writer' }];
      for (let i = 0; i < tokens; i++) bodies.push({ type: 'text.delta', itemId: 'it_1', delta: tokenText(i) });
      bodies.push({ type: 'run.finished', runId: 'run_1', status: 'completed' });
      for (const event of tamper(bodies.map((body, i) => ({ ...body, threadId, seq: i + 1 })))) send(event);
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => wss.close(() => resolve())),
  };
}

describe('runConversations checks every event at the client', () => {
  const open: Array<{ close: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
  });

  it('Should time every conversation of an intact stream: first delta, one gap per later delta', async () => {
    const p = await peer(10);
    open.push(p);
    const { timings, wallMs } = await runConversations(p.url, 5, 10, 5_000);
    expect(timings).toHaveLength(5);
    for (const t of timings) {
      expect(t.gaps).toHaveLength(9);
      expect(t.firstDelta).toBeGreaterThanOrEqual(0);
      expect(t.firstDelta).toBeLessThanOrEqual(t.total);
    }
    expect(wallMs).toBeGreaterThanOrEqual(Math.max(...timings.map((t) => t.total)));
  });

  it('Should throw when an event is lost', async () => {
    const p = await peer(10, (events) => events.filter((e) => e.seq !== 5));
    open.push(p);
    await expect(runConversations(p.url, 3, 10, 5_000)).rejects.toThrow(/seq 6, expected 5 \(lost or reordered\)/);
  });

  it('Should throw when two events swap places', async () => {
    const p = await peer(10, (events) => [events[0]!, events[2]!, events[1]!, ...events.slice(3)]);
    open.push(p);
    await expect(runConversations(p.url, 2, 10, 5_000)).rejects.toThrow(/lost or reordered/);
  });

  it('Should throw when a delta is changed, or the run does not complete', async () => {
    const changed = await peer(10, (events) => events.map((e) => (e.seq === 3 ? { ...e, delta: 'other ' } : e)));
    open.push(changed);
    await expect(runConversations(changed.url, 1, 10, 5_000)).rejects.toThrow(/streamed text differs/);
    const failed = await peer(10, (events) => events.map((e) => (e.type === 'run.finished' ? { ...e, status: 'failed' } : e)));
    open.push(failed);
    await expect(runConversations(failed.url, 1, 10, 5_000)).rejects.toThrow(/status failed/);
  });

  it('Should throw when a run never finishes', async () => {
    const p = await peer(10, (events) => events.slice(0, -1));
    open.push(p);
    await expect(runConversations(p.url, 1, 10, 300)).rejects.toThrow(/no run.finished in 300 ms/);
  });
});
