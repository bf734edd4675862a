import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workflow } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { DEMO_WORKFLOWS_DIR } from '../../../demo/demo-options.ts';
import { untilMidnight } from '../../src/quota/quota-service.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import type { TestClient } from '../helpers/ws-client.ts';

/** 2026-03-10 18:00 UTC. */
const EVENING = Date.UTC(2026, 2, 10, 18);

/** The demo's support workflow on the given OpenAI API (the offline model speaks both). */
function supportOn(api: 'responses' | 'chat'): ReadonlyMap<string, Workflow> {
  const raw = JSON.parse(readFileSync(join(DEMO_WORKFLOWS_DIR, 'support.json'), 'utf8')) as Record<string, unknown>;
  const workflow = Workflow.parse({ ...raw, api });
  return new Map([[workflow.id, workflow]]);
}

describe('Quotas over WebSockets', () => {
  const scope = useTestScope();

  async function send(client: TestClient, threadId: string, text: string, clientMessageId = `c-${Math.random()}`) {
    return client.request({ type: 'message.send', threadId, clientMessageId, text });
  }

  it('Should refuse a socket past the open sockets per IP with rate_limited and 1013, and admit one once another closes', async () => {
    const s = await scope.boot({ env: { SOCKETS_PER_IP: '2' } });
    const first = await scope.connect(s);
    await scope.connect(s);
    const refused = await scope.socket(s);
    const error = await refused.waitFor((m) => m.type === 'error');
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(await refused.closed).toMatchObject({ code: 1013 });
    expect(refused.invalid).toEqual([]); // the refusal is a valid protocol frame
    await first.client.close();
    await new Promise((r) => setTimeout(r, 50)); // the server sees the close
    const again = await scope.connect(s);
    expect(again.ready.type).toBe('ready');
  });

  it('Should refuse hellos past the limit per IP per minute, and accept them once the minute has passed', async () => {
    const clock = { now: EVENING };
    const s = await scope.boot({ env: { HELLOS_PER_MINUTE_PER_IP: '2' }, quotaClock: () => clock.now });
    await scope.connect(s);
    clock.now += 20_000;
    await scope.connect(s);
    const c = await scope.socket(s);
    const error = await c.request({ type: 'hello', protocol: 1 });
    expect(error).toMatchObject({ type: 'error', code: 'rate_limited', retryable: true, retryAfterMs: 40_000 });
    expect(await c.closed).toMatchObject({ code: 1013 });
    expect(c.invalid).toEqual([]);
    clock.now += 40_000;
    expect((await scope.connect(s)).ready.type).toBe('ready');
  });

  for (const api of ['responses', 'chat'] as const) {
    it(`Should count the offline model's usage (${api} API) and refuse the next run with the budget message, also after a restart`, async () => {
      const clock = { now: EVENING };
      const env = { DAILY_TOKENS_PER_IDENTITY: '50', BUDGET_MESSAGE: 'The shop assistant has closed for today.' };
      const options = { env, quotaClock: () => clock.now, workflows: supportOn(api) };
      const s = await scope.boot(options);
      const { client, ready } = await scope.connect(s);
      const opened = await client.request({ type: 'thread.create', workflow: 'support' });
      const threadId = (opened as { thread: { id: string } }).thread.id;
      const accepted = await send(client, threadId, 'Hello, what are your opening hours?');
      const finished = await client.runFinished(accepted.runId as string);
      expect(finished.status).toBe('completed');
      const usage = finished.usage!;
      expect(usage.inputTokens).toBeGreaterThan(0);
      expect(usage.outputTokens).toBeGreaterThan(0);
      const owner = `visitor:${ready.user.id}`;
      expect(await s.server.quota.today(owner)).toMatchObject({ tokens: usage.inputTokens + usage.outputTokens, siteTokens: usage.inputTokens + usage.outputTokens });
      expect(usage.inputTokens + usage.outputTokens).toBeGreaterThanOrEqual(50);

      const refused = await send(client, threadId, 'And on Sundays?');
      expect(refused).toMatchObject({
        type: 'error',
        code: 'rate_limited',
        retryable: true,
        message: 'The shop assistant has closed for today.',
        retryAfterMs: untilMidnight(clock.now),
      });
      // Another visitor still has a budget.
      const other = await scope.connect(s);
      const otherThread = ((await other.client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } }).thread.id;
      expect((await send(other.client, otherThread, 'Hello')).type).toBe('message.accepted');

      await s.close();
      const restarted = await scope.boot({ ...options, dataDir: s.dataDir });
      const back = await scope.connect(restarted, ready.visitorToken);
      expect(back.ready.user.id).toBe(ready.user.id);
      expect(await send(back.client, threadId, 'Still there?')).toMatchObject({ code: 'rate_limited', message: 'The shop assistant has closed for today.' });
      clock.now += untilMidnight(clock.now);
      expect((await send(back.client, threadId, 'Good morning')).type).toBe('message.accepted');
    });
  }

  it("Should not let one visitor's flood of runs and threads stall another visitor's run", async () => {
    const s = await scope.boot({ env: { OFFLINE_MODEL_DELAY_MS: '20', THREADS_PER_DAY: '5' } });
    const flood = await scope.connect(s);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => flood.client.request({ type: 'thread.create', workflow: 'support' })),
    );
    const threads = replies.filter((r) => r.type === 'thread.opened').map((r) => (r as { thread: { id: string } }).thread.id);
    expect(threads).toHaveLength(5);
    expect(replies.filter((r) => r.type === 'error' && r.code === 'rate_limited' && (r.retryAfterMs as number) > 0)).toHaveLength(3);
    const sent = await Promise.all(threads.map((threadId) => send(flood.client, threadId, 'Tell me about your shipping options please')));
    expect(sent.filter((r) => r.type === 'message.accepted')).toHaveLength(2); // two runs in flight at most
    const refusals = sent.filter((r) => r.type === 'error');
    expect(refusals).toHaveLength(3);
    for (const r of refusals) expect(r).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: expect.any(Number) });

    const calm = await scope.connect(s);
    const threadId = ((await calm.client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } }).thread.id;
    const accepted = await send(calm.client, threadId, 'Hello');
    expect(accepted.type).toBe('message.accepted');
    expect((await calm.client.runFinished(accepted.runId as string)).status).toBe('completed');
  });
});
