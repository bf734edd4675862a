/**
 * `pnpm bench`: size and speed figures, compared as ratios measured in one run (timings on
 * shared 2-core machines are noisy; ratios are what to watch).
 *
 * 1. Widget bundle size (raw, gzip -9, brotli) against the 110–280 KB gzip of the reference
 *    widgets (deep-chat, Flowise, Botpress).
 * 2. Streaming: the same offline-model conversations run (a) by the run loop alone, no SQLite or
 *    socket, and (b) through the whole server over a real WebSocket with SQLite. The ratio is
 *    the cost of persistence + transport; also the events per SQLite transaction (batching).
 * 3. Stored rows per demo turn, as streamed and as kept once the run's deltas are compacted.
 * 4. Replay under load: another client's ping round trip while one visitor hammers
 *    `thread.open{afterSeq:0}` on a long thread from three sockets (target: p99 under 50 ms).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import type { Item, ThreadEventBody } from '../shared/src/index.ts';
import { createRunAgent } from '../server/src/agents/run-loop.ts';
import { createModelProvider } from '../server/src/models/openai-provider.ts';
import { createBuiltinToolRegistry } from '../server/src/workflows/builtin-tools.ts';
import { loadWorkflows } from '../server/src/workflows/load-workflows.ts';
import { appendLongThread, hammerReplays, percentiles } from '../server/test/helpers/replay-load.ts';
import { startTestServer } from '../server/test/helpers/test-server.ts';
import { TestClient } from '../server/test/helpers/ws-client.ts';
import { demoTools } from '../demo/tools/index.ts';

const root = resolve(import.meta.dirname, '..');
const MESSAGES = ['I was charged twice for order 1234', 'Is the service down?', 'What does the Summit plan include?', 'hello there'];
const ROUNDS = 15;

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function bundleSize(): void {
  const code = readFileSync(resolve(root, 'widget/dist/widget.js'));
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log('widget bundle');
  console.log(`  raw ${kb(code.length)} · gzip ${kb(gzip)} · brotli ${kb(brotli)}`);
  console.log(`  vs reference widgets 110–280 KB gzip: ${(110 * 1024 / gzip).toFixed(1)}×–${(280 * 1024 / gzip).toFixed(1)}× smaller`);
}

async function runLoopAlone(): Promise<{ events: number; ms: number }> {
  const tools = createBuiltinToolRegistry(demoTools);
  const workflows = loadWorkflows(resolve(root, 'demo/workflows'), { tools });
  const workflow = workflows.get('support')!;
  const runAgent = createRunAgent({ models: createModelProvider({ offlineDelayMs: 0 }), tools });
  let events = 0;
  let id = 0;
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const text of MESSAGES) {
      const message = { id: `itm_${id++}`, type: 'user_message', createdAt: new Date().toISOString(), text, attachments: [] } as Extract<Item, { type: 'user_message' }>;
      const run = runAgent(
        { runId: `run_${id}`, threadId: 'bench', workflow, agentId: workflow.entryAgent, history: [message], trigger: { kind: 'message', message } },
        { newId: () => `itm_${id++}`, now: () => new Date(), signal: new AbortController().signal },
      );
      for await (const _event of run as AsyncIterable<ThreadEventBody>) events++;
    }
  }
  return { events, ms: performance.now() - started };
}

/** Every quota off (0), so a bench measures the event path, not the limits. */
const NO_QUOTAS = {
  MAX_CONCURRENT_RUNS: '0',
  RUNS_PER_MINUTE: '0',
  RUNS_PER_MINUTE_PER_IP: '0',
  THREADS_PER_DAY: '0',
  SOCKETS_PER_IP: '0',
  HELLOS_PER_MINUTE_PER_IP: '0',
  DAILY_TOKENS_PER_IDENTITY: '0',
  DAILY_TOKENS_PER_SITE: '0',
};

