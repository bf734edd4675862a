import type { Db } from './database.ts';
import { EventStore } from './event-store.ts';
import { ItemStore } from './item-store.ts';
import { ApprovalStore, ClientMessageStore, FeedbackStore, MetaStore } from './request-stores.ts';
import { RunStepStore } from './run-step-store.ts';
import { RunStore } from './run-store.ts';
import { ThreadStore } from './thread-store.ts';
import { UploadStore } from './upload-store.ts';
import { UsageStore } from './usage-store.ts';

/** Every table's prepared statements over one SQLite handle (synchronous; wrapped by the storage). */
export interface SqliteStatements {
  readonly threads: ThreadStore;
  readonly items: ItemStore;
  readonly events: EventStore;
  readonly runs: RunStore;
  readonly clientMessages: ClientMessageStore;
  readonly approvals: ApprovalStore;
  readonly feedback: FeedbackStore;
  readonly meta: MetaStore;
  readonly usage: UsageStore;
  readonly uploads: UploadStore;
  readonly runSteps: RunStepStore;
}

/** Prepares every statement once. */
export function prepareStatements(db: Db): SqliteStatements {
  return {
    threads: new ThreadStore(db),
    items: new ItemStore(db),
    events: new EventStore(db),
    runs: new RunStore(db),
    clientMessages: new ClientMessageStore(db),
    approvals: new ApprovalStore(db),
    feedback: new FeedbackStore(db),
    meta: new MetaStore(db),
    usage: new UsageStore(db),
    uploads: new UploadStore(db),
    runSteps: new RunStepStore(db),
  };
}
