import type { ThreadEvent, ThreadEventBody } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import type { RunAgent, RunInput } from '../src/agents/run-types.ts';
import { AppError } from '../src/errors.ts';
import { useHarnesses } from './helpers/conversation-harness.ts';
import { TEST_WORKFLOWS, createScriptedAgent } from './helpers/scripted-agent.ts';
import { STORAGE_ENGINES } from './helpers/storage-engines.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { NO_QUOTAS } from './helpers/test-server.ts';

const ALICE = 'visitor:vis_alice';

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('did not throw');
}

/**
 * The scripted agent, except that a message containing "fail" fails its run (like a model
 * that is down), and one containing "turns" stops at max_turns. Retries (and every other
 * input) answer normally; `inputs` records what each run was given.
 */
function failingAgent(inputs: RunInput[] = [], delayMs = 0): RunAgent {
  const inner = createScriptedAgent({ inputs, delayMs });
  return async function* (input, ctx): AsyncGenerator<ThreadEventBody> {
    const { trigger } = input;
    if (trigger.kind === 'message' && /fail|turns/.test(trigger.message.text)) {
      inputs.push(structuredClone(input));
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      yield /turns/.test(trigger.message.text)
        ? { type: 'run.finished', runId: input.runId, status: 'max_turns' }
        : { type: 'run.finished', runId: input.runId, status: 'failed', error: { code: 'upstream_error', message: 'The model is unavailable right now.' } };
      return;
    }
    yield* inner(input, ctx);
  };
}

