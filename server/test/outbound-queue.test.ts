import { describe, expect, it } from 'vitest';
import { OutboundQueue, type OutboundQueueOptions } from '../src/transport/outbound-queue.ts';

const OPTIONS: OutboundQueueOptions = { highWaterBytes: 100, maxQueuedBytes: 10_000, maxStallMs: 60, drainIntervalMs: 5 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A socket that records what it was sent; `overflow` is what the queue calls when it gives up. */
function fakeSocket(overflow: () => void = () => {}) {
  return { bufferedAmount: 0, sent: [] as Array<Record<string, unknown>>, send(data: string) { this.sent.push(JSON.parse(data)); }, overflow };
}
const delta = (seq: number, itemId = 'itm_1', threadId = 'thr_1') => ({ type: 'text.delta', threadId, seq, itemId, delta: `d${seq} ` });

describe('OutboundQueue', () => {
  it('Should send at once below the high-water mark', () => {
    const socket = fakeSocket();
    const queue = new OutboundQueue(socket, OPTIONS);
    queue.push(delta(1));
    queue.push({ type: 'pong' });
    expect(socket.sent.map((m) => m.type)).toEqual(['text.delta', 'pong']);
    expect(queue.length).toBe(0);
  });

  it('Should hold frames above the mark, merge consecutive deltas of one item, and keep order', async () => {
    const socket = fakeSocket(() => {
      throw new Error('must not overflow');
    });
    socket.bufferedAmount = 1000;
    const queue = new OutboundQueue(socket, OPTIONS);
    for (let seq = 1; seq <= 50; seq++) queue.push(delta(seq));
    queue.push({ type: 'item.done', threadId: 'thr_1', seq: 51 });
    queue.push(delta(52, 'itm_2'));
    queue.push(delta(54, 'itm_2')); // not the next seq: must not merge across a gap
    expect(socket.sent).toEqual([]);
    expect(queue.length).toBe(4);
    socket.bufferedAmount = 0;
    await sleep(20);
    expect(socket.sent.map((m) => [m.type, m.seq])).toEqual([
      ['text.delta', 50],
      ['item.done', 51],
      ['text.delta', 52],
      ['text.delta', 54],
    ]);
    expect(socket.sent[0]!.delta).toBe(Array.from({ length: 50 }, (_, i) => `d${i + 1} `).join(''));
    expect(queue.length).toBe(0);
  });

  it('Should give up on a socket that stays above the mark (stall) or whose queue grows past the cap', async () => {
    let stallOverflows = 0;
    const stalled = fakeSocket(() => stallOverflows++);
    stalled.bufferedAmount = 1000;
    const q1 = new OutboundQueue(stalled, OPTIONS);
    q1.push({ type: 'pong' });
    await sleep(120);
    expect(stallOverflows).toBe(1);
    q1.push({ type: 'pong' }); // disposed: ignored
    expect(stalled.sent).toEqual([]);

    let floodOverflows = 0;
    const flooded = fakeSocket(() => floodOverflows++);
    flooded.bufferedAmount = 1000;
    const q2 = new OutboundQueue(flooded, { ...OPTIONS, maxQueuedBytes: 500 });
    for (let i = 0; i < 20; i++) q2.push({ type: 'item.done', threadId: 'thr_1', seq: i + 1, pad: 'x'.repeat(40) });
    expect(floodOverflows).toBe(1);
    expect(q2.length).toBe(0);
  });
});

describe('OutboundQueue replay', () => {
  it('Should let a resume replay exceed the cap while it keeps moving, but cap live frames behind it', async () => {
    let overflows = 0;
    const socket = fakeSocket(() => overflows++);
    socket.bufferedAmount = 1000;
    const queue = new OutboundQueue(socket, { ...OPTIONS, maxQueuedBytes: 500 });
    for (let seq = 1; seq <= 40; seq++) queue.push({ type: 'item.done', threadId: 'thr_1', seq, pad: 'x'.repeat(40) }, { replay: true });
    expect(overflows).toBe(0); // ~3 KB of replay, cap 500 B
    queue.push(delta(41)); // live, small: fine
    expect(overflows).toBe(0);
    socket.bufferedAmount = 0;
    await sleep(20);
    expect(socket.sent.map((m) => m.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));

    socket.bufferedAmount = 1000;
    for (let seq = 42; seq <= 60; seq++) queue.push({ type: 'item.done', threadId: 'thr_1', seq, pad: 'x'.repeat(40) });
    expect(overflows).toBe(1); // live frames past the cap
  });
});
