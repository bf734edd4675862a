import { describe, expect, it } from 'vitest';
import { startRetention } from '../src/conversation/retention.ts';
import { silentLogger } from '../src/logger.ts';
import { type SqliteStorage, createSqliteStorage } from '../src/store/sqlite/sqlite-storage.ts';
import { createHarness } from './helpers/conversation-harness.ts';
import type { RunAgent } from '../src/agents/run-types.ts';
import { createScriptedAgent } from './helpers/scripted-agent.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { tempDataDir } from './helpers/test-server.ts';

const DAY = 24 * 60 * 60 * 1000;
const OWNER = 'visitor:vis_retention_test_0001';
const TABLES = ['threads', 'items', 'events', 'runs', 'client_messages', 'feedback'] as const;

describe('Retention (RETENTION_DAYS)', () => {
  const scope = useTestScope();

  it('Should delete threads idle past the limit with all their rows, keep fresh ones and ones with a run in flight', async () => {
    const dir = tempDataDir();
    scope.dirs.push(dir);
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const scripted = createScriptedAgent();
    // "slow" waits, silent, for a model that does not answer: its thread looks idle while the run is in flight.
    const runAgent: RunAgent = async function* (input, ctx) {
      if (!JSON.stringify(input.history).includes('slow')) return yield* scripted(input, ctx);
      yield { type: 'run.started', runId: input.runId, agent: input.agentId };
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
      yield { type: 'run.finished', runId: input.runId, status: 'cancelled' };
    };
    const h = createHarness(createSqliteStorage(dir), { now: () => new Date(clock), runAgent });
    try {
      const say = async (text: string, wait = true) => {
        const threadId = (await h.service.createThread(OWNER, 'support')).thread.id;
        await h.watch(OWNER, threadId);
        const accepted = await h.service.sendMessage(OWNER, { threadId, clientMessageId: 'c1', text });
        if (wait) await h.finished(threadId, accepted.runId);
        return { threadId, itemId: accepted.itemId, runId: accepted.runId };
      };
      const old = await say('old news');
      await h.service.feedback(OWNER, { threadId: old.threadId, itemId: old.itemId, rating: 'up' });
      const busy = await say('slow and old', false);
      while (!h.delivered.get(busy.threadId)?.some((e) => e.type === 'run.started')) await new Promise((r) => setTimeout(r, 5));
      clock += 20 * DAY;
      const fresh = await say('fresh');
      clock += 15 * DAY; // old: 35 days idle; fresh: 15

      const count = (t: string, id: string) =>
        ((h.storage as SqliteStorage).db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE ${t === 'threads' ? 'id' : 'thread_id'} = ?`).get(id) as { n: number }).n;
      expect(count('feedback', old.threadId)).toBe(1);
      expect(count('events', old.threadId)).toBeGreaterThan(0);

      const retention = startRetention({ service: h.service, storage: h.storage, retentionDays: 30, log: silentLogger, now: () => clock });
      retention.stop();
      expect(await retention.first).toBe(1);
      for (const t of TABLES) expect(count(t, old.threadId), t).toBe(0);
      expect(await h.storage.threads.get(fresh.threadId)).toBeDefined();
      expect(await h.storage.threads.get(busy.threadId)).toBeDefined();
      expect(h.service.activeRunId(busy.threadId)).toBeDefined();
      expect((await h.service.listThreads(OWNER)).threads.map((t) => t.id).sort()).toEqual([busy.threadId, fresh.threadId].sort());

      // Once its run is over (and it stays idle), the old busy thread goes too.
      await h.service.cancelRun(OWNER, { threadId: busy.threadId, runId: busy.runId });
      await h.finished(busy.threadId, busy.runId);
      clock += 31 * DAY;
      expect(await retention.sweep()).toBe(2);
      expect((await h.service.listThreads(OWNER)).threads).toEqual([]);
    } finally {
      await h.service.shutdown();
      await h.close();
    }
  });

  it('Should sweep at start-up when the server is configured with RETENTION_DAYS', async () => {
    const first = await scope.boot();
    const { client } = await scope.connect(first);
    const opened = (await client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    client.ws.terminate();
    await first.close();

    const kept = await scope.boot({ dataDir: first.dataDir, env: { RETENTION_DAYS: '30' }, now: () => Date.now() + 29 * DAY });
    expect(await kept.server.storage.threads.get(opened.thread.id)).toBeDefined();
    await kept.close();
    const swept = await scope.boot({ dataDir: first.dataDir, env: { RETENTION_DAYS: '30' }, now: () => Date.now() + 31 * DAY });
    expect(await swept.server.storage.threads.get(opened.thread.id)).toBeUndefined();
    expect(swept.server.retention).toBeDefined();
  });
});
