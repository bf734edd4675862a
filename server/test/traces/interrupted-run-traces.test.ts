/**
 * Traces of runs that did not end in their driver: cut at shutdown, killed mid-run and then
 * continued (or ended) by the next start. One trace per run, the part before the stop kept
 * with the same ids.
 */
import { cpSync } from 'node:fs';
import { RunTrace, type ThreadEvent } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { eventSpanId, stepSpanId, traceIdOf } from '../../src/traces/trace-ids.ts';
import { startChildInstance } from '../helpers/child-instance.ts';
import { tempDataDir } from '../helpers/test-server.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import type { TestClient } from '../helpers/ws-client.ts';

const QUESTION = 'I was charged twice for order 1234';

async function readTrace(dataDir: string, runId: string): Promise<{ trace: RunTrace | undefined; ofThread: number; threadId: string }> {
  const storage = createSqliteStorage(dataDir);
  try {
    const row = await storage.traces.get(runId);
    const ofThread = row ? (await storage.traces.ofThread(row.threadId)).length : 0;
    return { trace: row ? RunTrace.parse(JSON.parse(row.json)) : undefined, ofThread, threadId: row?.threadId ?? '' };
  } finally {
    await storage.close();
  }
}

/** The ids the spans stored before a stop must keep: the trace, the handoff's segment, the tool calls, the steps. */
function idsBeforeStop(threadId: string, runId: string, events: ThreadEvent[], steps: number[]) {
  const started = events.find((e) => e.type === 'run.started' && e.runId === runId)!;
  const opened = events.filter((e) => e.type === 'item.added' && (e.item.type === 'handoff' || e.item.type === 'tool_call'));
  return {
    traceId: traceIdOf(threadId, started.seq),
    root: eventSpanId(threadId, started.seq),
    opened: opened.map((e) => eventSpanId(threadId, e.seq)),
    steps: steps.map((n) => stepSpanId(runId, n)),
  };
}

describe('traces of interrupted runs', () => {
  const scope = useTestScope();

  async function ask(client: TestClient) {
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'q', text: QUESTION });
    return { threadId, runId: accepted.type === 'message.accepted' ? accepted.runId : '' };
  }

  it('Should save the trace of a run cut at shutdown: failed, interrupted_by_restart, with what it did so far', async () => {
    const dataDir = tempDataDir();
    scope.dirs.push(dataDir);
    const s = await scope.boot({ dataDir, env: { OFFLINE_MODEL_DELAY_MS: '20' } });
    const { client } = await scope.connect(s);
    const { threadId, runId } = await ask(client);
    await client.waitFor(() => client.events(threadId).some((e) => e.type === 'item.added' && e.item.type === 'handoff'), 10_000);
    await s.close();
    const { trace } = await readTrace(dataDir, runId);
    expect(trace?.spans[0]?.attributes).toMatchObject({ 'agent_chat.run.status': 'failed', 'agent_chat.run.error_code': 'interrupted_by_restart' });
    expect(trace?.spans[0]?.status.code).toBe('error');
    expect(trace?.spans.some((x) => x.name === 'invoke_agent billing')).toBe(true);
    expect(trace?.spans.some((x) => x.operation === 'chat')).toBe(true);
  });

  it('Should keep one trace for a run killed mid-answer, its spans from before the kill with the same ids, whether the next start continues or ends it', async () => {
    const dataDir = tempDataDir();
    scope.dirs.push(dataDir);
    const { wsUrl, child, exited } = await startChildInstance({ DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '10' });
    let threadId = '';
    let runId = '';
    try {
      const { client } = await scope.connect({ wsUrl });
      ({ threadId, runId } = await ask(client));
      // Killed while billing writes its answer: the handoff, the lookup and two model calls are stored.
      await client.waitFor(() => client.events(threadId).filter((e) => e.type === 'text.delta').length >= 3, 10_000);
      child.kill('SIGKILL');
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    const crashed = createSqliteStorage(dataDir);
    const events = await crashed.events.since(threadId, 0);
    const steps = (await crashed.runSteps.ofRun(runId)).map((r) => r.step);
    expect(await crashed.traces.get(runId)).toBeUndefined();
    await crashed.close();
    expect(steps.length).toBeGreaterThanOrEqual(2);
    const before = idsBeforeStop(threadId, runId, events, steps);
    expect(before.opened.length).toBeGreaterThanOrEqual(2);
    // The same crash, started once continuing the run and once ending it (a copy of the data).
    const copy = tempDataDir();
    scope.dirs.push(copy);
    cpSync(dataDir, copy, { recursive: true });

    for (const [dir, resume] of [
      [dataDir, true],
      [copy, false],
    ] as const) {
      const s = await scope.boot({ dataDir: dir, env: { RESUME_INTERRUPTED_RUNS: resume ? '1' : '0' } });
      while ((await s.server.storage.runs.get(runId))?.status === 'running') await new Promise((r) => setTimeout(r, 20));
      await s.close();
      const { trace, ofThread } = await readTrace(dir, runId);
      expect(ofThread).toBe(1);
      expect(trace?.traceId).toBe(before.traceId);
      expect(trace?.spans[0]?.spanId).toBe(before.root);
      expect(trace?.spans[0]?.attributes['agent_chat.run.status']).toBe(resume ? 'completed' : 'failed');
      const ids = new Set(trace?.spans.map((x) => x.spanId));
      for (const id of [...before.opened, ...before.steps]) expect(ids.has(id), `span ${id} from before the kill (resume: ${resume})`).toBe(true);
      // Parents are spans of the same trace.
      for (const span of trace?.spans ?? []) if (span.parentSpanId) expect(ids.has(span.parentSpanId)).toBe(true);
      // Continued, the answer takes one more model call (a step numbered after the stored ones); ended, none.
      const after = (trace?.spans ?? []).filter((x) => x.operation === 'chat' && !before.steps.includes(x.spanId));
      expect(after.length > 0).toBe(resume);
    }
  }, 30_000);
});
