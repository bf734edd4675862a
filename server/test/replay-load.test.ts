import { describe, expect, it } from 'vitest';
import { appendLongThread, hammerReplays, percentiles } from './helpers/replay-load.ts';
import type { TestServer } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';

/**
 * The target is a ping p99 under 50 ms, and it holds on a quiet machine (p99 4–12 ms here). On
 * this shared 2-core machine with a core burnt by `yes`, p99 reached 63 ms on the compacted
 * thread and 360 ms on the full-replay one (a stalled CPU, not server work: p50 stays under
 * 1 ms), so the assertions are bounds that hold under that noise and still fail by far without
 * compaction and sliced replay, where the same runs measured p50 176 ms / p99 905 ms (compacted
 * case) and p50 102 ms / p99 434 ms (full replay). `pnpm bench` reports both against 50 ms.
 */
const P99_BOUND_MS = 250;
const P50_BOUND_MS = 25;

describe('replay under load (real stack)', () => {
  const scope = useTestScope();

  async function hammer(s: TestServer, build: (threadId: string) => Promise<number>, label: string) {
    const { client, ready } = await scope.connect(s);
    const created = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    const appended = await build(threadId);
    const result = await hammerReplays(s, { visitorToken: ready.visitorToken, threadId });
    const stats = percentiles(result.rtts);
    console.log(
      `${label} (${appended} events): ping p50 ${stats.p50.toFixed(1)} ms · p99 ${stats.p99.toFixed(1)} ms · max ${stats.max.toFixed(1)} ms;` +
        ` opens ${result.opened} (resets ${result.resets}), rate limited ${result.rateLimited}`,
    );
    return { ...result, stats };
  }

  // The visitor's frame limit is lifted so only the replay budget can hold the hammering back.
  const boot = () => scope.boot({ transport: { rateLimit: { burst: 10_000, perSecond: 10_000 } } });

  it('Should keep another client\'s ping fast while a visitor hammers thread.open{afterSeq:0} on a long thread from three sockets', async () => {
    const s = await boot();
    // 50 demo-shaped turns: 3,800 events as streamed, compacted to 900 as each run finished.
    const { stats, opened, resets } = await hammer(s, (threadId) => appendLongThread(s, threadId, { turns: 50 }), 'long thread, compacted');
    expect(opened).toBeGreaterThan(0);
    expect(resets).toBe(opened); // behind the compaction point: the items, never the whole log
    expect(stats.p50).toBeLessThan(P50_BOUND_MS);
    expect(stats.p99).toBeLessThan(P99_BOUND_MS);
  }, 120_000);

  it('Should keep another client\'s ping fast while the whole replay (under maxReplayEvents) is sent in slices', async () => {
    const s = await boot();
    // No deltas, so nothing is compacted: every open replays all 936 events, 10 slices each.
    const { stats, opened, resets, rateLimited } = await hammer(
      s,
      (threadId) => appendLongThread(s, threadId, { turns: 18, toolCalls: 24, deltas: 0 }),
      'items only, full replays',
    );
    expect(opened).toBeGreaterThan(0);
    expect(resets).toBe(0);
    expect(rateLimited).toBeGreaterThan(0); // the replay budget, not the event loop, is what runs out
    expect(stats.p50).toBeLessThan(P50_BOUND_MS);
  }, 120_000);
});
