import type { ThreadEvent, Workflow } from '@agent-chat/shared';
import { afterAll, afterEach } from 'vitest';
import { type ScreenText, createTextScreen } from '../../src/agents/guardrails/screen-text.ts';
import type { RunAgent } from '../../src/agents/run-types.ts';
import type { ReadUpload } from '../../src/attachments/read-upload.ts';
import { ConversationService } from '../../src/conversation/conversation-service.ts';
import { EventLog } from '../../src/conversation/event-log.ts';
import { ThreadHub } from '../../src/conversation/thread-hub.ts';
import { type Logger, silentLogger } from '../../src/logger.ts';
import { DEFAULT_QUOTAS, type QuotaLimits } from '../../src/quota/quota-limits.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { QuotaService } from '../../src/quota/quota-service.ts';
import type { Storage } from '../../src/store/storage.ts';
import { TEST_WORKFLOWS, createScriptedAgent } from './scripted-agent.ts';
import { type StorageEngine, type StoragePlace, sqliteEngine } from './storage-engines.ts';

/** The conversation layer over a real storage (a SQLite file, a Postgres database), with no socket anywhere. */
export interface Harness {
  storage: Storage;
  eventLog: EventLog;
  hub: ThreadHub;
  service: ConversationService;
  /** Present when the harness was made with `quotas`. */
  quota: QuotaService | undefined;
  /** Events delivered to `watch`ers, per thread. */
  delivered: Map<string, ThreadEvent[]>;
  /** Subscribes a recorder to the thread (checking it is the owner's); resolves to the list it fills. */
  watch(owner: string, threadId: string): Promise<ThreadEvent[]>;
  /** Resolves when the thread has a committed `run.finished` for `runId` and the run is no longer active. */
  finished(threadId: string, runId: string): Promise<ThreadEvent>;
  close(): Promise<void>;
}

export interface HarnessOptions {
    runAgent?: RunAgent;
    workflows?: ReadonlyMap<string, Workflow>;
    maxMessageChars?: number;
    cancelGraceMs?: number;
    now?: () => Date;
    /** Enforce these quotas (over the defaults) with this clock and log. */
    quotas?: { limits: Partial<QuotaLimits>; now?: () => number; log?: Logger };
    /** The input guardrails run before a message is stored; by default the workflow's own, on the offline model. */
    screenText?: ScreenText;
    maxReplayEvents?: number;
    /** At start-up recovery: continue runs a stop left in flight (default), at most this often each. */
    resumeInterruptedRuns?: boolean;
    maxRunResumes?: number;
    /** How long a run stays held by this harness without a renewal (ms). */
    runLeaseMs?: number;
    /** Puts something between the service and the storage (e.g. a slower storage). */
    wrapStorage?: (storage: Storage) => Storage;
    /** Where the model side reads uploaded files (none by default: attachments are not available). */
    readUpload?: ReadUpload;
}

/** The conversation layer over `opened` (which the harness closes). */
export function createHarness(opened: Storage, options: HarnessOptions = {}): Harness {
  const storage = options.wrapStorage?.(opened) ?? opened;
  const { quotas } = options;
  const quota = quotas
    ? new QuotaService({
        storage,
        limitsFor: () => ({ ...DEFAULT_QUOTAS, ...quotas.limits }),
        log: quotas.log ?? silentLogger,
        ...(quotas.now ? { now: quotas.now } : {}),
      })
    : undefined;
  const hub = new ThreadHub(silentLogger);
  const eventLog = new EventLog({ storage, hub, log: silentLogger, ...(options.now ? { now: options.now } : {}) });
  const service = new ConversationService({
    storage,
    eventLog,
    hub,
    workflows: options.workflows ?? TEST_WORKFLOWS,
    runAgent: options.runAgent ?? createScriptedAgent(),
    screenText: options.screenText ?? createTextScreen({ models: createModelProvider({}) }),
    limits: { maxMessageChars: options.maxMessageChars ?? 8000, maxFileBytes: 0, maxFilesPerMessage: 0, acceptedTypes: [] },
    log: silentLogger,
    ...(quota ? { quota } : {}),
    ...(options.cancelGraceMs !== undefined ? { cancelGraceMs: options.cancelGraceMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxReplayEvents !== undefined ? { maxReplayEvents: options.maxReplayEvents } : {}),
    ...(options.resumeInterruptedRuns !== undefined ? { resumeInterruptedRuns: options.resumeInterruptedRuns } : {}),
    ...(options.maxRunResumes !== undefined ? { maxRunResumes: options.maxRunResumes } : {}),
    ...(options.runLeaseMs !== undefined ? { runLeaseMs: options.runLeaseMs } : {}),
    ...(options.readUpload ? { readUpload: options.readUpload } : {}),
  });
  const delivered = new Map<string, ThreadEvent[]>();
  const waiters: Array<() => void> = [];
  const watch = async (owner: string, threadId: string) => {
    const list = delivered.get(threadId) ?? [];
    delivered.set(threadId, list);
    await service.subscribe(owner, threadId, (e) => {
      list.push(e);
      for (const w of waiters.splice(0)) w();
    });
    return list;
  };
  const finished = async (threadId: string, runId: string) => {
    for (;;) {
      const hit = delivered.get(threadId)?.find((e) => e.type === 'run.finished' && e.runId === runId);
      if (hit) {
        // The driver lets the run go once its usage is counted (a storage round trip after the event).
        while (service.activeRunId(threadId) === runId) await new Promise((resolve) => setTimeout(resolve, 1));
        return hit;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { storage, eventLog, hub, service, quota, delivered, watch, finished, close: () => storage.close() };
}

/** What `useHarnesses` gives a `describe`. */
export interface HarnessScope {
  /** A harness on a fresh place of the engine, or on `place` (from `place()`: a restart). */
  harness(options?: HarnessOptions, place?: StoragePlace): Promise<{ h: Harness; place: StoragePlace }>;
  /** A fresh place removed after the test (to open the same data again). */
  place(): Promise<StoragePlace>;
  /** Stops cleaning up a harness the test closed itself (a simulated crash or restart). */
  forget(h: Harness): void;
}

/**
 * Harnesses for one `describe`, on one storage engine (SQLite by default): each is shut down
 * and closed, and its place removed, after each test.
 */
export function useHarnesses(engine: StorageEngine = sqliteEngine): HarnessScope {
  const harnesses: Harness[] = [];
  const places: StoragePlace[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) {
      await h.service.shutdown();
      await h.close();
    }
    for (const p of places.splice(0)) await p.dispose();
  });
  afterAll(() => engine.shutdown());
  const place = async () => {
    const fresh = await engine.place();
    places.push(fresh);
    return fresh;
  };
  return {
    async harness(options = {}, at) {
      const where = at ?? (await place());
      const h = createHarness(await where.open(), options);
      harnesses.push(h);
      return { h, place: where };
    },
    place,
    forget(h) {
      const at = harnesses.indexOf(h);
      if (at >= 0) harnesses.splice(at, 1);
    },
  };
}
