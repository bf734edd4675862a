import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type Logger, silentLogger } from '../../logger.ts';
import type { CommitFeed, Storage } from '../storage.ts';
import { createPostgresCommitFeed } from './commit-feed.ts';
import { applyOps } from './apply.ts';
import { postgresEvents } from './event-reads.ts';
import { postgresEvalRuns } from './eval-runs.ts';
import { postgresItems } from './item-reads.ts';
import { postgresMeta } from './meta.ts';
import { migrate } from './migrate.ts';
import { createPool } from './pool.ts';
import { postgresApprovals, postgresClientMessages, postgresFeedback } from './request-reads.ts';
import { postgresReview } from './review-reads.ts';
import { postgresRuns } from './run-reads.ts';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from './schema.ts';
import { postgresThreads } from './thread-reads.ts';
import { postgresUsage } from './usage.ts';
import { postgresLedger, postgresRunSteps, postgresTraces } from './run-steps.ts';
import { UploadFiles } from '../upload-files.ts';
import { deleteUploadRows, postgresUploads, removeUploadFiles } from './uploads.ts';
import { inTransaction } from './pool.ts';

/** Where the database is and how this instance uses it. */
export interface PostgresStorageOptions {
  /** `postgres://user:password@host:port/database` (the `DATABASE_URL`). */
  connectionString: string;
  /** Connections this instance keeps at most. */
  maxConnections?: number;
  /** The operator's log (dropped idle connections). */
  logger?: Logger;
  /** The schema steps; tests pass their own. */
  migrations?: readonly PostgresMigration[];
  clock?: () => Date;
  /** This instance's id in commit announcements (a random one by default). */
  writer?: string;
  /** Keep upload bytes as files in this directory instead of in the database. */
  uploadsDir?: string | undefined;
}

/** The Postgres storage, plus its pool for tests and tools that inspect the database. */
export interface PostgresStorage extends Storage {
  readonly engine: 'postgres';
  readonly pool: pg.Pool;
  readonly commits: CommitFeed & { readonly listening: Promise<void> };
}

/**
 * Connects to Postgres, applies pending migrations (once across instances starting together)
 * and returns the storage. Several instances may share one database.
 */
export async function createPostgresStorage({
  connectionString,
  maxConnections = 10,
  logger = silentLogger,
  migrations = POSTGRES_MIGRATIONS,
  clock = () => new Date(),
  writer = randomUUID(),
  uploadsDir,
}: PostgresStorageOptions): Promise<PostgresStorage> {
  const pool = createPool({ connectionString, maxConnections, logger });
  try {
    await migrate(pool, migrations, () => clock().toISOString());
  } catch (error) {
    await pool.end();
    throw error;
  }
  const commits = createPostgresCommitFeed({ connectionString, writer, logger });
  let closed: Promise<void> | undefined;
  const files = uploadsDir === undefined ? undefined : new UploadFiles(uploadsDir);
  const threads = postgresThreads(pool);
  return {
    engine: 'postgres',
    pool,
    commits,
    threads: {
      ...threads,
      // The files sent in the thread go in the same transaction (their items are about to).
      async delete(id) {
        const { orphans } = await inTransaction(pool, async (client) => {
          const removed = await deleteUploadRows(client, 'item_id IN (SELECT id FROM items WHERE thread_id = $1)', [id]);
          await client.query('DELETE FROM threads WHERE id = $1', [id]);
          return removed;
        });
        await removeUploadFiles(pool, files, orphans);
      },
    },
    uploads: postgresUploads(pool, files),
    items: postgresItems(pool),
    events: postgresEvents(pool),
    runs: postgresRuns(pool),
    clientMessages: postgresClientMessages(pool),
    approvals: postgresApprovals(pool),
    feedback: postgresFeedback(pool),
    meta: postgresMeta(pool),
    usage: postgresUsage(pool),
    runSteps: postgresRunSteps(pool),
    ledger: postgresLedger(pool),
    traces: postgresTraces(pool),
    review: postgresReview(pool),
    evalRuns: postgresEvalRuns(pool),
    apply: (ops) => applyOps(pool, ops, writer),
    close: () => (closed ??= commits.close().then(() => pool.end())),
  };
}
