import type { ThreadEvent } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../src/store/sqlite/sqlite-storage.ts';
import { startChildInstance } from './helpers/child-instance.ts';
import { tempDataDir } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { TestClient, seqs, textFromDeltas } from './helpers/ws-client.ts';

const QUESTION = 'I was charged twice for order 1234';
const SLOW = { OFFLINE_MODEL_DELAY_MS: '4' };

/** Events in seq order with no duplicates; fails on a duplicate seq. */
function merge(...lists: ThreadEvent[][]): ThreadEvent[] {
  const all = lists.flat();
  const bySeq = new Map<number, ThreadEvent>();
  for (const e of all) {
    expect(bySeq.has(e.seq), `seq ${e.seq} delivered twice`).toBe(false);
    bySeq.set(e.seq, e);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Every assistant message's deltas add up to its final text. */
function expectDeltasMatchFinalText(events: ThreadEvent[]): number {
  let checked = 0;
  for (const e of events) {
    if (e.type !== 'item.done' || e.item.type !== 'assistant_message') continue;
    expect(textFromDeltas(events, e.item.id)).toBe(e.item.text);
    checked++;
  }
  return checked;
}

describe('Resume and restart (real stack)', () => {
  const scope = useTestScope();
  const dirs = scope.dirs;
  const server = (dataDir: string, env: Record<string, string> = {}) => scope.boot({ dataDir, env });
  const open = scope.connect;
  async function startRun(client: TestClient) {
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'q', text: QUESTION });
    return { threadId, runId: accepted.type === 'message.accepted' ? accepted.runId : '' };
  }
  async function deltasSeen(client: TestClient, threadId: string, n: number) {
    await client.waitFor(() => client.events(threadId).filter((e) => e.type === 'text.delta').length >= n, 10_000);
  }

  it('Should resume a dropped socket with afterSeq: no gap, no duplicate, deltas add up to the final text', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const s = await server(dir, SLOW);
    const { client: a, ready } = await open(s);
    const { threadId, runId } = await startRun(a);
    await deltasSeen(a, threadId, 5);
    a.ws.terminate(); // dropped mid-stream, no close handshake
    const before = a.events(threadId);
    const lastSeen = before.at(-1)!.seq;

    const { client: b } = await open(s, ready.visitorToken);
    const opened = await b.request({ type: 'thread.open', threadId, afterSeq: lastSeen });
    expect(opened).toMatchObject({ type: 'thread.opened', activeRunId: runId });
    expect(opened.type === 'thread.opened' && opened.lastSeq).toBeGreaterThanOrEqual(lastSeen);
    expect(opened.type === 'thread.opened' && opened.items).toBeUndefined();
    expect(await b.runFinished(runId)).toMatchObject({ status: 'completed' });
    const after = b.events(threadId);
    expect(after[0]!.seq).toBe(lastSeen + 1);
    expect(b.received.indexOf(opened)).toBeLessThan(b.received.indexOf(after[0]!));
    const all = merge(before, after);
    expect(seqs(all)).toEqual(all.map((_, i) => i + 1));
    expect(expectDeltasMatchFinalText(all)).toBeGreaterThan(0);
    expect(all.some((e) => e.type === 'text.delta' && e.seq < lastSeen) && all.some((e) => e.type === 'text.delta' && e.seq > lastSeen)).toBe(true);
  });

  it('Should bring threads and items back after a restart, and resume across it', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const first = await server(dir);
    const { client, ready } = await open(first);
    const { threadId, runId } = await startRun(client);
    await client.runFinished(runId);
    const events = client.events(threadId);
    await first.close();

    const second = await server(dir);
    const { client: again, ready: ready2 } = await open(second, ready.visitorToken);
    expect(ready2.user.id).toBe(ready.user.id); // the token secret survived the restart
    const list = await again.request({ type: 'thread.list' });
    expect(list).toMatchObject({ type: 'threads', threads: [{ id: threadId, title: QUESTION, workflow: 'support' }] });
    const opened = await again.request({ type: 'thread.open', threadId });
    expect(opened).toMatchObject({ type: 'thread.opened', lastSeq: events.at(-1)!.seq, thread: { currentAgent: 'billing' } });
    const items = opened.type === 'thread.opened' ? opened.items ?? [] : [];
    expect(items.map((i) => i.type)).toEqual(['user_message', 'handoff', 'tool_call', 'assistant_message']);
    // The finished run's deltas were compacted away: a resume from before the last of them is a reset…
    const lastDelta = events.filter((e) => e.type === 'text.delta').at(-1)!.seq;
    const reset = await again.request({ type: 'thread.open', threadId, afterSeq: 3 });
    expect(reset).toMatchObject({ type: 'thread.opened', reset: true, lastSeq: events.at(-1)!.seq, items });
    // …and one from there on gets exactly the events after it.
    const replayed = await again.request({ type: 'thread.open', threadId, afterSeq: lastDelta });
    expect(replayed.type === 'thread.opened' && [replayed.lastSeq, replayed.reset, replayed.items]).toEqual([events.at(-1)!.seq, undefined, undefined]);
    await again.waitFor(() => again.events(threadId).some((e) => e.seq === events.at(-1)!.seq));
    expect(again.events(threadId)).toEqual(events.filter((e) => e.seq > lastDelta));
    // The next message continues the same numbering.
    const next = await again.request({ type: 'message.send', threadId, clientMessageId: 'q2', text: 'Thanks!' });
    await again.runFinished(next.type === 'message.accepted' ? next.runId : '');
    expect(again.events(threadId).find((e) => e.type === 'item.added' && e.item.type === 'user_message' && e.item.text === 'Thanks!')?.seq).toBe(events.at(-1)!.seq + 1);
  });

  it('Should finish a run interrupted by a graceful restart as interrupted_by_restart, resumable with afterSeq', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const first = await server(dir, SLOW);
    const { client, ready } = await open(first);
    const { threadId, runId } = await startRun(client);
    await deltasSeen(client, threadId, 3);
    const lastSeen = client.events(threadId).at(-1)!.seq;
    const before = client.events(threadId).filter((e) => e.seq <= lastSeen);
    await first.close();
    expect((await client.closed).code).toBe(1001);

    const second = await server(dir);
    expect(second.server.recoveredRuns).toEqual({ resumed: 0, ended: 0 }); // already finished at shutdown
    const { client: again } = await open(second, ready.visitorToken);
    // The run ended at shutdown and its deltas were compacted: a client that missed one of
    // them (here: resuming from just before the last delta it saw) gets the items.
    const lastDeltaSeen = before.filter((e) => e.type === 'text.delta').at(-1)!.seq;
    const reopened = await again.request({ type: 'thread.open', threadId, afterSeq: lastDeltaSeen - 1 });
    expect(reopened).toMatchObject({ type: 'thread.opened', reset: true });
    expect(reopened.type === 'thread.opened' && reopened.lastSeq).toBeGreaterThanOrEqual(lastSeen + 2); // + item.done, run.finished
    const items = reopened.type === 'thread.opened' ? reopened.items ?? [] : [];
    const partial = items.find((i) => i.type === 'assistant_message');
    expect(partial).toMatchObject({ status: 'incomplete' });
    const seenText = before.filter((e) => e.type === 'text.delta').map((e) => (e.type === 'text.delta' ? e.delta : '')).join('');
    expect(partial?.type === 'assistant_message' && partial.text.startsWith(seenText)).toBe(true);
    expect(await second.server.storage.runs.get(runId)).toMatchObject({ status: 'failed' });
  });

  it('Should continue a run in flight at a crash (SIGKILL) when the server starts again: nothing lost, nothing sent twice', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const { wsUrl, child, exited } = await startChildInstance({ DATA_DIR: dir, OFFLINE_MODEL_DELAY_MS: '10' });
    try {
      const { client, ready } = await open({ wsUrl });
      const { threadId, runId } = await startRun(client);
      await deltasSeen(client, threadId, 3);
      child.kill('SIGKILL');
      await exited;
      const seen = client.events(threadId);

      // What the crashed server had sent is exactly what it had committed: same seqs, same events.
      const crashed = createSqliteStorage(dir);
      const committed = await crashed.events.since(threadId, 0);
      await crashed.close();
      expect(seqs(committed)).toEqual(committed.map((_, i) => i + 1));
      expect(committed.slice(0, seen.length)).toEqual(seen);

      const s = await server(dir);
      // The next start continues the run from what was stored.
      expect(s.server.recoveredRuns).toEqual({ resumed: 1, ended: 0 });
      const { client: again } = await open(s, ready.visitorToken);
      const lastSeen = seen.at(-1)!.seq;
      const reopened = await again.request({ type: 'thread.open', threadId, afterSeq: lastSeen });
      expect(reopened).toMatchObject({ type: 'thread.opened' });
      // Live (or, if it already ended and was compacted, as items): the same run goes on to its end.
      if (reopened.type === 'thread.opened' && !reopened.reset) {
        const finished = await again.runFinished(runId, 20_000);
        expect(finished.status).toBe('completed');
        const after = again.events(threadId);
        expect(seqs(after)).toEqual(after.map((_, i) => lastSeen + 1 + i));
      }
      while ((await s.server.storage.runs.get(runId))?.status === 'running') await new Promise((r) => setTimeout(r, 20));
      expect(await s.server.storage.runs.get(runId)).toMatchObject({ status: 'completed', resumes: 1 });
      const final = await again.request({ type: 'thread.open', threadId });
      const items = final.type === 'thread.opened' ? final.items ?? [] : [];
      const answers = items.filter((i) => i.type === 'assistant_message');
      // The text streamed before the crash is kept as it was; the reply continues as a new item.
      expect(answers[0]).toMatchObject({ status: 'incomplete' });
      expect(answers[0]?.type === 'assistant_message' && answers[0].text).toBe(textFromDeltas(committed, answers[0]!.id));
      expect(answers.at(-1)).toMatchObject({ status: 'done' });
      const last = answers.at(-1);
      expect(last?.type === 'assistant_message' ? last.text.length : 0).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
