import type { Item, ThreadEventBody } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import type { RunAgent } from '../../src/agents/run-types.ts';
import { AppError } from '../../src/errors.ts';
import type { QuotaLimits } from '../../src/quota/quota-limits.ts';
import { type Harness, useHarnesses } from '../helpers/conversation-harness.ts';
import { STORAGE_ENGINES } from '../helpers/storage-engines.ts';
import { createScriptedAgent } from '../helpers/scripted-agent.ts';

const ALICE = 'visitor:vis_alice';
const BOB = 'visitor:vis_bob';
const USAGE = { inputTokens: 40, outputTokens: 20 };

/** The AppError `fn` throws (fails the test when it does not throw one). */
async function refusal(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('was not refused');
}

/**
 * The scripted agent, slow enough to stay in flight, reporting `USAGE` on every finish
 * (cancelled ones too); a message saying "explode" makes the run loop throw.
 */
function meteredAgent(delayMs: number): RunAgent {
  const scripted = createScriptedAgent({ delayMs, reply: () => 'one two three four five six seven eight nine ten' });
  return async function* metered(input, ctx): AsyncGenerator<ThreadEventBody> {
    if (input.trigger.kind === 'message' && input.trigger.message.text.includes('explode')) {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      throw new Error('the model exploded');
    }
    for await (const body of scripted(input, ctx)) yield body.type === 'run.finished' ? { ...body, usage: USAGE } : body;
  };
}

