/**
 * Replay under load: another visitor's ping round trip while one visitor hammers
 * `thread.open{afterSeq:0}` on a long thread from three sockets (each sends the next open as soon
 * as the previous one is answered). Replays go out in slices and cost a replay budget, so the
 * hammering must not stall other sockets.
 */
import { PROTOCOL_VERSION } from '../../shared/src/index.ts';
import { appendLongThread, hammerReplays } from '../../server/test/helpers/replay-load.ts';
import { startTestServer } from '../../server/test/helpers/test-server.ts';
import { NO_QUOTAS } from '../lib/env.ts';
import { FrameClient } from '../lib/frame-client.ts';
import { ms } from '../lib/format.ts';
import { stats } from '../lib/stats.ts';
import type { BenchRow, Section } from '../section.ts';

const P99_GOAL_MS = 50;

/** Another client's ping round trip while replays hammer the server, for two thread shapes. */
export const replay: Section = async ({ quick, log }) => {
  const shapes = [
    { label: 'long thread, deltas compacted', build: { turns: quick ? 10 : 50 } },
    { label: 'full replays, nothing to compact', build: { turns: quick ? 4 : 18, toolCalls: 24, deltas: 0 } },
  ] as const;
  const rows: BenchRow[] = [];
  const data: Record<string, unknown> = {};
  for (const { label, build } of shapes) {
    // Quotas off and the frame rate lifted; the replay budget stays as deployed (it is what is tested).
    const server = await startTestServer({ env: { ...NO_QUOTAS }, transport: { rateLimit: { burst: 10_000, perSecond: 10_000 } } });
    const client = await FrameClient.connect(server.wsUrl);
    try {
      const ready = await client.request({ type: 'hello', protocol: PROTOCOL_VERSION });
      const created = await client.request({ type: 'thread.create', workflow: 'support' });
      const threadId = (created.thread as { id: string }).id;
      const events = await appendLongThread(server, threadId, build);
      log(`${label}: ${events} events, hammering`);
      const result = await hammerReplays(server, { visitorToken: ready.visitorToken as string, threadId, pings: quick ? 20 : 200 });
      if (result.opened === 0) throw new Error('replay: no thread.open was answered');
      const s = stats(result.rtts);
      rows.push(
        {
          figure: `ping p50 / p99 while 3 sockets replay a ${events}-event thread (${label})`,
          value: `${ms(s.p50)} / ${ms(s.p99)}`,
          goal: `p99 < ${P99_GOAL_MS} ms`,
          met: s.p99 < P99_GOAL_MS,
        },
        { figure: '  opens answered (reset) / refused rate_limited', value: `${result.opened} (${result.resets}) / ${result.rateLimited}` },
      );
      data[label] = { events, ping: s, opened: result.opened, resets: result.resets, rateLimited: result.rateLimited };
    } finally {
      await client.close();
      await server.close();
    }
  }
  return { title: 'Replay under load: another client’s ping while one visitor hammers replays', rows, data };
};
