/*
 * A bench server in its own process, so its memory is measured alone (the bench's client
 * sockets live in the parent). Started by child-server.ts with `--import tsx --expose-gc`;
 * argv[2] is the JSON spec. It answers the parent's IPC requests (memory, peak, stop).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { removeDir, startTestServer } from '../../server/test/helpers/test-server.ts';
import { BENCH_WORKFLOW, pacedProvider } from './paced-model.ts';
import { sleep } from './env.ts';
import { tokenText } from './token-source.ts';
import type { ChildReply, ChildRequest, ChildSpec, MemorySample } from './child-server-protocol.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;

function sample(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench child started without --expose-gc');
  // Twice: the first pass may only queue finalizers that free more.
  gc();
  gc();
}

let peak = sample();
const sampler = setInterval(() => {
  const now = sample();
  peak = {
    rss: Math.max(peak.rss, now.rss),
    heapUsed: Math.max(peak.heapUsed, now.heapUsed),
    external: Math.max(peak.external, now.external),
    arrayBuffers: Math.max(peak.arrayBuffers, now.arrayBuffers),
  };
}, 20);
sampler.unref();

let close: () => Promise<void>;
let wsUrl: string;
if (spec.kind === 'agent-chat') {
  const server = await startTestServer({
    env: spec.env,
    transport: spec.transport,
    workflows: new Map([[BENCH_WORKFLOW.id, BENCH_WORKFLOW]]),
    models: pacedProvider({ tokens: spec.tokens, paceMs: spec.paceMs, ...(spec.reply ? { reply: spec.reply } : {}) }),
    ...(spec.mergeTextDeltas !== undefined ? { mergeTextDeltas: spec.mergeTextDeltas } : {}),
  });
  wsUrl = server.wsUrl;
  close = async () => {
    await server.close();
    removeDir(server.dataDir);
  };
} else {
  // The baseline: a bare `ws` server. Its clients open the same way (connect, hello, `ready`) and
  // sit idle, or open a thread and send a message, which it answers with the frames agent-chat
  // sends for it (the same deltas, paced the same way) without storing or checking anything.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1/ws', perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const tokens = spec.tokens ?? 0;
  const paceMs = spec.paceMs ?? 0;
  let threads = 0;
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const { id, type, threadId } = JSON.parse(data.toString()) as { id?: string; type: string; threadId?: string };
      if (type === 'thread.create') ws.send(JSON.stringify({ type: 'thread.opened', replyTo: id, thread: { id: `thr_${++threads}` }, lastSeq: 0 }));
      else if (type === 'message.send') {
        ws.send(JSON.stringify({ type: 'message.accepted', replyTo: id }));
        void stream(ws, threadId!);
      } else ws.send(JSON.stringify({ type: 'ready', replyTo: id }));
    }),
  );
  const stream = async (ws: import('ws').WebSocket, threadId: string) => {
    let seq = 0;
    for (let i = 0; i < tokens; i++) {
      if (paceMs > 0) await sleep(paceMs);
      ws.send(JSON.stringify({ type: 'text.delta', threadId, seq: ++seq, itemId: 'itm_1', delta: tokenText(i) }));
    }
    ws.send(JSON.stringify({ type: 'run.finished', threadId, seq: ++seq, runId: 'run_1', status: 'completed' }));
  };
  wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1/ws`;
  close = () =>
    new Promise((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    });
}

const reply = (message: ChildReply) => process.send?.(message);
process.on('message', async (request: ChildRequest) => {
  if (request.cmd === 'memory') {
    collect();
    reply({ type: 'memory', memory: sample() });
  } else if (request.cmd === 'peak') {
    reply({ type: 'peak', memory: peak });
    peak = sample();
  } else if (request.cmd === 'stop') {
    clearInterval(sampler);
    await close();
    process.exit(0);
  }
});
// The parent went away (even by SIGKILL): do not linger.
process.on('disconnect', () => process.exit(0));
reply({ type: 'listening', wsUrl });
