import { z } from 'zod';

const count = z.number().int().min(0);

/**
 * What one identity, one IP and one site may spend. Defaults come from the environment
 * (`loadConfig`); a site in the sites file may override any of them. 0 disables a limit.
 */
export const QuotaLimits = z.object({
  /** Runs in flight at once per identity (visitor or signed user). */
  concurrentRunsPerIdentity: count,
  /** Runs started per minute per identity. */
  runsPerMinutePerIdentity: count,
  /** Runs started per minute per client IP. */
  runsPerMinutePerIp: count,
  /** New threads per identity per UTC day. */
  threadsPerDayPerIdentity: count,
  /** Open WebSockets per client IP. */
  socketsPerIp: count,
  /** `hello` handshakes per client IP per minute. */
  hellosPerMinutePerIp: count,
  /** Model tokens (input + output) per identity per UTC day. */
  dailyTokensPerIdentity: count,
  /** Model tokens (input + output) per site per UTC day (open mode counts as one site). */
  dailyTokensPerSite: count,
  /** Bytes of uploaded files one identity may keep stored. */
  uploadBytesPerIdentity: count,
  /** What a visitor reads once a daily token budget is spent (the site owner's words). */
  budgetMessage: z.string().min(1).max(500),
});
export type QuotaLimits = z.infer<typeof QuotaLimits>;

export const DEFAULT_QUOTAS: QuotaLimits = {
  concurrentRunsPerIdentity: 2,
  runsPerMinutePerIdentity: 10,
  runsPerMinutePerIp: 30,
  threadsPerDayPerIdentity: 50,
  socketsPerIp: 50,
  hellosPerMinutePerIp: 120,
  dailyTokensPerIdentity: 200_000,
  dailyTokensPerSite: 5_000_000,
  uploadBytesPerIdentity: 100 * 1024 * 1024,
  budgetMessage: 'The assistant has reached its limit for today. Please try again tomorrow.',
};