async function throughServer(delayMs = 0, rounds = ROUNDS): Promise<{ events: number; ms: number; transactions: number; committed: number; loneDeltas: number }> {
  // One client sends far faster than a visitor: lift the per-socket frame rate limit and the
  // quotas (runs per minute, threads per day, token budgets) for the bench.
  const server = await startTestServer({
    env: { OFFLINE_MODEL_DELAY_MS: String(delayMs), ...NO_QUOTAS },
    transport: { rateLimit: { burst: 10_000, perSecond: 10_000 } },
  });
  const { client } = await TestClient.open(server.wsUrl);
  let events = 0;
  const before = server.server.eventLog.stats;
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const text of MESSAGES) {
      const opened = await client.request({ type: 'thread.create', workflow: 'support' });
      const threadId = (opened as { thread: { id: string } }).thread.id;
      await client.request({ type: 'message.send', threadId, clientMessageId: `b${round}`, text });
      await client.waitFor((m) => m.type === 'run.finished' && m.threadId === threadId, 30_000);
      events += client.events(threadId).length;
    }
  }
  const ms = performance.now() - started;
  const after = server.server.eventLog.stats;
  await client.close();
  await server.close();
  return { events, ms, transactions: after.transactions - before.transactions, committed: after.events - before.events, loneDeltas: after.loneDeltas - before.loneDeltas };
}

bundleSize();
const alone = await runLoopAlone();
const served = await throughServer();
const rate = (r: { events: number; ms: number }) => (r.events / r.ms) * 1000;
console.log(`streaming (${ROUNDS * MESSAGES.length} offline conversations, support workflow)`);
console.log(`  run loop alone:            ${alone.events} events in ${alone.ms.toFixed(0)} ms = ${rate(alone).toFixed(0)} events/s`);
console.log(`  server + SQLite + WebSocket: ${served.events} events in ${served.ms.toFixed(0)} ms = ${rate(served).toFixed(0)} events/s`);
console.log(`  persistence + transport cost: ${(served.ms / served.events / (alone.ms / alone.events)).toFixed(2)}× the time per event of the run loop alone`);
console.log(`  SQLite: ${served.committed} events in ${served.transactions} transactions = ${(served.committed / served.transactions).toFixed(1)} events per transaction`);

// Paced streams, like hosted models (a token every 4 ms, or every 25 ms like the demo's
// offline model), each token in its own event-loop turn: the delta window lets tokens share
// transactions instead of one transaction each.
for (const [pace, rounds] of [[4, 2], [25, 1]] as const) {
  const paced = await throughServer(pace, rounds);
  console.log(`paced stream (${pace} ms per token, ${rounds * MESSAGES.length} conversations)`);
  console.log(`  SQLite: ${paced.committed} events in ${paced.transactions} transactions = ${(paced.committed / paced.transactions).toFixed(1)} events per transaction; ${paced.loneDeltas} transactions held a lone token`);
}

// A typical demo turn (triage → billing → lookup_order → answer), on the demo's paced offline model.
{
  const server = await startTestServer({ env: { OFFLINE_MODEL_DELAY_MS: '0', ...NO_QUOTAS } });
  const { client } = await TestClient.open(server.wsUrl);
  const opened = await client.request({ type: 'thread.create', workflow: 'support' });
  const threadId = (opened as { thread: { id: string } }).thread.id;
  const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'turn', text: MESSAGES[0] });
  await client.runFinished((accepted as { runId: string }).runId, 30_000);
  const streamed = client.events(threadId);
  const kept = server.server.store.events.eventsSince(threadId, 0).length;
  console.log('stored events per demo turn ("I was charged twice for order 1234")');
  console.log(`  streamed: ${streamed.length} events, ${streamed.filter((e) => e.type === 'text.delta').length} of them text deltas; kept after the run: ${kept} rows`);
  await client.close();
  await server.close();
}

for (const [label, build] of [
  ['long thread (50 demo-shaped turns, compacted)', { turns: 50 }],
  ['full replays (936 events, nothing to compact)', { turns: 18, toolCalls: 24, deltas: 0 }],
] as const) {
  const server = await startTestServer({ env: NO_QUOTAS, transport: { rateLimit: { burst: 10_000, perSecond: 10_000 } } });
  const { client, ready } = await TestClient.open(server.wsUrl);
  const opened = await client.request({ type: 'thread.create', workflow: 'support' });
  const threadId = (opened as { thread: { id: string } }).thread.id;
  const events = await appendLongThread(server, threadId, build);
  const result = await hammerReplays(server, { visitorToken: ready.visitorToken, threadId, pings: 200 });
  const { p50, p99, max } = percentiles(result.rtts);
  console.log(`replay under load: ${label}, ${events} events appended; 3 sockets hammer thread.open{afterSeq:0}`);
  console.log(`  another client's ping: median ${p50.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms (target 50 ms: ${p99 < 50 ? 'met' : 'MISSED'}) · max ${max.toFixed(1)} ms`);
  console.log(`  opens answered ${result.opened} (reset ${result.resets}), refused rate_limited ${result.rateLimited}`);
  await client.close();
  await server.close();
}
