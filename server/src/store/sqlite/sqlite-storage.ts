import type { ThreadEvent } from '@agent-chat/shared';
import type { EventReads, Storage, UploadStore } from '../storage.ts';
import { UploadFiles } from '../upload-files.ts';
import { applyOps } from './apply-ops.ts';
import { type Db, openDatabase } from './database.ts';
import { sqliteEvalRuns } from './eval-run-store.ts';
import { ReviewStore } from './review-store.ts';
import { type SqliteStatements, prepareStatements } from './statements.ts';

export interface SqliteStorageOptions {
  /** Keep upload bytes as files in this directory instead of in the database. */
  uploadsDir?: string | undefined;
}

/** The SQLite storage, plus what tests and tools read from SQLite directly. */
export interface SqliteStorage extends Storage {
  readonly engine: 'sqlite';
  /** The raw handle (tests assert on tables; tools inspect them). */
  readonly db: Db;
}

/**
 * Opens the database under `dataDir` (or in memory) as a `Storage`. better-sqlite3 is
 * synchronous: each read runs when it is called and its promise is already settled, and `apply`
 * runs its whole batch in one transaction before it returns, so nothing can interleave with it.
 */
export function createSqliteStorage(dataDir: string | ':memory:', options: SqliteStorageOptions = {}): SqliteStorage {
  const db = openDatabase(dataDir);
  const s = prepareStatements(db);
  const applyBatch = db.transaction(applyOps);
  const review = new ReviewStore(db);
  const files = options.uploadsDir === undefined ? undefined : new UploadFiles(options.uploadsDir);
  const deleteThread = db.transaction((id: string) => {
    const orphans = s.uploads.deleteOfThread(id);
    s.threads.delete(id);
    return orphans;
  });
  return {
    engine: 'sqlite',
    db,
    threads: {
      get: async (id) => s.threads.get(id),
      listByOwner: async (owner, limit, cursor) => s.threads.listByOwner(owner, limit, cursor),
      idsByOwner: async (owner) => s.threads.idsByOwner(owner),
      idleSince: async (cutoff, limit) => s.threads.idleSince(cutoff, limit),
      insert: async (thread) => s.threads.insert(thread),
      delete: async (id) => removeFiles(s, files, deleteThread(id)),
    },
    items: {
      get: async (threadId, itemId) => s.items.get(threadId, itemId),
      maxPosition: async (threadId) => s.items.maxPosition(threadId),
      newest: async (threadId, limit) => s.items.newest(threadId, limit),
      before: async (threadId, position, limit) => s.items.before(threadId, position, limit),
      all: async (threadId) => s.items.all(threadId),
      withStatus: async (threadId, status) => s.items.withStatus(threadId, status),
      unfinished: async (threadId) => s.items.unfinished(threadId),
    },
    events: {
      lastSeq: async (threadId) => s.events.lastSeq(threadId),
      between: async (threadId, afterSeq, throughSeq, limit) => s.events.between(threadId, afterSeq, throughSeq, limit),
      since: async (threadId, afterSeq) => s.events.eventsSince(threadId, afterSeq),
      timedSince: async (threadId, afterSeq) => s.events.timedEventsSince(threadId, afterSeq),
    },
    runs: {
      get: async (id) => s.runs.get(id),
      running: async () => s.runs.running(),
      latest: async (threadId) => s.runs.latest(threadId),
      claim: async (run) => s.runs.claim(run),
      unclaim: async (id) => s.runs.unclaim(id),
      renew: async (owner, leaseUntil) => s.runs.renew(owner, leaseUntil),
      takeOver: async (id, owner, now, leaseUntil) => s.runs.takeOver(id, owner, now, leaseUntil),
      runningOf: async (threadOwner) => s.runs.runningOf(threadOwner),
      expired: async (now) => s.runs.expired(now),
    },
    clientMessages: { get: async (threadId, clientMessageId) => s.clientMessages.get(threadId, clientMessageId) },
    approvals: { forThread: async (threadId) => s.approvals.forThread(threadId) },
    feedback: {
      save: async (threadId, itemId, rating, comment, createdAt) => s.feedback.save(threadId, itemId, rating, comment, createdAt),
      forThread: async (threadId) => s.feedback.forThread(threadId),
      threadsRated: async (rating, limit) => s.feedback.threadsRated(rating, limit),
    },
    uploads: sqliteUploads(db, s, files),
    meta: {
      get: async (key) => s.meta.get(key),
      getOrCreate: async (key, create) => s.meta.getOrCreate(key, create),
      checkWritable: async (at) => s.meta.checkWritable(at),
    },
    usage: {
      // One statement each (an upsert adding to the row), so increments never lose one another.
      addTokens: async (scope, key, day, tokens) => s.usage.addTokens(scope, key, day, tokens),
      countThread: async (scope, key, day) => s.usage.countThread(scope, key, day),
      on: async (scope, key, day) => s.usage.on(scope, key, day),
      pruneBefore: async (day) => s.usage.pruneBefore(day),
      countRunStart: async (keys, at) => s.usage.countRunStart(keys, at),
      runStarts: async (key, since) => s.usage.runStarts(key, since),
      pruneRunStartsBefore: async (before) => s.usage.pruneRunStartsBefore(before),
    },
    runSteps: {
      ofRun: async (runId) => s.runSteps.ofRun(runId),
      usageOfThread: async (threadId) => s.runSteps.usageOfThread(threadId),
    },
    ledger: { query: async (query) => s.runSteps.ledger(query) },
    traces: {
      get: async (runId) => s.runSteps.trace(runId),
      ofThread: async (threadId) => s.runSteps.tracesOfThread(threadId),
      unexported: async (limit) => s.runSteps.unexportedTraces(limit),
      markExported: async (runIds, at) => s.runSteps.markExported(runIds, at),
    },
    review: {
      searchThreads: async (search) => review.searchThreads(search),
      decisions: async (threadId) => review.decisions(threadId),
      runsOf: async (threadId) => review.runsOf(threadId),
    },
    evalRuns: sqliteEvalRuns(db),
    apply: async (ops) => {
      if (ops.length > 0) applyBatch(s, ops);
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}

/** Removes the files of hashes that lost their last row (checked again: a new upload may share one). */
async function removeFiles(s: SqliteStatements, files: UploadFiles | undefined, orphans: readonly string[]): Promise<void> {
  if (!files) return;
  for (const sha of orphans) if (s.uploads.references(sha) === 0) await files.remove(sha);
}

function sqliteUploads(db: Db, s: SqliteStatements, files: UploadFiles | undefined): UploadStore {
  const deleteOfOwner = db.transaction((owner: string) => s.uploads.deleteOfOwner(owner));
  const deleteIds = db.transaction((ids: readonly string[], unattachedOnly: boolean) => s.uploads.delete(ids, unattachedOnly));
  const insert = db.transaction((upload: Parameters<UploadStore['create']>[0], bytes: Uint8Array | null) => s.uploads.insert(upload, bytes));
  return {
    async create(upload, bytes) {
      if (!files) return insert(upload, bytes);
      await files.write(upload.sha256, bytes);
      insert(upload, null);
      // A delete of the last other row with this hash may have removed the file meanwhile.
      if (!(await files.has(upload.sha256))) await files.write(upload.sha256, bytes);
    },
    get: async (id) => s.uploads.get(id),
    async read(id) {
      const upload = s.uploads.get(id);
      if (!upload) return undefined;
      // Either place: instances may be configured either way.
      const bytes = s.uploads.blob(upload.sha256) ?? (await files?.read(upload.sha256));
      return bytes && { name: upload.name, mime: upload.mime, bytes };
    },
    usedBytes: async (owner) => s.uploads.usedBytes(owner),
    ofOwner: async (owner) => s.uploads.ofOwner(owner),
    unattachedBefore: async (cutoff, limit) => s.uploads.unattachedBefore(cutoff, limit),
    async delete(ids, options) {
      const { count, orphans } = deleteIds(ids, options?.unattachedOnly === true);
      await removeFiles(s, files, orphans);
      return count;
    },
    async deleteOfOwner(owner) {
      const { count, orphans } = deleteOfOwner(owner);
      await removeFiles(s, files, orphans);
      return count;
    },
  };
}
