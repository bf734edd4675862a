/**
 * Section 3: many conversations at once, and what an idle connection costs.
 *
 * The server runs in a child process (its memory is then its own; the bench's client sockets
 * live here) on a model that answers every message with TOKENS text deltas: paced (PACE_MS
 * apart, like a hosted model) or all at once. N real sockets on loopback, each a new visitor
 * with its own thread, send one message at the same moment; every event is checked at the
 * client (seq one by one, the text intact, the run completed). The paced load also runs on a bare
 * `ws` server sending the same frames (nothing stored, nothing checked): the machine's limit,
 * which the goal is read against. Then idle connections: the
 * agent-chat server (hello done, `ready` received) against a bare `ws` server holding as many,
 * each side in a fresh process started the same way, alternated, memory read after a full GC:
 * V8 heap + external (what the goal is held to) and RSS.
 */
import type { BenchRow, Section } from '../section.ts';
import { BENCH_TRANSPORT, NO_QUOTAS } from '../lib/env.ts';
import { kb, ms as formatMs } from '../lib/format.ts';
import { interleave } from '../lib/interleave.ts';
import { quantile } from '../lib/stats.ts';
import { type ChildServer, type ChildSpec, startChildServer } from '../lib/child-server.ts';
import { type ConversationTiming, runConversations } from '../lib/conversations.ts';
import { type IdleCost, checkOpenFileLimit, idleCost, openFileLimit } from '../lib/idle-memory.ts';

/** A ~40-token reply, a hosted model's pace. */
const TOKENS = 40;
const PACE_MS = 5;

const sortNumbers = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const median = (values: readonly number[]) => quantile(sortNumbers(values), 0.5);
/** Milliseconds, or seconds from one second on. */
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : formatMs(value));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** One load run's figures over its conversations. */
interface LoadFigures {
  completed: number;
  totalP50: number;
  totalP99: number;
  firstP50: number;
  firstP99: number;
  gapP50: number;
  gapP99: number;
  gapMax: number;
  peakRss: number;
  peakHeap: number;
  wallMs: number;
}

/** Percentiles over the conversations of one run. */
function figures(timings: ConversationTiming[], wallMs: number, peak: { rss: number; heapUsed: number }): LoadFigures {
  const totals = sortNumbers(timings.map((t) => t.total));
  const firsts = sortNumbers(timings.map((t) => t.firstDelta));
  const gaps = sortNumbers(timings.flatMap((t) => t.gaps));
  return {
    completed: timings.length,
    totalP50: quantile(totals, 0.5),
    totalP99: quantile(totals, 0.99),
    firstP50: quantile(firsts, 0.5),
    firstP99: quantile(firsts, 0.99),
    gapP50: quantile(gaps, 0.5),
    gapP99: quantile(gaps, 0.99),
    gapMax: gaps.at(-1) ?? 0,
    peakRss: peak.rss,
    peakHeap: peak.heapUsed,
    wallMs,
  };
}

/** `count` conversations at once; the server's peak memory covers their sockets being opened too. */
async function load(server: ChildServer, count: number): Promise<LoadFigures> {
  await server.peak(); // resets the peak to now
  const { timings, wallMs } = await runConversations(server.wsUrl, count, TOKENS, 300_000);
  return figures(timings, wallMs, await server.peak());
}

/** The paced conversation alone on the server, a few times: the time the load is compared to. */
async function alone(server: ChildServer, times: number): Promise<number> {
  const totals: number[] = [];
  for (let i = 0; i < times; i++) totals.push(...(await runConversations(server.wsUrl, 1, TOKENS, 30_000)).timings.map((t) => t.total));
  return median(totals);
}

const pick = <T>(runs: T[], key: keyof T) => runs.map((r) => r[key] as number);
const medianOf = <T>(runs: T[], key: keyof T) => median(pick(runs, key));
const minOf = <T>(runs: T[], key: keyof T) => Math.min(...pick(runs, key));

