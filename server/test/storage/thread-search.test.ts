import type { Item } from '@agent-chat/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import type { SqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import type { Storage, ThreadSearch } from '../../src/store/storage.ts';
import { STORAGE_ENGINES, useFreshStorage } from '../helpers/storage-engines.ts';
import { at, insertItem, threadRecord, toolCall } from '../helpers/storage-fixtures.ts';

// The admin console's search over every thread (src/store/thread-search.ts), on each engine.

const guardrail = (id: string): Item => ({ id, type: 'guardrail', agent: 'triage', name: 'pii', stage: 'input', message: 'blocked', createdAt: at(1) });

describe.each(STORAGE_ENGINES)('$name storage: thread search', (engine) => {
  const fresh = useFreshStorage(engine);
  let storage: Storage;
  beforeEach(() => {
    storage = fresh();
  });

  const ids = async (search: Omit<ThreadSearch, 'limit'>, limit = 50) => (await storage.review.searchThreads({ ...search, limit })).map((t) => t.id);
  const run = (runId: string, threadId: string, startMinute: number, status: 'completed' | 'failed' | 'cancelled' | 'interrupted', trigger: 'message' | 'approval' = 'message') => [
    { op: 'run.start' as const, runId, threadId, agent: 'triage', trigger, startedAt: at(startMinute) },
    { op: 'run.finish' as const, runId, status, error: undefined, finishedAt: at(startMinute + 1) },
  ];

  /** Five threads across two sites, an open server's owner, two workflows and two days. */
  async function seed(): Promise<void> {
    await storage.threads.insert(threadRecord('a', { owner: 'site:shop:user:u1', title: 'Refund for order 42', updatedAt: at(10) }));
    await storage.threads.insert(threadRecord('b', { owner: 'site:shop:visitor:v9', title: 'Where is 50%_off?', workflow: 'weather', updatedAt: at(20) }));
    await storage.threads.insert(threadRecord('c', { owner: 'site:shopping:user:u1', title: 'refund please', updatedAt: at(30) }));
    await storage.threads.insert(threadRecord('d', { owner: 'visitor:u1', title: 'Hello', updatedAt: at(40) }));
    await storage.threads.insert(threadRecord('e', { owner: 'site:shop:user:u2', title: 'Later', createdAt: at(1500), updatedAt: at(1510) }));
    await storage.apply([
      ...run('ra1', 'a', 2, 'failed'),
      ...run('ra2', 'a', 5, 'completed'),
      ...run('rb1', 'b', 2, 'completed'),
      ...run('rb2', 'b', 6, 'interrupted'),
      ...run('rc1', 'c', 2, 'cancelled', 'approval'),
      insertItem('b', 1, guardrail('g1')),
      insertItem('d', 1, toolCall('tc1', 'awaiting_approval')),
    ]);
    await storage.feedback.save('a', 'i1', 'down', 'wrong', at(11));
    await storage.feedback.save('c', 'i2', 'down', undefined, at(12));
    await storage.feedback.save('c', 'i3', 'down', undefined, at(13));
    await storage.feedback.save('d', 'i4', 'up', undefined, at(14));
  }

  it('lists every thread newest first with its counts, and pages strictly after a cursor', async () => {
    await seed();
    const all = await storage.review.searchThreads({ limit: 50 });
    expect(all.map((t) => t.id)).toEqual(['e', 'd', 'c', 'b', 'a']);
    const byId = Object.fromEntries(all.map((t) => [t.id, t]));
    expect(byId.a).toMatchObject({ lastRunStatus: 'completed', thumbsDown: 1, guardrailTrips: 0, approvalRuns: 0, awaitingApproval: 0, title: 'Refund for order 42', owner: 'site:shop:user:u1' });
    expect(byId.b).toMatchObject({ lastRunStatus: 'interrupted', guardrailTrips: 1, workflow: 'weather' });
    expect(byId.c).toMatchObject({ lastRunStatus: 'cancelled', thumbsDown: 2, approvalRuns: 1 });
    expect(byId.d).toMatchObject({ lastRunStatus: null, thumbsDown: 0, awaitingApproval: 1 });

    const seen: string[] = [];
    let page = await storage.review.searchThreads({ limit: 2 });
    while (page.length > 0) {
      seen.push(...page.map((t) => t.id));
      const last = page.at(-1)!;
      page = await storage.review.searchThreads({ limit: 2, after: { updatedAt: last.updatedAt, id: last.id } });
    }
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('filters by site exactly (a site id that prefixes another is not it), the open server, workflow and user', async () => {
    await seed();
    expect(await ids({ site: 'shop' })).toEqual(['e', 'b', 'a']);
    expect(await ids({ site: 'shopping' })).toEqual(['c']);
    expect(await ids({ site: '' })).toEqual(['d']);
    expect(await ids({ site: 'nowhere' })).toEqual([]);
    expect(await ids({ workflow: 'weather' })).toEqual(['b']);
    expect(await ids({ user: 'u1' })).toEqual(['d', 'c', 'a']);
    expect(await ids({ user: 'u1', site: 'shop' })).toEqual(['a']);
    expect(await ids({ user: 'v9' })).toEqual(['b']);
    expect(await ids({ user: '1' })).toEqual([]);
  });

  it('filters by day, last run status, guardrail trips, approvals and title text (wildcards are literal)', async () => {
    await seed();
    expect(await ids({ from: '2026-01-02' })).toEqual(['e']);
    expect(await ids({ to: '2026-01-01' })).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids({ from: '2026-01-01', to: '2026-01-01' })).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids({ statuses: ['failed'] })).toEqual([]); // a's failed run is not its last
    expect(await ids({ statuses: ['interrupted', 'cancelled'] })).toEqual(['c', 'b']);
    expect(await ids({ guardrailTrips: true })).toEqual(['b']);
    expect(await ids({ approvals: true })).toEqual(['d', 'c']);
    expect(await ids({ title: 'REFUND' })).toEqual(['c', 'a']);
    expect(await ids({ title: '%' })).toEqual(['b']);
    expect(await ids({ title: '_off' })).toEqual(['b']);
    expect(await ids({ title: "'; DROP TABLE threads; --" })).toEqual([]);
    expect(await storage.threads.get('a')).toBeDefined();
  });

  it('leaves the console’s preview chats out, or keeps only them; a user whose id holds “:preview:” is no preview', async () => {
    await seed();
    await storage.threads.insert(threadRecord('p1', { owner: 'site:shop:preview:admin', updatedAt: at(60) }));
    await storage.threads.insert(threadRecord('p2', { owner: 'preview:operator', updatedAt: at(61) }));
    await storage.threads.insert(threadRecord('u9', { owner: 'site:shop:user:x:preview:y', updatedAt: at(62) }));
    expect(await ids({ previews: 'exclude' })).toEqual(['e', 'u9', 'd', 'c', 'b', 'a']);
    expect(await ids({ previews: 'only' })).toEqual(['p2', 'p1']);
    expect(await ids({ previews: 'only', site: 'shop' })).toEqual(['p1']);
    expect(await ids({ previews: 'only', site: '' })).toEqual(['p2']);
    expect(await ids({})).toHaveLength(8);
  });

  it('finds title text through the title index: substrings in any case, kept in step as titles are set, changed and deleted', async () => {
    await storage.threads.insert(threadRecord('t1', { owner: 'site:shop:user:u1', title: 'Refund for order 4242', updatedAt: at(1) }));
    await storage.threads.insert(threadRecord('t2', { owner: 'site:blog:user:u1', title: 'Please REFUND me', updatedAt: at(2) }));
    await storage.threads.insert(threadRecord('t3', { owner: 'site:shop:user:u2', updatedAt: at(3) }));
    expect(await ids({ title: 'refund' })).toEqual(['t2', 't1']);
    expect(await ids({ title: 'efu' })).toEqual(['t2', 't1']);
    expect(await ids({ title: 'order 42' })).toEqual(['t1']);
    expect(await ids({ title: 'refund', site: 'shop' })).toEqual(['t1']);
    expect(await ids({ title: 'refund', site: 'blog' })).toEqual(['t2']);
    // Shorter than a trigram: still found, by a scan.
    expect(await ids({ title: '42' })).toEqual(['t1']);
    expect(await ids({ title: 'me' })).toEqual(['t2']);

    await storage.apply([{ op: 'thread.title_if_empty', threadId: 't3', title: 'Tent for the summit' }]);
    expect(await ids({ title: 'summit' })).toEqual(['t3']);
    await storage.apply([{ op: 'thread.retitle', threadId: 't3', from: 'Tent for the summit', to: 'Tent for [redacted]' }]);
    expect(await ids({ title: 'summit' })).toEqual([]);
    expect(await ids({ title: 'redacted' })).toEqual(['t3']);
    await storage.threads.delete('t1');
    expect(await ids({ title: 'refund' })).toEqual(['t2']);
  });

  it('takes the search text literally: quotes, stars, NEAR, OR, column names and SQL never error or widen the match', async () => {
    const titles = ['say "hi" now', 'a*b star', 'NEAR(a b) test', 'title: colon', 'x OR y', "it's -minus ^caret", '(paren) {brace}'];
    for (const [i, title] of titles.entries()) await storage.threads.insert(threadRecord(`q${i}`, { title, updatedAt: at(i) }));
    await storage.threads.insert(threadRecord('plain', { title: 'hi now a b test colon x y', updatedAt: at(20) }));
    // Newest first, as the search orders them.
    const stored: Array<[string, string]> = [['plain', 'hi now a b test colon x y'], ...titles.map((t, i): [string, string] => [`q${i}`, t]).reverse()];
    const literally = (text: string) => stored.filter(([, title]) => title.toLowerCase().includes(text.toLowerCase())).map(([id]) => id);
    for (const hostile of ['"', '""', '"hi', '*', 'a*', 'NEAR(', 'NEAR(a b)', 'title:', ' OR ', 'AND', 'NOT x', '^', '-minus', "'; DROP TABLE threads; --", '{brace}', '\\', '%_', 'hi now']) {
      expect(await ids({ title: hostile }), hostile).toEqual(literally(hostile));
    }
    expect(await ids({ title: '"hi"' })).toEqual(['q0']);
    expect(await ids({ title: 'NEAR(a' })).toEqual(['q2']);
    expect(await ids({ title: 'x OR y' })).toEqual(['q4']);
    expect(await storage.threads.get('plain')).toBeDefined();
  });

  it('plans the title search on the title index', async () => {
    if (engine.name === 'sqlite') {
      const plan = (storage as SqliteStorage).db
        .prepare('EXPLAIN QUERY PLAN SELECT t.id FROM threads t WHERE t.rowid IN (SELECT rowid FROM threads_title_fts WHERE threads_title_fts MATCH ?)')
        .all('"refund"') as Array<{ detail: string }>;
      expect(plan.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    } else {
      const client = await (storage as PostgresStorage).pool.connect();
      try {
        // A few rows make a scan cheaper; forbid it to see that the index can serve the search.
        await client.query('SET enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT t.id FROM threads t WHERE lower(t.title) LIKE $1 ESCAPE '\\'`, ['%refund%']);
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/threads_title_trgm/);
      } finally {
        await client.query('RESET enable_seqscan');
        client.release();
      }
    }
  });

  it('with thumbs-down, lists only rated-down threads, most thumbs-down first, and pages in that order', async () => {
    await seed();
    await storage.threads.insert(threadRecord('f', { owner: 'site:shop:user:u3', updatedAt: at(50) }));
    await storage.feedback.save('f', 'i5', 'down', undefined, at(51));
    expect(await ids({ thumbsDown: true })).toEqual(['c', 'f', 'a']);
    const first = await storage.review.searchThreads({ thumbsDown: true, limit: 1 });
    const last = first[0]!;
    const rest = await storage.review.searchThreads({ thumbsDown: true, limit: 5, after: { thumbsDown: last.thumbsDown, updatedAt: last.updatedAt, id: last.id } });
    expect(rest.map((t) => t.id)).toEqual(['f', 'a']);
  });

  it('reads the recorded approval decisions with their times, oldest first', async () => {
    await storage.threads.insert(threadRecord('t1'));
    await storage.apply([{ op: 'approval.decide', threadId: 't1', decision: { callId: 'c2', approved: false, reason: 'no' }, decidedAt: at(3) }]);
    await storage.apply([{ op: 'approval.decide', threadId: 't1', decision: { callId: 'c1', approved: true }, decidedAt: at(4) }]);
    expect(await storage.review.decisions('t1')).toEqual([
      { callId: 'c2', approved: false, reason: 'no', decidedAt: at(3) },
      { callId: 'c1', approved: true, decidedAt: at(4) },
    ]);
    expect(await storage.review.decisions('nope')).toEqual([]);
  });

  it('reads every run of a thread, oldest started first, with its trigger, status and error', async () => {
    await seed();
    const runs = await storage.review.runsOf('a');
    expect(runs.map((r) => [r.id, r.trigger, r.status])).toEqual([['ra1', 'message', 'failed'], ['ra2', 'message', 'completed']]);
    expect(runs[0]).toMatchObject({ threadId: 'a', startedAt: at(2), finishedAt: at(3), error: null, resumes: 0 });
    expect((await storage.review.runsOf('c')).map((r) => r.trigger)).toEqual(['approval']);
    expect(await storage.review.runsOf('d')).toEqual([]);
  });
});
