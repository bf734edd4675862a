/*
 * A bench server in its own process, so its memory is measured alone (the bench's client
 * sockets live in the parent). Started by child-server.ts with `--import tsx --expose-gc`;
 * argv[2] is the JSON spec. It answers the parent's IPC requests (memory, peak, stop).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { removeDir, startTestServer } from '../../server/test/helpers/test-server.ts';
import { BENCH_WORKFLOW, pacedProvider } from './paced-model.ts';
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
    models: pacedProvider({ tokens: spec.tokens, paceMs: spec.paceMs }),
  });
  wsUrl = server.wsUrl;
  close = async () => {
    await server.close();
    removeDir(server.dataDir);
  };
} else {
  // The baseline: a bare `ws` server that answers each frame with a small `ready`, nothing else,
  // so its clients open the same way (connect, one request, one answer) and then sit idle.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1/ws', perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const { id } = JSON.parse(data.toString()) as { id?: string };
      ws.send(JSON.stringify({ type: 'ready', replyTo: id }));
    }),
  );
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
