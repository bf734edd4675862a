import { z } from 'zod';

/** What usage can be grouped by (`GET /v1/admin/usage?groupBy=…`). */
export const UsageDimension = z.enum(['day', 'site', 'workflow', 'agent', 'model', 'provider']);
export type UsageDimension = z.infer<typeof UsageDimension>;

const totals = {
  /** Model calls. */
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** At the server's price table; the offline model and unpriced models count 0. */
  costUsd: z.number().nonnegative(),
};

/** One group's totals; only the grouped dimensions are set (`site` is "" for an open server). */
export const UsageRow = z.object({
  day: z.string().optional(),
  site: z.string().optional(),
  workflow: z.string().optional(),
  agent: z.string().optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  ...totals,
});
export type UsageRow = z.infer<typeof UsageRow>;

/** A site's daily token budget (0: none) and what it spent today (UTC), as the quotas count it. */
export const UsageBudget = z.object({
  site: z.string(),
  dailyTokens: z.number().int().nonnegative(),
  usedToday: z.number().int().nonnegative(),
});
export type UsageBudget = z.infer<typeof UsageBudget>;

/** `GET /v1/admin/usage`: token totals and cost between two UTC days, grouped. */
export const UsageReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.array(UsageDimension),
  currency: z.literal('USD'),
  rows: z.array(UsageRow),
  total: z.object(totals),
  budgets: z.array(UsageBudget),
});
export type UsageReport = z.infer<typeof UsageReport>;

/** `GET /v1/admin/usage?thread=…`: a thread's tokens and cost per run and model. */
export const ThreadUsage = z.object({
  threadId: z.string(),
  currency: z.literal('USD'),
  runs: z.array(z.object({ runId: z.string(), model: z.string(), provider: z.string(), ...totals })),
  total: z.object(totals),
});
export type ThreadUsage = z.infer<typeof ThreadUsage>;
