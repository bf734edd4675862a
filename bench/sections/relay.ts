/**
 * Section 1 — relay: the full pipeline (WebSocket transport, conversation service, run loop,
 * SQLite event log) against a bare `ws` relay that sends the same frames from the same token
 * source, interleaved in one process. Clocks agree (same process): a token's latency is the time
 * from the model yielding it to the client receiving the frame that carries it.
 */
import { PROTOCOL_VERSION, Workflow } from '../../shared/src/index.ts';
import { WebSocketServer } from 'ws';
import { type TestServer, startTestServer } from '../../server/test/helpers/test-server.ts';
import { BENCH_TRANSPORT, NO_QUOTAS } from '../lib/env.ts';
import { type Frame, FrameClient } from '../lib/frame-client.ts';
import { ms, times } from '../lib/format.ts';
import { interleave } from '../lib/interleave.ts';
import { quantile, stats } from '../lib/stats.ts';
import { TokenSource, replyText, tokenText } from '../lib/token-source.ts';
import type { Section } from '../section.ts';

/** One agent, no tools, no guardrails: the event path and nothing else. */
const RELAY_WORKFLOW = Workflow.parse({
  id: 'relay',
  name: 'Relay',
  entryAgent: 'answer',
  agents: [{ id: 'answer', name: 'Answer', instructions: 'Answer.' }],
});

/** What one reply measured on the client. */
interface Turn {
  /** When each token arrived, indexed like the source's stamps. */
  received: number[];
  /** When each token was yielded by the model. */
  yielded: number[];
}

/**
 * Follows one thread's frames: seqs must be contiguous, the deltas must rebuild the exact reply,
 * and the turn ends at `run.finished`. Anything else throws — a bench that loses or reorders
 * events measures nothing.
 */
class TurnReceiver {
  readonly received: number[];
  #text = '';
  #next = 0;
  #ends: number[] = [];
  #lastSeq: number | undefined;
  #done: (() => void) | undefined;
  #fail: ((error: Error) => void) | undefined;
  readonly finished: Promise<void>;

  constructor(
    readonly label: string,
    readonly threadId: string,
    readonly tokens: number,
  ) {
    this.received = new Array<number>(tokens);
    let end = 0;
    for (let i = 0; i < tokens; i++) this.#ends.push((end += tokenText(i).length));
    this.finished = new Promise((resolve, reject) => {
      this.#done = resolve;
      this.#fail = reject;
    });
  }