describe.each(STORAGE_ENGINES)('Quotas in the conversation service on $name', (engine) => {
  const { harness: build } = useHarnesses(engine);

  async function harness(limits: Partial<QuotaLimits>, delayMs = 20) {
    const clock = { now: Date.UTC(2026, 2, 10, 12) };
    const { h } = await build({ runAgent: meteredAgent(delayMs), quotas: { limits, now: () => clock.now }, cancelGraceMs: 500 });
    return { h, clock };
  }

  async function thread(h: Harness, owner = ALICE): Promise<string> {
    const threadId = (await h.service.createThread(owner, 'support')).thread.id;
    await h.watch(owner, threadId);
    return threadId;
  }

  it('Should count a visitor’s replies in flight on every server sharing the database (Postgres), each alone on SQLite', async () => {
    const limits = { concurrentRunsPerIdentity: 1 };
    const { h: first, place } = await build({ runAgent: meteredAgent(200), quotas: { limits } });
    const { h: second } = await build({ runAgent: meteredAgent(0), quotas: { limits } }, place);
    const busy = await thread(first);
    const other = await thread(second);
    const running = await first.service.sendMessage(ALICE, { threadId: busy, clientMessageId: 'a', text: 'slow one' });
    await first.eventLog.whenFlushed();
    const attempt = second.service.sendMessage(ALICE, { threadId: other, clientMessageId: 'b', text: 'quick one' });
    if (engine.name === 'postgres') {
      // The second server has nothing in flight itself, but the database shows the first one's reply.
      await expect(attempt).rejects.toMatchObject({ code: 'rate_limited' });
    } else {
      // SQLite serves one process: each server counts its own.
      await second.finished(other, (await attempt).runId);
    }
    await first.finished(busy, running.runId);
  });

  it('Should count a visitor’s runs per minute on every server sharing the database (Postgres), each alone on SQLite', async () => {
    const clock = { now: Date.UTC(2026, 2, 10, 12, 0, 30) };
    const quotas = { limits: { runsPerMinutePerIdentity: 1, runsPerMinutePerIp: 0 }, now: () => clock.now };
    const { h: first, place } = await build({ runAgent: meteredAgent(0), quotas });
    const { h: second } = await build({ runAgent: meteredAgent(0), quotas }, place);
    const one = await thread(first);
    const two = await thread(second);
    await first.finished(one, (await first.service.sendMessage(ALICE, { threadId: one, clientMessageId: 'a', text: 'first' })).runId);
    await new Promise((r) => setTimeout(r, 50)); // the count is written after the admission
    const attempt = second.service.sendMessage(ALICE, { threadId: two, clientMessageId: 'b', text: 'second' });
    if (engine.name === 'postgres') {
      const refused = await attempt.then(() => undefined, (error: unknown) => error as { code: string; retryAfterMs: number });
      expect(refused).toMatchObject({ code: 'rate_limited' });
      expect(refused!.retryAfterMs).toBeGreaterThan(0);
      // Two minutes on, the window has moved past it.
      clock.now += 120_000;
      await second.finished(two, (await second.service.sendMessage(ALICE, { threadId: two, clientMessageId: 'c', text: 'later' })).runId);
    } else {
      await second.finished(two, (await attempt).runId);
    }
  });

  it('Should count a run continued by an approval against concurrency, and refuse the approval without recording it', async () => {
    // Slow enough words that the approval's short reply is surely still in flight when checked, on a busy machine too.
    const { h } = await harness({ concurrentRunsPerIdentity: 1 }, 150);
    const waiting = await thread(h);
    const asked = await h.service.sendMessage(ALICE, { threadId: waiting, clientMessageId: 'a', text: 'please approve my refund' });
    await h.finished(waiting, asked.runId);
    const callId = (await h.storage.items.all(waiting)).find((i): i is Extract<Item, { type: 'tool_call' }> => i.type === 'tool_call')!.callId;

    const busy = await thread(h);
    const long = await h.service.sendMessage(ALICE, { threadId: busy, clientMessageId: 'b', text: 'hello' });
    const refused = await refusal(() => h.service.approveTool(ALICE, { threadId: waiting, callId, approved: true }));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true });
    expect((await h.storage.approvals.forThread(waiting)).size).toBe(0);
    await h.finished(busy, long.runId);

    const { runId } = await h.service.approveTool(ALICE, { threadId: waiting, callId, approved: true });
    expect(runId).not.toBeNull();
    // The approval's run holds the slot while it is in flight.
    expect((await refusal(() => h.service.sendMessage(ALICE, { threadId: busy, clientMessageId: 'c', text: 'hi' }))).code).toBe('rate_limited');
    expect((await h.service.sendMessage(BOB, { threadId: await thread(h, BOB), clientMessageId: 'x', text: 'hi' })).runId).toBeTruthy();
    await h.finished(waiting, runId!);
    expect(h.quota!.runsInFlight(ALICE)).toBe(0);
    await h.service.sendMessage(ALICE, { threadId: busy, clientMessageId: 'c', text: 'hi' });
  });

  it('Should free the slot when a run is cancelled, fails, or its thread is deleted', async () => {
    const { h } = await harness({ concurrentRunsPerIdentity: 1 }, 50);
    const threadId = await thread(h);
    const first = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm1', text: 'hello' });
    const other = await thread(h);
    expect((await refusal(() => h.service.sendMessage(ALICE, { threadId: other, clientMessageId: 'o1', text: 'hi' }))).code).toBe('rate_limited');
    await h.service.cancelRun(ALICE, { threadId, runId: first.runId });
    expect(await h.finished(threadId, first.runId)).toMatchObject({ status: 'cancelled' });
    expect(h.quota!.runsInFlight(ALICE)).toBe(0);

    const failing = await h.service.sendMessage(ALICE, { threadId: other, clientMessageId: 'o1', text: 'explode' });
    expect(await h.finished(other, failing.runId)).toMatchObject({ status: 'failed' });
    expect(h.quota!.runsInFlight(ALICE)).toBe(0);

    await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm2', text: 'hello again' });
    expect(h.quota!.runsInFlight(ALICE)).toBe(1);
    await h.service.deleteThread(ALICE, threadId);
    expect(h.quota!.runsInFlight(ALICE)).toBe(0);
  });

  it('Should add nothing to the thread for a refused message, and accept the same message once allowed', async () => {
    const { h, clock } = await harness({ runsPerMinutePerIdentity: 1 }, 0);
    const threadId = await thread(h);
    const first = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm1', text: 'hello' });
    // A repeat of an accepted message is its original answer, not a new run.
    expect((await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm1', text: 'hello' })).runId).toBe(first.runId);
    await h.finished(threadId, first.runId);
    const items = (await h.storage.items.all(threadId)).length;
    const refused = await refusal(() => h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm2', text: 'again' }));
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 });
    expect(await h.storage.items.all(threadId)).toHaveLength(items);
    clock.now += 60_000;
    const second = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm2', text: 'again' });
    expect(await h.finished(threadId, second.runId)).toMatchObject({ status: 'completed' });
  });

  it("Should count every finished run's tokens, cancelled ones too, and refuse the next run past the budget", async () => {
    const { h } = await harness({ dailyTokensPerIdentity: 150, budgetMessage: 'Come back tomorrow, please.' }, 20);
    const threadId = await thread(h);
    const first = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm1', text: 'hello' });
    await h.finished(threadId, first.runId);
    const second = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm2', text: 'hello' });
    await h.service.cancelRun(ALICE, { threadId, runId: second.runId });
    expect(await h.finished(threadId, second.runId)).toMatchObject({ status: 'cancelled', usage: USAGE });
    expect(await h.quota!.today(ALICE)).toMatchObject({ tokens: 120, siteTokens: 120 });
    // Under the budget still: this run starts, and is not cut off when it goes past it.
    const third = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm3', text: 'hello' });
    expect(await h.finished(threadId, third.runId)).toMatchObject({ status: 'completed' });
    expect((await h.quota!.today(ALICE)).tokens).toBe(180);
    const refused = await refusal(() => h.service.sendMessage(ALICE, { threadId, clientMessageId: 'm4', text: 'hello' }));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, message: 'Come back tomorrow, please.', retryAfterMs: 12 * 3_600_000 });
    expect((await h.service.sendMessage(BOB, { threadId: await thread(h, BOB), clientMessageId: 'b', text: 'hi' })).runId).toBeTruthy();
  });

  it('Should refuse a new thread past the daily limit and create nothing', async () => {
    const { h } = await harness({ threadsPerDayPerIdentity: 2 });
    await thread(h);
    await thread(h);
    expect((await refusal(() => h.service.createThread(ALICE, 'support'))).code).toBe('rate_limited');
    expect((await h.service.listThreads(ALICE)).threads).toHaveLength(2);
    // An unknown workflow is not_found and spends nothing.
    const { h: h2 } = await harness({ threadsPerDayPerIdentity: 1 });
    expect((await refusal(() => h2.service.createThread(ALICE, 'nope'))).code).toBe('not_found');
    (await thread(h2));
  });
});
