/** Options for {@link createBackoff}. */
export interface BackoffOptions {
  /** First delay, before jitter. */
  initialMs?: number;
  /** Ceiling for any delay. */
  maxMs?: number;
  /** Growth per failed attempt. */
  factor?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

/** Delays for successive reconnect attempts. */
export interface Backoff {
  /** The delay before the next attempt; each call counts as one more failure. */
  next(): number;
  /** Forget past failures (after a successful handshake). */
  reset(): void;
  /** Failures counted since the last reset. */
  readonly attempts: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th delay is drawn from [d/2, d) where
 * d = min(maxMs, initialMs * factor^n). Jitter keeps a crowd of widgets that lost the same
 * server from reconnecting in lockstep; the lower half bound keeps retries from bunching at 0.
 */
export function createBackoff({ initialMs = 500, maxMs = 10_000, factor = 2, random = Math.random }: BackoffOptions = {}): Backoff {
  let attempts = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, initialMs * factor ** attempts);
      attempts += 1;
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