  frame(frame: Frame, at: number): void {
    if (frame.threadId !== this.threadId || typeof frame.seq !== 'number') return;
    if (this.#lastSeq !== undefined && frame.seq !== this.#lastSeq + 1) return this.#throw(`seq ${frame.seq} after ${this.#lastSeq}`);
    this.#lastSeq = frame.seq;
    if (frame.type === 'text.delta') {
      this.#text += frame.delta as string;
      while (this.#next < this.tokens && this.#text.length >= this.#ends[this.#next]!) this.received[this.#next++] = at;
    } else if (frame.type === 'run.finished') {
      if (frame.status !== 'completed') return this.#throw(`run finished ${String(frame.status)}`);
      if (this.#text !== replyText(this.tokens)) return this.#throw(`reply arrived altered (${this.#text.length} of ${replyText(this.tokens).length} characters)`);
      this.#done?.();
    }
  }

  #throw(message: string): void {
    this.#fail?.(new Error(`${this.label}: ${message}`));
  }
}

/** Sizes: tokens per reply and rounds kept, per measurement. */
function sizes(quick: boolean) {
  return quick
    ? { pacedTokens: 20, pacedRounds: 2, burstTokens: 60, burstRounds: 3, warmup: 1 }
    : { pacedTokens: 200, pacedRounds: 8, burstTokens: 200, burstRounds: 30, warmup: 2 };
}

const PACE_MS = 5;

const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);

/** One reply through a pipeline or the bare relay, measured at its client. */
type TurnFn = (tokens: number, paceMs: number) => Promise<Turn>;

/**
 * Relay figures: latency per token, first token after a burst, tokens/s against a bare relay.
 * Two pipelines run side by side: the server as configured by default, which merges the deltas
 * of one item that wait for the same commit into one event (fewer, larger frames under a burst),
 * and the same server with merging off, which sends exactly the bare relay's frames (one per
 * token) and so measures the cost per event.
 */
export const relay: Section = async ({ quick, log }) => {
  const size = sizes(quick);
  const source = new TokenSource();
  const servers: TestServer[] = [];
  const clients: FrameClient[] = [];
  /** A server on the token source and a client on it; `turn` streams one reply on a new thread. */
  const startPipeline = async (label: string, mergeTextDeltas: boolean) => {
    const server = await startTestServer({
      env: { ...NO_QUOTAS },
      transport: BENCH_TRANSPORT,
      workflows: new Map([[RELAY_WORKFLOW.id, RELAY_WORKFLOW]]),
      models: source.provider(),
      mergeTextDeltas,
    });
    servers.push(server);
    const client = await FrameClient.connect(server.wsUrl);
    clients.push(client);
    await client.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    const frames: number[] = [];
    const turn = async (tokens: number, paceMs: number, capture?: string[]): Promise<Turn> => {
      const created = await client.request({ type: 'thread.create', workflow: RELAY_WORKFLOW.id });
      const threadId = (created.thread as { id: string }).id;
      const receiver = new TurnReceiver(label, threadId, tokens);
      let deltas = 0;
      client.onFrame = (frame, at, raw) => {
        if (capture && frame.threadId === threadId && typeof frame.seq === 'number') capture.push(raw);
        if (frame.type === 'text.delta' && frame.threadId === threadId) deltas++;
        receiver.frame(frame, at);
      };
      source.plan = { tokens, paceMs };
      await client.request({ type: 'message.send', threadId, clientMessageId: `m${threadId}`, text: 'go' });
      await receiver.finished;
      frames.push(deltas);
      return { received: receiver.received, yielded: source.stamps };
    };
    return { turn, frames };
  };
  const merged = await startPipeline('full pipeline', true);
  const perToken = await startPipeline('full pipeline, one event per token', false);

  // The bare relay sends the frames the pipeline sends for one reply, byte for byte the same
  // shape: the ones before the first delta, one text.delta per token, the ones after the last.
  const captured: string[] = [];
  await perToken.turn(2, 0, captured);
  const parsed = captured.map((raw) => JSON.parse(raw) as Frame);
  const firstDelta = parsed.findIndex((f) => f.type === 'text.delta');
  const lastDelta = parsed.length - 1 - [...parsed].reverse().findIndex((f) => f.type === 'text.delta');
  if (firstDelta < 0) throw new Error('relay: the pipeline sent no text.delta');
  const before = parsed.slice(0, firstDelta);
  const deltaTemplate = parsed[firstDelta]!;
  const after = parsed.slice(lastDelta + 1);

  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let bareThreads = 0;
  wss.on('connection', (socket) => {
    socket.on('message', async (data) => {
      const { tokens, paceMs, threadId } = JSON.parse(data.toString()) as { tokens: number; paceMs: number; threadId: string };
      source.plan = { tokens, paceMs };
      let seq = 1;
      for (const frame of before) socket.send(JSON.stringify({ ...frame, threadId, seq: seq++ }));
      for await (const delta of source.tokens()) socket.send(JSON.stringify({ ...deltaTemplate, threadId, seq: seq++, delta }));
      for (const frame of after) socket.send(JSON.stringify({ ...frame, threadId, seq: seq++ }));
    });
  });
  const address = wss.address();
  if (!address || typeof address !== 'object') throw new Error('relay: the bare relay is not listening');
  const bare = await FrameClient.connect(`ws://127.0.0.1:${address.port}`);
  clients.push(bare);

  /** One reply through the bare relay. */
  const bareTurn: TurnFn = async (tokens, paceMs) => {
    const threadId = `thr_bare${++bareThreads}`;
    const receiver = new TurnReceiver('bare relay', threadId, tokens);
    bare.onFrame = (frame, at) => receiver.frame(frame, at);
    bare.send({ tokens, paceMs, threadId });
    await receiver.finished;
    return { received: receiver.received, yielded: source.stamps };
  };

  try {
    // Paced: latency per token at 5 ms per token.
    const latency = { pipeline: [] as number[], bare: [] as number[] };
    log(`paced: ${size.pacedTokens} tokens at ${PACE_MS} ms, ${size.pacedRounds} rounds`);
    await interleave(
      {
        pipeline: async () => collectLatency(await merged.turn(size.pacedTokens, PACE_MS), latency.pipeline),
        bare: async () => collectLatency(await bareTurn(size.pacedTokens, PACE_MS), latency.bare),
      },
      { warmup: size.warmup, rounds: size.pacedRounds, onRound: (r) => latency.pipeline.length && log(`paced round ${r}`) },
    );
    const pacedFrames = median(merged.frames.splice(0));
    // Burst: the whole reply at once; tokens/s and the first token's wait.
    const first = { pipeline: [] as number[], perToken: [] as number[], bare: [] as number[] };
    log(`burst: ${size.burstTokens} tokens, ${size.burstRounds} rounds`);
    perToken.frames.length = 0;
    const rates = await interleave(
      {
        pipeline: async () => burst(await merged.turn(size.burstTokens, 0), first.pipeline),
        perToken: async () => burst(await perToken.turn(size.burstTokens, 0), first.perToken),
        bare: async () => burst(await bareTurn(size.burstTokens, 0), first.bare),
      },
      { warmup: size.warmup, rounds: size.burstRounds },
    );
    // Per round, pipeline over bare: all three ran back to back, so a slow moment hits them all.
    const s = {
      latencyPipeline: stats(latency.pipeline),
      latencyBare: stats(latency.bare),
      ratePipeline: stats(rates.pipeline),
      ratePerToken: stats(rates.perToken),
      rateBare: stats(rates.bare),
      ratio: stats(rates.pipeline.map((rate, i) => rate / rates.bare[i]!)),
      ratioPerToken: stats(rates.perToken.map((rate, i) => rate / rates.bare[i]!)),
      firstPipeline: stats(first.pipeline),
      firstBare: stats(first.bare),
      pacedFrames,
      burstFrames: median(merged.frames),
      burstFramesPerToken: median(perToken.frames),
    };
    const rate = (x: number) => `${Math.round(x).toLocaleString('en-US')} tokens/s`;
    return {
      title: 'Relay: full pipeline vs bare ws relay of the same frames',
      rows: [
        {
          figure: `latency per token, ${PACE_MS} ms/token, p50 / p99 (model yield → client)`,
          value: `${ms(s.latencyPipeline.p50)} / ${ms(s.latencyPipeline.p99)}`,
          goal: '≤ 2 / 5 ms',
          met: s.latencyPipeline.p50 <= 2 && s.latencyPipeline.p99 <= 5,
        },
        { figure: `  bare ws relay, same pace, p50 / p99`, value: `${ms(s.latencyBare.p50)} / ${ms(s.latencyBare.p99)}` },
        { figure: `  text.delta frames per ${size.pacedTokens}-token paced reply (nothing merged)`, value: `${s.pacedFrames}` },
        {
          figure: `first text.delta after a ${size.burstTokens}-token burst, median (min)`,
          value: `${ms(s.firstPipeline.median)} (${ms(s.firstPipeline.min)})`,
          goal: '≤ 10 ms',
          met: s.firstPipeline.median <= 10,
        },
        { figure: '  bare ws relay, median (min)', value: `${ms(s.firstBare.median)} (${ms(s.firstBare.min)})` },
        { figure: 'unpaced, median (best): one event per token (merging off)', value: `${rate(s.ratePerToken.median)} (${rate(s.ratePerToken.max)})` },
        { figure: '  bare ws relay, one frame per token', value: `${rate(s.rateBare.median)} (${rate(s.rateBare.max)})` },
        {
          figure: 'tokens/s, pipeline sending the same frames ÷ bare relay, same rounds, median (min)',
          value: `${times(s.ratioPerToken.median)} (${times(s.ratioPerToken.min)})`,
          goal: '≥ 0.6×',
          met: s.ratioPerToken.median >= 0.6,
        },
        {
          figure: `  as configured (deltas merged: ${s.burstFrames} frame${s.burstFrames === 1 ? '' : 's'} for ${size.burstTokens} tokens), median (best)`,
          value: `${rate(s.ratePipeline.median)} (${rate(s.ratePipeline.max)}) = ${times(s.ratio.median)} the bare relay (min ${times(s.ratio.min)})`,
        },
      ],
      data: { paceMs: PACE_MS, ...size, ...s },
    };
  } finally {
    for (const client of clients) await client.close();
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    for (const server of servers) await server.close();
  }
};

/** Adds each token's latency to `into`; the round's sample is its median. */
function collectLatency(turn: Turn, into: number[]): number {
  const latencies = turn.received.map((at, i) => at - turn.yielded[i]!);
  into.push(...latencies);
  return stats(latencies).median;
}

/** Tokens per second from the first token yielded to the last one received; keeps the first token's wait. */
function burst(turn: Turn, first: number[]): number {
  first.push(turn.received[0]! - turn.yielded[0]!);
  const span = turn.received.at(-1)! - turn.yielded[0]!;
  return (turn.received.length / span) * 1000;
}
