import { type Item, PROTOCOL_VERSION } from '@agent-chat/shared';
import WebSocket from 'ws';
import type { TestServer } from './test-server.ts';
import { TestClient } from './ws-client.ts';

/**
 * Appends `turns` demo-shaped turns straight through the server's event log: a user message,
 * a run with `toolCalls` tool calls and an answer streamed in `deltas` deltas. A long thread in
 * a fraction of a second, stored exactly as a run on a paced model would store it.
 */
export async function appendLongThread(
  s: TestServer,
  threadId: string,
  { turns, toolCalls = 5, deltas = 60, finish = true }: { turns: number; toolCalls?: number; deltas?: number; finish?: boolean },
): Promise<number> {
  const { eventLog } = s.server;
  const at = () => new Date().toISOString();
  let n = 0;
  // Held like a run holds it: the appends need the thread's seq and position in memory.
  const release = await eventLog.acquire(threadId);
  try {
    for (let t = 0; t < turns; t++) {
      const runId = `run_long_${t}`;
      const user: Item = { id: `itm_u${t}`, type: 'user_message', createdAt: at(), text: `question ${t}`, attachments: [] };
      eventLog.append(threadId, { type: 'item.added', item: user });
      eventLog.append(threadId, { type: 'item.done', item: user });
      eventLog.append(threadId, { type: 'run.started', runId, agent: 'triage' });
      for (let c = 0; c < toolCalls; c++) {
        const call: Item = {
          id: `itm_c${t}_${c}`, type: 'tool_call', createdAt: at(), agent: 'triage', callId: `call_${t}_${c}`,
          name: 'lookup_order', arguments: { order_id: String(1000 + c) }, status: 'running',
        };
        eventLog.append(threadId, { type: 'item.added', item: call });
        eventLog.append(threadId, { type: 'item.done', item: { ...call, status: 'completed', output: { ok: true } } });
      }
      if (deltas > 0) {
        const answer: Extract<Item, { type: 'assistant_message' }> = {
          id: `itm_a${t}`, type: 'assistant_message', createdAt: at(), agent: 'triage', text: '', status: 'in_progress',
        };
        eventLog.append(threadId, { type: 'item.added', item: answer });
        for (let d = 0; d < deltas; d++) {
          eventLog.append(threadId, { type: 'text.delta', itemId: answer.id, delta: `word${d} ` });
          // A paced model's tokens arrive in turns of their own: each is its own event, not merged.
          await eventLog.whenFlushed();
        }
        eventLog.append(threadId, { type: 'item.done', item: { ...answer, text: Array.from({ length: deltas }, (_, d) => `word${d} `).join(''), status: 'done' } });
      }
      if (finish) eventLog.append(threadId, { type: 'run.finished', runId, status: 'completed' });
      n += 3 + 2 * toolCalls + (deltas > 0 ? deltas + 2 : 0) + (finish ? 1 : 0);
      // One commit per turn, as a real run would (keeps each transaction small).
      await eventLog.whenFlushed();
    }
  } finally {
    release();
  }
  return n;
}

/** p50, p99 and max of a list of milliseconds. */
export function percentiles(ms: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/**
 * A bare protocol client for the hammering visitor: it runs in the test's process, so it must
 * not add work of its own to the event loop being measured. Frames are only parsed when they
 * answer a request; the replayed events are counted by size and dropped.
 */
class Hammer {
  #ws: WebSocket;
  #ids = 0;
  #waiting = new Map<string, (reply: { type: string; code?: string; reset?: boolean }) => void>();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      const m = /"replyTo":"(h\d+)"/.exec(text);
      if (!m) return;
      this.#waiting.get(m[1]!)?.(JSON.parse(text));
      this.#waiting.delete(m[1]!);
    });
    ws.on('close', () => {
      for (const resolve of this.#waiting.values()) resolve({ type: 'closed' });
      this.#waiting.clear();
    });
  }

  static async open(url: string, visitorToken: string): Promise<Hammer> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const hammer = new Hammer(ws);
    const ready = await hammer.request({ type: 'hello', protocol: PROTOCOL_VERSION, visitorToken });
    if (ready.type !== 'ready') throw new Error(`hello failed: ${ready.type}`);
    return hammer;
  }

  request(message: Record<string, unknown>): Promise<{ type: string; code?: string; reset?: boolean }> {
    const id = `h${++this.#ids}`;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#ws.send(JSON.stringify({ ...message, id }));
    });
  }

  terminate(): void {
    this.#ws.terminate();
  }
}

/**
 * One visitor hammers `thread.open{afterSeq:0}` on `threadId` from three sockets (each sends the
 * next open as soon as the previous one is answered) while another visitor sends `pings`
 * pings one after another. Returns the ping round trips (ms) and how the opens were answered.
 */
export async function hammerReplays(
  s: TestServer,
  { visitorToken, threadId, pings = 120, sockets = 3 }: { visitorToken: string; threadId: string; pings?: number; sockets?: number },
): Promise<{ rtts: number[]; opened: number; rateLimited: number; resets: number }> {
  const hammers = await Promise.all(Array.from({ length: sockets }, () => Hammer.open(s.wsUrl, visitorToken)));
  const { client: pinger } = await TestClient.open(s.wsUrl);
  let stop = false;
  let opened = 0;
  let rateLimited = 0;
  let resets = 0;
  const loops = hammers.map(async (hammer) => {
    while (!stop) {
      const reply = await hammer.request({ type: 'thread.open', threadId, afterSeq: 0 });
      if (reply.type === 'closed') return;
      if (reply.type === 'thread.opened') {
        opened++;
        if (reply.reset) resets++;
      } else if (reply.type === 'error' && reply.code === 'rate_limited') {
        rateLimited++;
        // A hammering client does not wait out retryAfterMs; it only yields a moment.
        await new Promise((r) => setTimeout(r, 5));
      } else {
        throw new Error(`unexpected reply to thread.open: ${JSON.stringify(reply).slice(0, 200)}`);
      }
    }
  });
  // Let the hammering start before measuring.
  await new Promise((r) => setTimeout(r, 100));
  const rtts: number[] = [];
  try {
    for (let i = 0; i < pings; i++) {
      const sent = performance.now();
      const pong = await pinger.request({ type: 'ping' }, 120_000);
      if (pong.type !== 'pong') throw new Error(`ping answered with ${pong.type}`);
      rtts.push(performance.now() - sent);
      pinger.received.length = 0;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    stop = true;
    for (const hammer of hammers) hammer.terminate();
    pinger.ws.terminate();
    await Promise.allSettled(loops);
  }
  return { rtts, opened, rateLimited, resets };
}
