import type { TransportOptions } from '../../server/src/transport/websocket-transport.ts';

/** Every quota off, so a bench measures the event path, not the limits. */
export { NO_QUOTAS } from '../../server/test/helpers/test-server.ts';

/**
 * One bench client sends far faster than a visitor: the per-socket frame rate limit and the
 * replay budget lifted.
 */
export const BENCH_TRANSPORT: Partial<TransportOptions> = {
  rateLimit: { burst: 100_000, perSecond: 100_000 },
  replayRate: { burst: 100_000, perSecond: 100_000 },
};

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a full collection when the process was started with `--expose-gc` (the CLI is); else does nothing. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
