import type { ThreadEvent } from '@agent-chat/shared';
import { afterAll, describe, expect, it } from 'vitest';
import type { PostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import { startChildInstance } from '../helpers/child-instance.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from '../helpers/postgres.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { NO_QUOTAS } from '../helpers/test-server.ts';
import { seqs, textFromDeltas } from '../helpers/ws-client.ts';

// Two instances of the server on one PostgreSQL database: a visitor's sockets may land on either.

/** The assistant text of a finished run, from its item.done events. */
function answers(events: readonly ThreadEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'assistant_message' ? [e.item.text] : []));
}

describe('several instances on one PostgreSQL database', () => {
  const scope = useTestScope();
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
    await stopTestPostgres();
  });

  async function twoInstances() {
    const db = await createTestDatabase();
    databases.push(db);
    // Tokens at a hosted model's pace, so a reply is still streaming when the other instance looks.
    const env = { ...NO_QUOTAS, DATABASE_URL: db.url, OFFLINE_MODEL_DELAY_MS: '8' };
    const a = await scope.boot({ env });
    const b = await scope.boot({ env });
    // Both listen for the other's commits before anything is written.
    await Promise.all([a, b].map((s) => (s.server.storage as PostgresStorage).commits.listening));
    return { a, b };
  }

  it('streams a reply written on one instance live to the same visitor on another, gap-free and once each', async () => {
    const { a, b } = await twoInstances();
    const { client: onA, ready } = await scope.connect(a);
    // The same visitor (the token is signed with the secret both instances share) on the other instance.
    const { client: onB } = await scope.connect(b, ready.visitorToken);
    const created = await onA.request({ type: 'thread.create', workflow: 'support' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    expect(await onB.request({ type: 'thread.open', threadId })).toMatchObject({ type: 'thread.opened', lastSeq: 0 });

    const accepted = await onA.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'Is the service down?' });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    await onA.runFinished(runId, 20_000);
    await onB.runFinished(runId, 20_000);

    const onASide = onA.events(threadId);
    const onBSide = onB.events(threadId);
    expect(seqs(onBSide)).toEqual(onBSide.map((_, i) => i + 1));
    // B saw every event A's own socket saw; deltas may have been merged differently, the text may not.
    expect(onBSide.filter((e) => e.type !== 'text.delta')).toEqual(onASide.filter((e) => e.type !== 'text.delta'));
    expect(answers(onBSide)).toEqual(answers(onASide));
    for (const done of onBSide.filter((e) => e.type === 'item.done' && e.item.type === 'assistant_message')) {
      if (done.type === 'item.done') expect(textFromDeltas(onBSide, done.item.id)).toBe((done.item as { text: string }).text);
    }
  }, 60_000);

  it('resumes exactly on the other instance: a socket that reconnects there mid-reply gets every later event once', async () => {
    const { a, b } = await twoInstances();
    const { client: onA, ready } = await scope.connect(a);
    const created = await onA.request({ type: 'thread.create', workflow: 'support' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    const accepted = await onA.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'Where is order 1234? It has not arrived.' });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    // Some deltas out, then the socket on A drops and the visitor comes back through B.
    await onA.waitFor((m) => m.type === 'text.delta', 20_000);
    const seen = onA.events(threadId);
    onA.ws.terminate();
    const lastApplied = seen.at(-1)!.seq;
    const { client: onB } = await scope.connect(b, ready.visitorToken);
    const reopened = await onB.request({ type: 'thread.open', threadId, afterSeq: lastApplied });
    expect(reopened).toMatchObject({ type: 'thread.opened' });
    await onB.runFinished(runId, 20_000);
    const rest = onB.events(threadId);
    const all = [...seen, ...rest];
    expect(seqs(all)).toEqual(all.map((_, i) => i + 1));
    // What the visitor holds equals what was stored.
    await a.server.eventLog.whenFlushed();
    const stored = await a.server.storage.items.all(threadId);
    const answer = stored.find((i) => i.type === 'assistant_message' && i.status === 'done');
    expect(answers(all)).toContain(answer && 'text' in answer ? answer.text : 'missing');
  }, 60_000);

  it('continues a reply on another instance within seconds when the one writing it is killed (kill -9): nothing lost, nothing twice', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const env = { ...NO_QUOTAS, DATABASE_URL: db.url, OFFLINE_MODEL_DELAY_MS: '15', RUN_LEASE_MS: '1500' };
    // Instance A in its own process, so it can really be killed.
    const { wsUrl: aUrl, child, exited } = await startChildInstance(env);
    try {
      const b = await scope.boot({ env });
      await (b.server.storage as PostgresStorage).commits.listening;
      const { client: onA, ready } = await scope.connect({ wsUrl: aUrl });
      const { client: onB } = await scope.connect(b, ready.visitorToken);
      const created = await onA.request({ type: 'thread.create', workflow: 'support' });
      const threadId = created.type === 'thread.opened' ? created.thread.id : '';
      expect(await onB.request({ type: 'thread.open', threadId })).toMatchObject({ type: 'thread.opened' });
      const accepted = await onA.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'Is the service down?' });
      const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
      // B follows the reply live; A dies in the middle of it.
      await onB.waitFor((m) => m.type === 'text.delta', 20_000);
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      const finished = await onB.runFinished(runId, 20_000);
      const tookOverWithin = Date.now() - killedAt;
      expect(finished.status).toBe('completed');
      expect(tookOverWithin).toBeLessThan(10_000); // lease 1.5 s, then the sweep; generous for a loaded machine
      const events = onB.events(threadId);
      expect(seqs(events)).toEqual(events.map((_, i) => i + 1));
      // The answer A was streaming is kept as it was sent, marked incomplete; the reply goes on as a new item.
      const answers = events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'assistant_message' ? [e.item] : []));
      expect(answers.map((a) => a.status)).toEqual(['incomplete', 'done']);
      expect(textFromDeltas(events, answers[0]!.id)).toBe(answers[0]!.text);
      expect(textFromDeltas(events, answers[1]!.id)).toBe(answers[1]!.text);
      expect(await b.server.storage.runs.get(runId)).toMatchObject({ status: 'completed', resumes: 1 });
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
