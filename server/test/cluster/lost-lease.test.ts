import { type ThreadEvent, Workflow } from '@agent-chat/shared';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineTool, z } from '../../src/agents/tool.ts';
import type { Logger } from '../../src/logger.ts';
import type { ModelEvent, ModelProvider, ModelRequest } from '../../src/models/model.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { createPostgresStorage, type PostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import type { StorageOp } from '../../src/store/storage.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from '../helpers/postgres.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { NO_QUOTAS } from '../helpers/test-server.ts';
import { seqs, textFromDeltas } from '../helpers/ws-client.ts';

// Two instances on one PostgreSQL database. Instance A stalls (its storage, its model and its
// tools stop answering: what a saturated machine looks like from outside) for longer than the
// run lease while it writes a reply; B takes the run over and finishes it. When A comes back it
// must learn that the run is no longer its own and stop it: no model call, no tool call, no write.

/** Holds whatever passes through it while closed. */
class Gate {
  #open = true;
  #waiting: Array<() => void> = [];
  close(): void {
    this.#open = false;
  }
  open(): void {
    this.#open = true;
    for (const resume of this.#waiting.splice(0)) resume();
  }
  pass(): Promise<void> {
    return this.#open ? Promise.resolve() : new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** One agent with one in-process tool, so each instance counts its own tool calls. */
const SHOP = Workflow.parse({
  id: 'shop',
  name: 'Shop',
  entryAgent: 'desk',
  agents: [{ id: 'desk', name: 'Desk', instructions: 'Help with orders.', tools: ['check_stock'] }],
});

function countingStockTool(calls: string[]) {
  return defineTool({
    name: 'check_stock',
    description: 'Check whether an order is in stock and when it ships.',
    parameters: z.object({ order_id: z.string().regex(/^[0-9]{3,10}$/) }),
    execute: ({ order_id }) => {
      calls.push(order_id);
      return { in_stock: true, ships: 'tomorrow' };
    },
  });
}

/**
 * The offline model (real `openai` client), counting requests and the stream events it hands
 * over; `gate` holds the streams, and closes once `closeAt` events were handed over. Like a
 * real client it hands over nothing once the run aborted.
 */
function gatedProvider(gate: Gate, offlineDelayMs: number) {
  const real = createModelProvider({ offlineDelayMs });
  const seen = { requests: [] as ModelRequest[], chunks: 0, closeAt: Infinity, open: 0, closed: Promise.resolve() };
  const provider: ModelProvider = {
    mode: real.mode,
    getModel(name, api) {
      const model = real.getModel(name, api);
      return {
        stream(request, signal) {
          seen.requests.push(structuredClone(request));
          let ended!: () => void;
          seen.closed = new Promise((resolve) => (ended = resolve));
          seen.open++;
          return (async function* (): AsyncGenerator<ModelEvent> {
            try {
              for await (const event of model.stream(request, signal)) {
                if (seen.chunks >= seen.closeAt) {
                  seen.closeAt = Infinity;
                  gate.close();
                }
                await gate.pass();
                if (signal.aborted) return;
                seen.chunks++;
                yield event;
              }
            } finally {
              seen.open--;
              ended();
            }
          })();
        },
      };
    },
  };
  return { provider, seen };
}

/** Resolves with the first warning whose message contains `text`. */
function warningLog(text: string): { log: Logger; warned: Promise<{ message: string; fields: Record<string, unknown> }> } {
  let found!: (w: { message: string; fields: Record<string, unknown> }) => void;
  const warned = new Promise<{ message: string; fields: Record<string, unknown> }>((resolve) => (found = resolve));
  const log: Logger = {
    info() {},
    error() {},
    warn(message, _error, fields) {
      if (message.includes(text)) found({ message, fields: { ...fields } });
    },
  };
  return { log, warned };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms).unref())]);
}