export const concurrency: Section = async ({ quick, log }) => {
  const count = quick ? 50 : 1000;
  const idleCount = quick ? 100 : 2000;
  const rounds = quick ? 1 : 3;
  const memoryRounds = quick ? 1 : 5;
  checkOpenFileLimit(Math.max(count, idleCount));
  const agentChat = (paceMs: number) => ({ kind: 'agent-chat' as const, tokens: TOKENS, paceMs, env: { ...NO_QUOTAS }, transport: BENCH_TRANSPORT });

  const paced: LoadFigures[] = [];
  const unpaced: LoadFigures[] = [];
  const barePaced: LoadFigures[] = [];
  const baselines: number[] = [];
  const bareBaselines: number[] = [];
  /**
   * One load run on a fresh server (an empty database), after a warm-up on it. `alones` gets the
   * paced conversation's time alone on that server, the figure the load is compared to.
   */
  const loadRun = (spec: ChildSpec, into: LoadFigures[], alones?: number[]) => async () => {
    const server = await startChildServer(spec);
    try {
      // Warm-up: the code paths and the database, before anything is timed.
      await runConversations(server.wsUrl, Math.min(20, count), TOKENS, 30_000);
      if (alones) alones.push(await alone(server, 5));
      const result = await load(server, count);
      into.push(result);
      const paceMs = spec.paceMs ?? 0;
      log(`  ${spec.kind}: ${count} conversations ${paceMs ? `at ${paceMs} ms/token` : 'unpaced'}: reply p50 ${ms(result.totalP50)}, first delta p50 ${ms(result.firstP50)}, gap p99 ${ms(result.gapP99)}, all done in ${ms(result.wallMs)}`);
      return result.totalP50;
    } finally {
      await server.stop();
    }
  };
  // The same paced load on a bare `ws` server that sends the same frames and stores nothing:
  // what this machine can do at all, so the goal's distance is read against it.
  const bareSpec: ChildSpec = { kind: 'bare-ws', tokens: TOKENS, paceMs: PACE_MS };
  // The three alternate (the order reverses each round).
  await interleave(
    { paced: loadRun(agentChat(PACE_MS), paced, baselines), unpaced: loadRun(agentChat(0), unpaced), barePaced: loadRun(bareSpec, barePaced, bareBaselines) },
    { warmup: 0, rounds },
  );

  const ours: IdleCost[] = [];
  const bare: IdleCost[] = [];
  /** Each side in a fresh process: its first connection is the warm-up (see idleCost). */
  const idleRun = (spec: ChildSpec, into: IdleCost[]) => async () => {
    const cost = await idleCost(spec, idleCount);
    into.push(cost);
    return cost.heap;
  };
  await interleave(
    { agentChat: idleRun(agentChat(0), ours), bareWs: idleRun({ kind: 'bare-ws' }, bare) },
    { warmup: 0, rounds: memoryRounds, onRound: (round) => log(`  idle round ${round}: ${idleCount} connections: agent-chat ${kb(ours.at(-1)!.heap)}, bare ws ${kb(bare.at(-1)!.heap)} heap + external per connection`) },
  );

  const baseline = median(baselines);
  const nominal = TOKENS * PACE_MS;
  const pacedRatio = medianOf(paced, 'totalP50') / baseline;
  const bareBaseline = median(bareBaselines);
  const bareRatio = medianOf(barePaced, 'totalP50') / bareBaseline;
  const ourRss = medianOf(ours, 'rss');
  const bareRss = medianOf(bare, 'rss');
  // The goal is held to heap + external: it repeats within a few percent, RSS does not.
  const ourHeap = medianOf(ours, 'heap');
  const bareHeap = medianOf(bare, 'heap');
  const idleRatio = ourHeap / bareHeap;
  const goal = (value: string, goalText: string, met: boolean): Pick<BenchRow, 'value' | 'goal' | 'met'> =>
    quick ? { value } : { value, goal: goalText, met };
  const rows: BenchRow[] = [
    {
      figure: `${count} conversations at ${PACE_MS} ms/token: ${TOKENS}-token reply, median (min over ${rounds} runs) vs alone`,
      ...goal(`${ms(medianOf(paced, 'totalP50'))} (${ms(minOf(paced, 'totalP50'))}) vs ${ms(baseline)} alone (${ms(nominal)} nominal) = ${pacedRatio.toFixed(2)}×`, '≤ 2×', pacedRatio <= 2),
    },
    { figure: `  same, reply p99 · first delta p50 / p99`, value: `${ms(medianOf(paced, 'totalP99'))} · ${ms(medianOf(paced, 'firstP50'))} / ${ms(medianOf(paced, 'firstP99'))}` },
    { figure: `  same, token gap at the client p50 / p99 / max`, ...goal(`${ms(medianOf(paced, 'gapP50'))} / ${ms(medianOf(paced, 'gapP99'))} / ${ms(medianOf(paced, 'gapMax'))}`, 'p99 ≤ 50 ms', medianOf(paced, 'gapP99') <= 50) },
    { figure: `  same, completed gap-free, in order`, ...goal(`${Math.min(...pick(paced, 'completed'))} of ${count}`, `${count} (0 lost)`, Math.min(...pick(paced, 'completed')) === count) },
    {
      figure: `  bare ws server, same frames, same load: reply median vs alone · token gap p99`,
      value: `${ms(medianOf(barePaced, 'totalP50'))} vs ${ms(bareBaseline)} = ${bareRatio.toFixed(2)}× · ${ms(medianOf(barePaced, 'gapP99'))}`,
    },
    { figure: `  agent-chat ÷ bare ws, reply median under this load`, value: `${(medianOf(paced, 'totalP50') / medianOf(barePaced, 'totalP50')).toFixed(2)}×` },
    { figure: `  same, server peak RSS / heap`, value: `${mb(medianOf(paced, 'peakRss'))} / ${mb(medianOf(paced, 'peakHeap'))}` },
    {
      figure: `${count} conversations, no delay: first delta p50 (min) / p99`,
      ...goal(`${ms(medianOf(unpaced, 'firstP50'))} (${ms(minOf(unpaced, 'firstP50'))}) / ${ms(medianOf(unpaced, 'firstP99'))}`, 'p50 ≤ 1 s', medianOf(unpaced, 'firstP50') <= 1000),
    },
    { figure: `  same, reply p50 / p99 · all done in · peak RSS`, value: `${ms(medianOf(unpaced, 'totalP50'))} / ${ms(medianOf(unpaced, 'totalP99'))} · ${ms(medianOf(unpaced, 'wallMs'))} · ${mb(medianOf(unpaced, 'peakRss'))}` },
    { figure: `  same, completed gap-free, in order`, ...goal(`${Math.min(...pick(unpaced, 'completed'))} of ${count}`, `${count} (0 lost)`, Math.min(...pick(unpaced, 'completed')) === count) },
    {
      figure: `${idleCount} idle connections: heap + external per connection after GC, agent-chat vs bare ws (median of ${memoryRounds})`,
      ...goal(`${kb(ourHeap)} vs ${kb(bareHeap)} = ${idleRatio.toFixed(2)}×`, '≤ 1.2×', idleRatio <= 1.2),
    },
    { figure: `  same, RSS per connection (the allocator reuses freed pages, so it swings between runs)`, value: `${kb(ourRss)} vs ${kb(bareRss)} = ${(ourRss / bareRss).toFixed(2)}×` },
    {
      figure: `  same, marginal (second ${idleCount - Math.floor(idleCount / 2)} only): heap + external · RSS`,
      value: `${kb(medianOf(ours, 'marginalHeap'))} vs ${kb(medianOf(bare, 'marginalHeap'))} = ${(medianOf(ours, 'marginalHeap') / medianOf(bare, 'marginalHeap')).toFixed(2)}× · ${kb(medianOf(ours, 'marginalRss'))} vs ${kb(medianOf(bare, 'marginalRss'))} = ${(medianOf(ours, 'marginalRss') / medianOf(bare, 'marginalRss')).toFixed(2)}×`,
    },
  ];
  return {
    title: `Concurrency: ${count} streaming conversations, ${idleCount} idle connections`,
    rows,
    data: { count, idleCount, openFileLimit: openFileLimit() ?? null, tokens: TOKENS, paceMs: PACE_MS, rounds, memoryRounds, aloneMs: baselines, nominalMs: nominal, pacedRatio, paced, unpaced, bare: { aloneMs: bareBaselines, ratio: bareRatio, paced: barePaced }, idle: { agentChat: ours, bareWs: bare, heapRatio: idleRatio, rssRatio: ourRss / bareRss } },
  };
};
