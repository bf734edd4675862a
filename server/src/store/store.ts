import { type Db, openDatabase } from './database.ts';
import { EventStore } from './event-store.ts';
import { ItemStore } from './item-store.ts';
import { ApprovalStore, ClientMessageStore, FeedbackStore, MetaStore } from './request-stores.ts';
import { RunStore } from './run-store.ts';
import { ThreadStore } from './thread-store.ts';
import { UsageStore } from './usage-store.ts';

/** Everything the conversation layer persists, behind intent-named stores over one SQLite file. */
export interface Store {
  readonly db: Db;
  readonly threads: ThreadStore;
  readonly items: ItemStore;
  readonly events: EventStore;
  readonly runs: RunStore;
  readonly clientMessages: ClientMessageStore;
  readonly approvals: ApprovalStore;
  readonly feedback: FeedbackStore;
  readonly meta: MetaStore;
  /** Daily token and thread counters behind the quotas. */
  readonly usage: UsageStore;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Opens the database under `dataDir` (or in memory) and prepares every store. */
export function createStore(dataDir: string | ':memory:'): Store {
  const db = openDatabase(dataDir);
  return {
    db,
    threads: new ThreadStore(db),
    items: new ItemStore(db),
    events: new EventStore(db),
    runs: new RunStore(db),
    clientMessages: new ClientMessageStore(db),
    approvals: new ApprovalStore(db),
    feedback: new FeedbackStore(db),
    meta: new MetaStore(db),
    usage: new UsageStore(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (db.open) db.close();
    },
  };
}