describe.each(STORAGE_ENGINES)('run.retry on $name', (engine) => {
  const { harness } = useHarnesses(engine);

  it('Should run a failed reply again over the same items, once, without adding the message twice', async () => {
    const inputs: RunInput[] = [];
    const { h } = await harness({ runAgent: failingAgent(inputs) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    const failed = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c1', text: 'please fail now' });
    expect(await h.finished(threadId, failed.runId)).toMatchObject({ status: 'failed' });

    const retried = await h.service.retryRun(ALICE, { threadId, runId: failed.runId });
    expect(retried).toMatchObject({ type: 'run.retried', threadId, retriedRunId: failed.runId });
    expect(retried.runId).not.toBe(failed.runId);
    expect(await h.finished(threadId, retried.runId)).toMatchObject({ status: 'completed' });
    // The retry saw the visitor's message once, in its history, and added none.
    const retryInput = inputs.at(-1)!;
    expect(retryInput.runId).toBe(retried.runId);
    expect(retryInput.history.filter((i) => i.type === 'user_message').map((i) => i.id)).toEqual([failed.itemId]);
    const items = await h.storage.items.all(threadId);
    expect(items.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    expect(items.filter((i) => i.type === 'user_message')).toHaveLength(1);
    expect((await h.storage.runs.get(retried.runId))?.trigger).toBe('retry');

    // Asked again (a reconnect): the same answer, and nothing runs.
    await h.eventLog.whenFlushed();
    const count = events.length;
    expect(await h.service.retryRun(ALICE, { threadId, runId: failed.runId })).toEqual(retried);
    await h.eventLog.whenFlushed();
    expect(events.length).toBe(count);
    // The retry completed: it is the last run, and it did not fail.
    expect(await codeOf(() => h.service.retryRun(ALICE, { threadId, runId: retried.runId }))).toBe('invalid_request');
  });

  it('Should retry a run that stopped at max_turns, and refuse runs that did not fail, are not the last, or are not the thread\'s', async () => {
    const { h } = await harness({ runAgent: failingAgent() });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    const ok = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c1', text: 'hello there' });
    await h.finished(threadId, ok.runId);
    expect(await codeOf(() => h.service.retryRun(ALICE, { threadId, runId: ok.runId }))).toBe('invalid_request');
    const failed = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c2', text: 'fail please' });
    await h.finished(threadId, failed.runId);
    const later = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c3', text: 'too many turns' });
    expect(await h.finished(threadId, later.runId)).toMatchObject({ status: 'max_turns' });
    // Not the last run any more.
    expect(await codeOf(() => h.service.retryRun(ALICE, { threadId, runId: failed.runId }))).toBe('invalid_request');
    expect(await codeOf(() => h.service.retryRun(ALICE, { threadId, runId: 'run_nope' }))).toBe('not_found');
    expect(await codeOf(() => h.service.retryRun('visitor:vis_bob', { threadId, runId: later.runId }))).toBe('not_found');
    const other = (await h.service.createThread(ALICE, 'support')).thread.id;
    expect(await codeOf(() => h.service.retryRun(ALICE, { threadId: other, runId: later.runId }))).toBe('not_found');
    const retried = await h.service.retryRun(ALICE, { threadId, runId: later.runId });
    expect(await h.finished(threadId, retried.runId)).toMatchObject({ status: 'completed' });
  });

  it('Should refuse a retry while a run is active, and a message while the retry runs', async () => {
    const { h } = await harness({ runAgent: failingAgent([], 60) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    const failed = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c1', text: 'fail' });
    await h.finished(threadId, failed.runId);
    const retried = await h.service.retryRun(ALICE, { threadId, runId: failed.runId });
    // The retried reply streams slowly: the thread's one run is busy.
    expect(await codeOf(() => h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c2', text: 'one two three' }))).toBe('run_in_progress');
    // A repeat of the same retry is not refused: it is the same request, answered the same.
    expect(await h.service.retryRun(ALICE, { threadId, runId: failed.runId })).toEqual(retried);
    await h.finished(threadId, retried.runId);
    const again = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c3', text: 'fail again' });
    await h.finished(threadId, again.runId);
    const busy = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c4', text: 'a slow one two three four' });
    expect(await codeOf(() => h.service.retryRun(ALICE, { threadId, runId: again.runId }))).toBe('run_in_progress');
    await h.finished(threadId, busy.runId);
  });

  it('Should send the ratings of the items it sends, on open and on history', async () => {
    const { h } = await harness();
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    for (let i = 0; i < 26; i++) {
      const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: `c${i}`, text: `message ${i}` });
      await h.finished(threadId, a.runId);
    }
    const items = await h.storage.items.all(threadId);
    const answers = items.filter((i) => i.type === 'assistant_message');
    const [oldest, newest] = [answers[0]!, answers.at(-1)!];
    const { opened: before } = await h.service.openThread(ALICE, { threadId });
    expect(before.feedback).toBeUndefined();
    await h.service.feedback(ALICE, { threadId, itemId: oldest.id, rating: 'up' });
    await h.service.feedback(ALICE, { threadId, itemId: newest.id, rating: 'up' });
    await h.service.feedback(ALICE, { threadId, itemId: newest.id, rating: 'down', comment: 'wrong order' });
    const { opened } = await h.service.openThread(ALICE, { threadId });
    // The newest 50 items hold the newest answer only: its latest rating, and no comment.
    expect(opened.feedback).toEqual([{ itemId: newest.id, rating: 'down' }]);
    const older = await h.service.history(ALICE, { threadId, beforeItemId: opened.items![0]!.id });
    expect(older.feedback).toEqual([{ itemId: oldest.id, rating: 'up' }]);
  });
});

describe('run.retry over the socket', () => {
  const scope = useTestScope();

  it('Should answer run.retried, stream the retried reply, and answer a repeat with the same run', async () => {
    const s = await scope.boot({ runAgent: failingAgent(), workflows: TEST_WORKFLOWS });
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = (opened as { thread: { id: string } }).thread.id;
    const accepted = (await client.request({ type: 'message.send', threadId, clientMessageId: 'c1', text: 'fail' })) as { runId: string; itemId: string };
    await client.waitFor((m) => m.type === 'run.finished' && m.runId === accepted.runId);
    const retried = await client.request({ type: 'run.retry', threadId, runId: accepted.runId });
    expect(retried).toMatchObject({ type: 'run.retried', threadId, retriedRunId: accepted.runId });
    const runId = (retried as { runId: string }).runId;
    const finished = (await client.waitFor((m) => m.type === 'run.finished' && m.runId === runId)) as ThreadEvent;
    expect(finished).toMatchObject({ status: 'completed' });
    expect(await client.request({ type: 'run.retry', threadId, runId: accepted.runId })).toMatchObject({ type: 'run.retried', runId });
    const reopened = (await client.request({ type: 'thread.open', threadId })) as { items: Array<{ type: string }> };
    expect(reopened.items.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    // A run that did not fail: a typed refusal, and the socket stays usable.
    expect(await client.request({ type: 'run.retry', threadId, runId })).toMatchObject({ type: 'error', code: 'invalid_request' });
    expect(await client.request({ type: 'run.retry', threadId, runId: 'x'.repeat(129) })).toMatchObject({ type: 'error', code: 'invalid_request' });
    expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(client.invalid).toEqual([]);
  });

  it('Should fail the offline model\'s first answer to "simulate an outage", and answer the retry (the real stack)', async () => {
    const s = await scope.boot({ env: { ...NO_QUOTAS } });
    const { client } = await scope.connect(s);
    const threadId = ((await client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } }).thread.id;
    const accepted = (await client.request({ type: 'message.send', threadId, clientMessageId: 'c1', text: 'Please simulate an outage' })) as { runId: string };
    const failed = await client.waitFor((m) => m.type === 'run.finished' && m.runId === accepted.runId, 15_000);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'upstream_error' } });
    // The visitor reads no internals.
    expect(JSON.stringify(failed)).not.toMatch(/simulat|503|offline/i);
    const retried = (await client.request({ type: 'run.retry', threadId, runId: accepted.runId })) as { runId: string };
    const finished = await client.waitFor((m) => m.type === 'run.finished' && m.runId === retried.runId, 15_000);
    expect(finished).toMatchObject({ status: 'completed' });
    const reopened = (await client.request({ type: 'thread.open', threadId })) as { items: Array<{ type: string; text?: string }> };
    expect(reopened.items.filter((i) => i.type === 'user_message').map((i) => i.text)).toEqual(['Please simulate an outage']);
    expect(reopened.items.at(-1)).toMatchObject({ type: 'assistant_message' });
    // Another conversation with the words fails again: the model remembers the conversations it failed.
    const other = ((await client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } }).thread.id;
    const second = (await client.request({ type: 'message.send', threadId: other, clientMessageId: 'c1', text: 'Now simulate an outage again' })) as { runId: string };
    expect(await client.waitFor((m) => m.type === 'run.finished' && m.runId === second.runId, 15_000)).toMatchObject({ status: 'failed' });
  });
});
