import type { RunLease } from '../quota/quota-service.ts';
import type { RunRecorder } from './run-recorder.ts';

/** A run in flight on a thread. */
export interface ActiveRun {
  readonly threadId: string;
  readonly runId: string;
  /** Aborted by run.cancel, thread deletion, shutdown or a takeover; `signal.reason` says which. */
  readonly controller: AbortController;
  /** Set when the run's further events must be ignored (thread deleted, server shutting down, run taken over). */
  detached: boolean;
  /** What `message.send` answered, for idempotent repeats while the run is active. */
  readonly clientMessageId?: string;
  readonly itemId?: string;
  /** The quota slot the run holds: released when it stops being active, told its token usage. */
  readonly lease?: RunLease;
  /** Settles when the run's driver has finished and its last event is committed. */
  done: Promise<void>;
  /**
   * Set once its `run.finished` is appended: what is left is bookkeeping (its usage counted, its
   * events committed), so a message sent right behind it waits for `done` instead of being refused.
   */
  finishing?: boolean;
  /** What the run did so far (its trace is written by whoever appends its `run.finished`). */
  recorder?: RunRecorder;
}

/** Why a run was aborted; passed as the AbortSignal's reason. */
export type AbortReason = 'cancelled' | 'deleted' | 'shutdown' | 'taken_over';

/** One active run per thread, each with its own AbortController. */
export class RunRegistry {
  #runs = new Map<string, ActiveRun>();

  /** The thread's active run, if any. */
  get(threadId: string): ActiveRun | undefined {
    return this.#runs.get(threadId);
  }

  /**
   * Registers a run. The caller checks `get()` first; registering over an active run is a bug.
   * @throws Error if the thread already has an active run.
   */
  add(run: Omit<ActiveRun, 'done' | 'detached'>): ActiveRun {
    if (this.#runs.has(run.threadId)) throw new Error(`thread ${run.threadId} already has an active run`);
    const active: ActiveRun = { ...run, detached: false, done: Promise.resolve() };
    this.#runs.set(run.threadId, active);
    return active;
  }

  /** Removes the run if it is still the thread's active one, and frees its quota slot. */
  remove(run: ActiveRun): void {
    if (this.#runs.get(run.threadId) !== run) return;
    this.#runs.delete(run.threadId);
    run.lease?.release();
  }

  /** Aborts a run with a reason (idempotent). */
  abort(run: ActiveRun, reason: AbortReason): void {
    if (!run.controller.signal.aborted) run.controller.abort(reason);
  }

  /** Every active run. */
  all(): ActiveRun[] {
    return [...this.#runs.values()];
  }

  get size(): number {
    return this.#runs.size;
  }
}