describe('an instance that lost a run’s lease while alive', () => {
  const scope = useTestScope();
  const databases: TestDatabase[] = [];
  const storages: PostgresStorage[] = [];
  afterEach(async () => {
    for (const s of storages.splice(0)) await s.close();
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
    await stopTestPostgres();
  });

  // How A learns it: its next renewal does not return the run, or (its writes were held too)
  // its held write is refused because B stored that event first.
  it.each([
    { learnsBy: 'renewal', holdWrites: false },
    { learnsBy: 'refused write', holdWrites: true },
  ])('stops the run at once when it learns by its $learnsBy that another instance took it over: no more model or tool calls, no writes, one ending', async ({ holdWrites }) => {
    const db = await createTestDatabase();
    databases.push(db);
    const env = { ...NO_QUOTAS, DATABASE_URL: db.url, OFFLINE_MODEL_DELAY_MS: '40', RUN_LEASE_MS: '500' };
    const workflows = new Map([[SHOP.id, SHOP]]);

    // A: its lease renewals, its storage writes and its model streams can be held.
    const renewals = new Gate();
    const writes = new Gate();
    const modelGate = new Gate();
    const real = await createPostgresStorage({ connectionString: db.url });
    storages.push(real);
    let learned = false;
    const writesAfter: StorageOp[][] = [];
    const aStorage: PostgresStorage = {
      ...real,
      runs: {
        ...real.runs,
        renew: async (owner, leaseUntil) => {
          await renewals.pass();
          return real.runs.renew(owner, leaseUntil);
        },
      },
      apply: async (ops) => {
        await writes.pass();
        await real.apply(ops);
        if (learned) writesAfter.push([...ops]);
      },
    };
    const aTools: string[] = [];
    const bTools: string[] = [];
    const aModel = gatedProvider(modelGate, 40);
    const aLog = warningLog('taken over');
    const a = await scope.boot({ env, storage: aStorage, models: aModel.provider, tools: [countingStockTool(aTools)], workflows, log: aLog.log });
    const b = await scope.boot({ env, tools: [countingStockTool(bTools)], workflows });
    await Promise.all([real.commits.listening, (b.server.storage as PostgresStorage).commits.listening]);

    // The visitor writes through A and follows the thread on B.
    const { client: onA, ready } = await scope.connect(a);
    const { client: onB } = await scope.connect(b, ready.visitorToken);
    const created = await onA.request({ type: 'thread.create', workflow: 'shop' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    expect(await onB.request({ type: 'thread.open', threadId })).toMatchObject({ type: 'thread.opened' });
    const accepted = await onA.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'Is order 1234 in stock?' });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';

    // A called the tool, and its answer is streaming (B sees it) when A stalls: its renewals
    // (and writes) at once, its model two text events later (appended, so held with the writes).
    await onB.waitFor((m) => m.type === 'text.delta' && m.threadId === threadId, 20_000);
    renewals.close();
    if (holdWrites) writes.close();
    aModel.seen.closeAt = aModel.seen.chunks + 2;
    expect(aTools).toEqual(['1234']);
    expect(aModel.seen.requests).toHaveLength(2); // the tool call, then the answer
    expect(a.server.service.activeRunId(threadId)).toBe(runId);
    const owner = (await real.threads.get(threadId))!.owner;
    expect(a.server.quota.runsInFlight(owner)).toBe(1);

    // Its lease ends; B takes the run over and finishes it.
    const finished = await onB.runFinished(runId, 20_000);
    expect(finished.status).toBe('completed');
    expect(await real.runs.get(runId)).toMatchObject({ status: 'completed', resumes: 1 });

    // A's storage answers again (held writes first): its held write is refused, or its
    // renewal does not hold the run any more. It stops the run before its model hands over more.
    if (holdWrites) writes.open();
    else renewals.open();
    const warning = await within(aLog.warned, 10_000, 'takeover warning on A');
    learned = true;
    expect(warning.message).toBe('run taken over by another instance; stopped here');
    expect(warning.fields).toMatchObject({ threadId, runId });
    expect(a.server.service.activeRuns).toBe(0);
    expect(a.server.quota.runsInFlight(owner)).toBe(0); // its quota slot is free
    const at = { requests: aModel.seen.requests.length, chunks: aModel.seen.chunks, tools: aTools.length };

    // Its model would go on now: the run is stopped, so it hands over nothing and closes.
    modelGate.open();
    await within(aModel.seen.closed, 10_000, 'end of A’s model stream');
    await a.server.eventLog.flush();
    expect(aModel.seen.open).toBe(0);
    expect({ requests: aModel.seen.requests.length, chunks: aModel.seen.chunks, tools: aTools.length }).toEqual(at);
    expect(writesAfter.filter((ops) => JSON.stringify(ops).includes(threadId))).toEqual([]);
    // The finished tool call was not run again on B.
    expect(bTools).toEqual([]);
    renewals.open();

    // The visitor got one gap-free thread: A's answer so far closed incomplete, B's continuation, one ending.
    const events: ThreadEvent[] = onB.events(threadId);
    expect(seqs(events)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'run.finished').map((e) => e.type === 'run.finished' && `${e.runId}:${e.status}`)).toEqual([`${runId}:completed`]);
    const answers = events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'assistant_message' ? [e.item] : []));
    expect(answers.map((x) => x.status)).toEqual(['incomplete', 'done']);
    for (const answer of answers) expect(textFromDeltas(events, answer.id)).toBe(answer.text);
    const calls = events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'tool_call' ? [e.item] : []));
    expect(calls.map((call) => `${call.name}:${call.status}`)).toEqual(['check_stock:completed']);
    // And so does storage.
    const stored = await real.events.since(threadId, 0);
    expect(stored.filter((e) => e.type === 'run.finished')).toHaveLength(1);
    const items = await real.items.all(threadId);
    expect(items.map((i) => (i.type === 'assistant_message' ? `answer:${i.status}` : i.type))).toEqual(['user_message', 'tool_call', 'answer:incomplete', 'answer:done']);
  }, 60_000);
});
