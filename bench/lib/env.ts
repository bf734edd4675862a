import type { TransportOptions } from '../../server/src/transport/websocket-transport.ts';

/** Every quota off (0), so a bench measures the event path, not the limits. */
export const NO_QUOTAS: Readonly<Record<string, string>> = {
  MAX_CONCURRENT_RUNS: '0',
  RUNS_PER_MINUTE: '0',
  RUNS_PER_MINUTE_PER_IP: '0',
  THREADS_PER_DAY: '0',
  SOCKETS_PER_IP: '0',
  HELLOS_PER_MINUTE_PER_IP: '0',
  DAILY_TOKENS_PER_IDENTITY: '0',
  DAILY_TOKENS_PER_SITE: '0',
};

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
