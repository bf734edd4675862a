import type { Item, ThreadEvent, ThreadEventBody } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import type { RunAgent, RunInput } from '../src/agents/run-types.ts';
import { AppError } from '../src/errors.ts';
import { useHarnesses } from './helpers/conversation-harness.ts';
import { STORAGE_ENGINES } from './helpers/storage-engines.ts';
import { slowStorage } from './helpers/slow-storage.ts';
import { createScriptedAgent } from './helpers/scripted-agent.ts';

const ALICE = 'visitor:vis_alice';
const BOB = 'visitor:vis_bob';

/** The code of the AppError `fn` throws or rejects with. */
async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('did not throw');
}

describe.each(STORAGE_ENGINES)('ConversationService on $name', (engine) => {
  const { harness, place, forget } = useHarnesses(engine);

  it('Should stream a run as numbered events and keep the thread titled and projected', async () => {
    const { h } = await harness();
    const opened = await h.service.createThread(ALICE, 'support');
    expect(opened).toMatchObject({ type: 'thread.opened', lastSeq: 0, items: [], thread: { currentAgent: 'triage', title: '' } });
    const threadId = opened.thread.id;
    const events = await h.watch(ALICE, threadId);
    const accepted = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c1', text: 'Hello there, friend' });
    await h.finished(threadId, accepted.runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // The scripted model's five deltas: those that waited for the same commit went out as one
    // (usually all five; on a busy machine the run may yield between them).
    const types = events.map((e) => e.type).filter((type, i, all) => type !== 'text.delta' || all[i - 1] !== 'text.delta');
    expect(types).toEqual(['item.added', 'item.done', 'run.started', 'item.added', 'text.delta', 'item.done', 'run.finished']);
    const deltas = events.flatMap((e) => (e.type === 'text.delta' ? [e.delta] : []));
    expect(deltas.length).toBeLessThanOrEqual(5);
    expect(deltas.join('')).toBe('You said: Hello there, friend');
    expect(events[0]).toMatchObject({ type: 'item.added', item: { id: accepted.itemId, type: 'user_message', text: 'Hello there, friend' } });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', runId: accepted.runId, status: 'completed' });
    const items = await h.storage.items.all(threadId);
    expect(items.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    expect(items[1]).toMatchObject({ text: 'You said: Hello there, friend', status: 'done' });
    expect((await h.storage.threads.get(threadId))?.title).toBe('Hello there, friend');
    expect((await h.storage.runs.get(accepted.runId))?.status).toBe('completed');
  });

  it('Should answer a repeated clientMessageId with the original acceptance and change nothing', async () => {
    // Slow enough that the run is still going when the last messages are checked, on a busy machine and on Postgres too.
    const { h } = await harness({ runAgent: createScriptedAgent({ delayMs: 60 }) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    // Sent together: the repeat and the other message arrive while the first is being screened.
    const sending = h.service.sendMessage(ALICE, { threadId, clientMessageId: 'same', text: 'one two three' });
    const racing = h.service.sendMessage(ALICE, { threadId, clientMessageId: 'same', text: 'one two three' });
    const other = codeOf(() => h.service.sendMessage(ALICE, { threadId, clientMessageId: 'other', text: 'hi' }));
    const first = await sending;
    expect(await racing).toEqual(first);
    expect(await other).toBe('run_in_progress');
    const duringRun = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'same', text: 'one two three' });
    expect(duringRun).toEqual(first);
    expect(await codeOf(() => h.service.sendMessage(ALICE, { threadId, clientMessageId: 'other', text: 'hi' }))).toBe('run_in_progress');
    await h.finished(threadId, first.runId);
    const count = events.length;
    const afterRun = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'same', text: 'changed text' });
    expect(afterRun).toEqual(first);
    await h.eventLog.whenFlushed();
    expect(events.length).toBe(count);
    expect((await h.storage.items.all(threadId)).filter((i) => i.type === 'user_message')).toHaveLength(1);
  });

  it('Should take a message sent the moment the last reply finished, while that run still counts its usage', async () => {
    // The usage count (a storage write after run.finished is out) is held until the next message is sent.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const counted: number[] = [];
    const spender: RunAgent = async function* (input) {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      yield { type: 'run.finished', runId: input.runId, status: 'completed', usage: { inputTokens: 10, outputTokens: 5 } };
    };
    const { h } = await harness({
      runAgent: spender,
      quotas: { limits: {} },
      wrapStorage: (storage) => ({
        ...storage,
        usage: {
          ...storage.usage,
          addTokens: async (...args: Parameters<typeof storage.usage.addTokens>) => {
            await gate;
            counted.push(args[3]);
            return storage.usage.addTokens(...args);
          },
        },
      }),
    });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    const first = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'a', text: 'one' });
    while (!events.some((e) => e.type === 'run.finished' && e.runId === first.runId)) await new Promise((r) => setTimeout(r, 1));
    expect(h.service.activeRunId(threadId)).toBe(first.runId); // still counting
    const second = h.service.sendMessage(ALICE, { threadId, clientMessageId: 'b', text: 'two' });
    await new Promise((r) => setTimeout(r, 20));
    open();
    const accepted = await second;
    expect(accepted.runId).not.toBe(first.runId);
    await h.finished(threadId, accepted.runId);
    expect(counted).toEqual([15, 15, 15, 15]); // each run, for the identity and for its site
  });

  it('Should treat threads of another identity exactly like missing ones', async () => {
    const { h } = await harness();
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const itemId = 'itm_x';
    const calls: Array<() => unknown> = [
      () => h.service.openThread(BOB, { threadId }),
      () => h.service.subscribe(BOB, threadId, () => {}),
      () => h.service.sendMessage(BOB, { threadId, clientMessageId: 'c', text: 'hi' }),
      () => h.service.history(BOB, { threadId, beforeItemId: itemId }),
      () => h.service.deleteThread(BOB, threadId),
      () => h.service.cancelRun(BOB, { threadId, runId: 'run_x' }),
      () => h.service.approveTool(BOB, { threadId, callId: 'call_x', approved: true }),
      () => h.service.feedback(BOB, { threadId, itemId, rating: 'up' }),
      () => h.service.openThread(ALICE, { threadId: 'thr_missing' }),
      () => h.service.createThread(ALICE, 'no-such-workflow'),
    ];
    expect(await Promise.all(calls.map(codeOf))).toEqual(calls.map(() => 'not_found'));
    expect((await h.service.listThreads(BOB)).threads).toEqual([]);
  });

  it('Should refuse empty, too long and file-carrying messages', async () => {
    const { h } = await harness({ maxMessageChars: 10 });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const send = (text: string, attachments?: string[]) => () =>
      h.service.sendMessage(ALICE, { threadId, clientMessageId: `c${text.length}`, text, ...(attachments ? { attachments } : {}) });
    expect(await codeOf(send('   '))).toBe('invalid_request');
    expect(await codeOf(send('x'.repeat(11)))).toBe('payload_too_large');
    expect(await codeOf(send('hi', ['upl_1']))).toBe('invalid_request');
    expect(await h.storage.items.all(threadId)).toEqual([]);
  });

  it('Should page thread.list newest first with a cursor, and reject a bad cursor', async () => {
    const { h } = await harness();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.service.createThread(ALICE, 'support')).thread.id);
    await new Promise((r) => setTimeout(r, 5)); // the bump below gets a later updatedAt
    // Touch the second thread: it becomes the most recently updated.
    const accepted = await h.service.sendMessage(ALICE, { threadId: ids[1]!, clientMessageId: 'c', text: 'bump' });
    await h.watch(ALICE, ids[1]!);
    await h.finished(ids[1]!, accepted.runId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.service.listThreads(ALICE, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.threads.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen[0]).toBe(ids[1]);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(5);
    expect(await codeOf(() => h.service.listThreads(ALICE, { cursor: 'garbage!' }))).toBe('invalid_request');
  });

  it('Should open with the newest 50 items and hasMore, page older ones with history, and replay afterSeq', async () => {
    const { h } = await harness();
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    for (let i = 0; i < 26; i++) {
      const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: `c${i}`, text: `message ${i}` });
      await h.finished(threadId, a.runId);
    }
    const { opened, events } = await h.service.openThread(ALICE, { threadId });
    expect(events).toEqual([]);
    expect(opened.items).toHaveLength(50);
    expect(opened.hasMore).toBe(true);
    expect(opened.items?.[0]).toMatchObject({ type: 'user_message', text: 'message 1' });
    const older = await h.service.history(ALICE, { threadId, beforeItemId: opened.items![0]!.id });
    expect(older.items.map((i) => (i.type === 'user_message' ? i.text : i.type))).toEqual(['message 0', 'assistant_message']);
    expect(older.hasMore).toBe(false);
    const lastSeq = opened.lastSeq;
    // Each finished run's deltas are compacted away: the last one ended …delta, item.done, run.finished.
    const compacted = (await h.storage.threads.get(threadId))?.compactedSeq ?? 0;
    expect(compacted).toBe(lastSeq - 2);
    expect((await h.storage.events.since(threadId, 0)).filter((e) => e.type === 'text.delta')).toEqual([]);
    const replay = await h.service.openThread(ALICE, { threadId, afterSeq: compacted });
    expect(replay.events.map((e) => e.seq)).toEqual([lastSeq - 1, lastSeq]);
    expect(replay.opened.items).toBeUndefined();
    expect(replay.opened.reset).toBeUndefined();
    // Behind the compaction point: the newest items instead, marked reset.
    const behind = await h.service.openThread(ALICE, { threadId, afterSeq: compacted - 1 });
    expect(behind.events).toEqual([]);
    expect(behind.opened).toMatchObject({ reset: true, hasMore: true, lastSeq });
    expect(behind.opened.items).toEqual(opened.items);
    expect(await codeOf(() => h.service.openThread(ALICE, { threadId, afterSeq: lastSeq + 1 }))).toBe('invalid_request');
    expect(await codeOf(() => h.service.history(ALICE, { threadId, beforeItemId: 'itm_nope' }))).toBe('not_found');
  });

  it('Should lose and repeat nothing when a thread is opened mid-run with afterSeq', async () => {
    const { h } = await harness({ runAgent: createScriptedAgent({ delayMs: 20 }) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const early = await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'a b c d e f g h i j k l' });
    while (early.filter((e) => e.type === 'text.delta').length < 3) await new Promise((r) => setTimeout(r, 2));
    const got: ThreadEvent[] = [];
    const { opened, events } = await h.service.openThread(ALICE, { threadId, afterSeq: 2 }, (e) => got.push(e));
    expect(opened.activeRunId).toBe(a.runId);
    got.unshift(...events);
    await h.finished(threadId, a.runId);
    await h.eventLog.whenFlushed();
    expect(got.map((e) => e.seq)).toEqual(early.slice(2).map((e) => e.seq));
    expect(got.map((e) => e.seq)).toEqual(got.map((_, i) => i + 3));
  });

  it('Should lose and repeat nothing for opens mid-run over a storage whose reads and applies take their time', async () => {
    const { h } = await harness({ runAgent: createScriptedAgent({ delayMs: 1 }), wrapStorage: (s) => slowStorage(s, 3) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const early = await h.watch(ALICE, threadId);
    const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text });
    const opens: Array<Promise<{ from: number; got: ThreadEvent[] }>> = [];
    const openNow = (afterSeq: number | undefined) => {
      const got: ThreadEvent[] = [];
      opens.push(
        h.service.openThread(ALICE, { threadId, ...(afterSeq === undefined ? {} : { afterSeq }) }, (e) => got.push(e)).then(({ opened, events }) => {
          got.unshift(...events);
          // Opened with items (no afterSeq, or a reset): live events follow its lastSeq.
          return { from: afterSeq === undefined || opened.reset ? opened.lastSeq : afterSeq, got };
        }),
      );
    };
    // Opens race the run's batches: some start while an apply is in flight, some while reads are.
    while (!early.some((e) => e.type === 'run.finished')) {
      openNow(undefined);
      openNow(early.at(-1)?.seq ?? 0);
      openNow(Math.max(0, (early.at(-1)?.seq ?? 0) - 2));
      await new Promise((r) => setTimeout(r, 2));
    }
    await h.finished(threadId, a.runId);
    await h.eventLog.whenFlushed();
    const last = early.at(-1)!.seq;
    expect(early.map((e) => e.seq)).toEqual(early.map((_, i) => i + 1));
    expect(opens.length).toBeGreaterThan(10);
    for (const { from, got } of await Promise.all(opens)) {
      // Every event after the open's point, once, in order: from the reads, then live.
      expect(got.map((e) => e.seq)).toEqual(Array.from({ length: last - from }, (_, i) => from + i + 1));
    }
  });

  it('Should follow handoffs: the thread remembers its agent and the next run starts there', async () => {
    const inputs: RunInput[] = [];
    const { h } = await harness({ runAgent: createScriptedAgent({ inputs }) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    const first = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c1', text: 'transfer me please' });
    await h.finished(threadId, first.runId);
    expect((await h.service.openThread(ALICE, { threadId })).opened.thread.currentAgent).toBe('billing');
    const second = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c2', text: 'thanks' });
    await h.finished(threadId, second.runId);
    expect(inputs.map((i) => i.agentId)).toEqual(['triage', 'billing']);
    expect(inputs[1]!.history.map((i) => i.type)).toEqual(['user_message', 'handoff', 'assistant_message', 'user_message']);
  });

  it('Should continue an interrupted run once its approval is decided, also after a restart', async () => {
    const dir = await place();
    const { h } = await harness({}, dir);
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'please approve my refund' });
    expect(await h.finished(threadId, a.runId)).toMatchObject({ status: 'interrupted' });
    const call = events.find((e) => e.type === 'item.added' && e.item.type === 'tool_call');
    const callId = call?.type === 'item.added' && call.item.type === 'tool_call' ? call.item.callId : '';
    expect(await codeOf(() => h.service.approveTool(ALICE, { threadId, callId: 'call_unknown', approved: true }))).toBe('not_found');
    await h.service.shutdown();
    await h.close();
    forget(h);

    const { h: h2 } = await harness({}, dir);
    const after = await h2.watch(ALICE, threadId);
    const { runId } = await h2.service.approveTool(ALICE, { threadId, callId, approved: true });
    expect(runId).toBeTruthy();
    expect(await h2.finished(threadId, runId!)).toMatchObject({ status: 'completed' });
    const toolDone = after.find((e) => e.type === 'item.done' && e.item.type === 'tool_call');
    expect(toolDone).toMatchObject({ item: { callId, status: 'completed' } });
    expect(after[0]!.seq).toBe(events.at(-1)!.seq + 1);
    expect(await codeOf(() => h2.service.approveTool(ALICE, { threadId, callId, approved: true }))).toBe('invalid_request');
  });

  it('Should start exactly one run when the decisions on two waiting calls arrive together', async () => {
    const scripted = createScriptedAgent();
    // Asks for two approvals at once, then continues like the scripted agent.
    const runAgent: RunAgent = async function* (input, ctx) {
      if (input.trigger.kind !== 'message') return yield* scripted(input, ctx);
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      for (const n of [1, 2]) {
        const call: Item = { id: ctx.newId(), type: 'tool_call', createdAt: ctx.now().toISOString(), agent: input.agentId, callId: `call_${n}`, name: 'refund_order', arguments: {}, status: 'awaiting_approval' };
        yield { type: 'item.added', item: call };
      }
      yield { type: 'run.finished', runId: input.runId, status: 'interrupted' };
    };
    const { h } = await harness({ runAgent, wrapStorage: (s) => slowStorage(s, 3) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'two refunds' });
    expect(await h.finished(threadId, a.runId)).toMatchObject({ status: 'interrupted' });
    // Each decision reads what was decided before it: the later one sees the other, and continues the run.
    const answers = await Promise.all([
      h.service.approveTool(ALICE, { threadId, callId: 'call_1', approved: true }),
      h.service.approveTool(ALICE, { threadId, callId: 'call_2', approved: true }),
    ]);
    // Which one comes second depends on the storage's timing; exactly one of them starts the run.
    const started = answers.flatMap((answer) => (answer.runId ? [answer.runId] : []));
    expect(started).toHaveLength(1);
    expect(answers.filter((answer) => answer.runId === null)).toHaveLength(1);
    expect(await h.finished(threadId, started[0]!)).toMatchObject({ status: 'completed' });
    expect(events.filter((e) => e.type === 'item.done' && e.item.type === 'tool_call').map((e) => e.type === 'item.done' && e.item.type === 'tool_call' && e.item.status)).toEqual(['completed', 'completed']);
  });

  it('Should cancel a run, keeping its partial text as incomplete', async () => {
    const { h } = await harness({ runAgent: createScriptedAgent({ delayMs: 10, reply: () => 'w '.repeat(200) }) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'talk' });
    while (!events.some((e) => e.type === 'text.delta')) await new Promise((r) => setTimeout(r, 5));
    expect(await codeOf(() => h.service.cancelRun(ALICE, { threadId, runId: 'run_other' }))).toBe('not_found');
    await h.service.cancelRun(ALICE, { threadId, runId: a.runId });
    expect(await h.finished(threadId, a.runId)).toMatchObject({ status: 'cancelled' });
    const assistant = (await h.storage.items.all(threadId)).find((i) => i.type === 'assistant_message');
    expect(assistant).toMatchObject({ status: 'incomplete' });
    expect(assistant?.type === 'assistant_message' && assistant.text.length).toBeGreaterThan(0);
    expect(assistant?.type === 'assistant_message' && assistant.text.length).toBeLessThan(400);
    await h.service.cancelRun(ALICE, { threadId, runId: a.runId }); // finished: a no-op
  });

  it('Should finish for it a run that ignores cancel, and one that throws or ends without run.finished', async () => {
    const stuck: RunAgent = async function* (input) {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      yield { type: 'item.added', item: { id: 'itm_s', type: 'assistant_message', createdAt: new Date().toISOString(), agent: 'triage', text: '', status: 'in_progress' } };
      yield { type: 'text.delta', itemId: 'itm_s', delta: 'partial' };
      await new Promise(() => {}); // never resumes, ignores the abort
    };
    const { h } = await harness({ runAgent: stuck, cancelGraceMs: 30 });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'x' });
    await h.eventLog.whenFlushed();
    await new Promise((r) => setTimeout(r, 5));
    await h.service.cancelRun(ALICE, { threadId, runId: a.runId });
    expect(await h.finished(threadId, a.runId)).toMatchObject({ status: 'cancelled' });
    expect((await h.storage.items.get(threadId, 'itm_s'))?.item).toMatchObject({ status: 'incomplete', text: 'partial' });

    const throwing: RunAgent = async function* (): AsyncGenerator<ThreadEventBody> {
      throw new Error('boom');
    };
    const silent: RunAgent = async function* (input) {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
    };
    for (const runAgent of [throwing, silent]) {
      const { h: hx } = await harness({ runAgent });
      const t = (await hx.service.createThread(ALICE, 'support')).thread.id;
      const ev = await hx.watch(ALICE, t);
      const r = await hx.service.sendMessage(ALICE, { threadId: t, clientMessageId: 'c', text: 'x' });
      expect(await hx.finished(t, r.runId)).toMatchObject({ status: 'failed', error: { code: 'internal' } });
      expect(ev.filter((e) => e.type === 'run.started')).toHaveLength(1);
      expect(hx.service.activeRunId(t)).toBeUndefined();
    }
  });

  /** Runs a message into a reply that hangs after "Half a rep", then crashes (no shutdown): the run stays "running" in storage. */
  async function crashMidReply() {
    const dir = await place();
    const hang: RunAgent = async function* (input) {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      const item: Item = { id: 'itm_c', type: 'assistant_message', createdAt: new Date().toISOString(), agent: 'triage', text: '', status: 'in_progress' };
      yield { type: 'item.added', item };
      yield { type: 'text.delta', itemId: 'itm_c', delta: 'Half a rep' };
      await new Promise(() => {});
    };
    // A short lease: where several instances may share the database (Postgres), a run is only
    // taken over once its lease ended.
    const { h } = await harness({ runAgent: hang, runLeaseMs: 50 }, dir);
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'x' });
    await new Promise((r) => setTimeout(r, 20));
    await h.eventLog.whenFlushed();
    await h.close(); // a crash: no shutdown, the run is still "running" in the database
    forget(h);
    await new Promise((r) => setTimeout(r, 100));
    return { dir, threadId, runId: a.runId };
  }

  it('Should continue a run a crash left in flight: the partial answer kept as incomplete, the reply goes on as a new item of the same run', async () => {
    const { dir, threadId, runId } = await crashMidReply();
    const { h: h2 } = await harness({}, dir);
    const events = await h2.watch(ALICE, threadId);
    expect(await h2.service.recoverInterruptedRuns()).toEqual({ resumed: 1, ended: 0 }); // what createServer does at start-up
    await h2.finished(threadId, runId);
    const stored = await h2.storage.events.since(threadId, 0);
    // One run: one run.started (before the crash), one run.finished (after the resume).
    expect(stored.filter((e) => e.type === 'run.started' || e.type === 'run.finished').map((e) => e.type)).toEqual(['run.finished']);
    expect(events.map((e) => e.type)).toContain('run.finished');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
    const items = await h2.storage.items.all(threadId);
    expect(items.map((i) => (i.type === 'assistant_message' ? `${i.status}:${i.text}` : i.type))).toEqual([
      'user_message',
      'incomplete:Half a rep',
      'done:Continued after a restart.',
    ]);
    expect(await h2.storage.runs.get(runId)).toMatchObject({ status: 'completed', resumes: 1 });
    expect(await h2.storage.runs.running()).toEqual([]);
    expect(await h2.service.recoverInterruptedRuns()).toEqual({ resumed: 0, ended: 0 });
  });

  it('Should keep one run per thread across two servers on one database, and let the other take the run over once its server stops renewing it', async () => {
    const shared = await place();
    const hang: RunAgent = async function* (input) {
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      await new Promise(() => {});
    };
    const { h: first } = await harness({ runAgent: hang, runLeaseMs: 500 }, shared);
    const { h: second } = await harness({ runLeaseMs: 500 }, shared);
    const threadId = (await first.service.createThread(ALICE, 'support')).thread.id;
    const running = await first.service.sendMessage(ALICE, { threadId, clientMessageId: 'a', text: 'x' });
    await first.eventLog.whenFlushed();
    // The second server has no run in memory, but the database says the thread has one.
    expect(await codeOf(() => second.service.sendMessage(ALICE, { threadId, clientMessageId: 'b', text: 'y' }))).toBe('run_in_progress');
    if (engine.name === 'postgres') {
      // Where several servers share the database, a run whose lease holds is not taken.
      expect(await second.service.recoverInterruptedRuns()).toEqual({ resumed: 0, ended: 0 });
    }
    await first.close(); // the first server dies: nobody renews its lease
    forget(first);
    await new Promise((r) => setTimeout(r, 600));
    await second.watch(ALICE, threadId);
    expect(await second.service.recoverInterruptedRuns()).toEqual({ resumed: 1, ended: 0 });
    await second.finished(threadId, running.runId);
    expect(await second.storage.runs.get(running.runId)).toMatchObject({ status: 'completed', resumes: 1 });
    // The thread is free again.
    const next = await second.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'z' });
    expect((await second.finished(threadId, next.runId)).type).toBe('run.finished');
  });

  it('Should end a run a crash left in flight as interrupted_by_restart when resuming is off, and after maxRunResumes continuations', async () => {
    for (const options of [{ resumeInterruptedRuns: false }, { maxRunResumes: 0 }]) {
      const { dir, threadId, runId } = await crashMidReply();
      const { h: h2 } = await harness(options, dir);
      expect(await h2.service.recoverInterruptedRuns()).toEqual({ resumed: 0, ended: 1 });
      const stored = await h2.storage.events.since(threadId, 0);
      const tail = stored.slice(-2);
      expect(tail[0]).toMatchObject({ type: 'item.done', item: { id: 'itm_c', status: 'incomplete', text: 'Half a rep' } });
      expect(tail[1]).toMatchObject({ type: 'run.finished', runId, status: 'failed', error: { code: 'interrupted_by_restart' } });
      // The recovered run is compacted like any other: its delta is gone, so a resume from 0 is a reset.
      expect(stored.some((e) => e.type === 'text.delta')).toBe(false);
      const replay = await h2.service.openThread(ALICE, { threadId, afterSeq: 0 });
      expect(replay.opened.reset).toBe(true);
      expect(replay.opened.items?.find((i) => i.id === 'itm_c')).toMatchObject({ status: 'incomplete', text: 'Half a rep' });
      expect(await h2.storage.runs.running()).toEqual([]);
    }
  });

  it('Should end runs in flight at shutdown and refuse new ones', async () => {
    const { h } = await harness({ runAgent: createScriptedAgent({ delayMs: 20 }) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    const events = await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'a b c d e f' });
    await new Promise((r) => setTimeout(r, 30));
    await h.service.shutdown();
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', runId: a.runId, status: 'failed', error: { code: 'interrupted_by_restart' } });
    expect(await codeOf(() => h.service.sendMessage(ALICE, { threadId, clientMessageId: 'd', text: 'more' }))).toBe('internal');
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
  });

  it('Should delete a thread with its run, and save feedback on existing items only', async () => {
    const { h } = await harness({ runAgent: createScriptedAgent({ delayMs: 5 }) });
    const threadId = (await h.service.createThread(ALICE, 'support')).thread.id;
    await h.watch(ALICE, threadId);
    const a = await h.service.sendMessage(ALICE, { threadId, clientMessageId: 'c', text: 'one two three four' });
    await h.eventLog.whenFlushed();
    expect((await h.service.feedback(ALICE, { threadId, itemId: a.itemId, rating: 'up' })).type).toBe('feedback.saved');
    expect(await h.service.feedback(ALICE, { threadId, itemId: a.itemId, rating: 'down', comment: 'meh' })).toEqual({
      type: 'feedback.saved', threadId, itemId: a.itemId,
    });
    expect(await codeOf(() => h.service.feedback(ALICE, { threadId, itemId: 'itm_nope', rating: 'up' }))).toBe('not_found');
    expect(await h.service.deleteThread(ALICE, threadId)).toEqual({ type: 'thread.deleted', threadId });
    await new Promise((r) => setTimeout(r, 40));
    expect(await codeOf(() => h.service.openThread(ALICE, { threadId }))).toBe('not_found');
    expect(await h.storage.events.since(threadId, 0)).toEqual([]);
    expect(h.service.activeRuns).toBe(0);
  });
});
