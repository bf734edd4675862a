import { z } from 'zod';
import { IsoDate } from '../protocol/items.ts';

/** One grader's verdict on a case: `name` is which grader (`tool_called lookup_order`), `detail` why. */
export const EvalGrade = z.object({
  name: z.string(),
  pass: z.boolean(),
  /** Why it failed (or a judge's reason); empty for a plain pass. */
  detail: z.string(),
});
export type EvalGrade = z.infer<typeof EvalGrade>;

/**
 * One variant's figures over every case of a run: the A/B table's column. Latencies are over
 * every run of every case, as `agent-chat eval` prints them.
 */
export const EvalVariantTotals = z.object({
  variant: z.string(),
  cases: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  p50LatencyMs: z.number().nonnegative(),
  p95LatencyMs: z.number().nonnegative(),
});
export type EvalVariantTotals = z.infer<typeof EvalVariantTotals>;

/** A variant as it was asked for: a workflow file standing in for the configured one, or none (`default`). */
export const EvalRunVariant = z.object({
  name: z.string(),
  /** The workflow file as given on the command line. */
  file: z.string().optional(),
});
export type EvalRunVariant = z.infer<typeof EvalRunVariant>;

/** One `agent-chat eval` run, as stored by the server. */
export const EvalRunSummary = z.object({
  id: z.string(),
  startedAt: IsoDate,
  finishedAt: IsoDate,
  /** The cases file as given on the command line. */
  casesFile: z.string(),
  /** `--model`: every agent ran on it; null when the workflows' own models ran. */
  model: z.string().nullable(),
  variants: z.array(EvalRunVariant),
  /** The workflows the cases ran on, sorted. */
  workflows: z.array(z.string()),
  /** Cases in the file (each was played once per variant). */
  caseCount: z.number().int().nonnegative(),
  totals: z.array(EvalVariantTotals),
});
export type EvalRunSummary = z.infer<typeof EvalRunSummary>;

/** One case played on one variant. */
export const EvalCaseResult = z.object({
  variant: z.string(),
  caseId: z.string(),
  description: z.string().optional(),
  /** The workflow it ran on; null when it could not be resolved (see `error`). */
  workflow: z.string().nullable(),
  pass: z.boolean(),
  grades: z.array(EvalGrade),
  /** Why the case could not be played or graded. */
  error: z.string().optional(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Each run's wall clock, in turn order. */
  latenciesMs: z.array(z.number().nonnegative()),
  /** The assistant's words (model text: show as text only), cut to a bounded length. */
  text: z.string(),
  /** Whether `text` was cut. */
  textTruncated: z.boolean(),
});
export type EvalCaseResult = z.infer<typeof EvalCaseResult>;

/** `GET /v1/admin/evals`: runs newest first; `nextCursor` asks for the next page (null: no more). */
export const AdminEvalRunPage = z.object({
  runs: z.array(EvalRunSummary),
  nextCursor: z.string().nullable(),
});
export type AdminEvalRunPage = z.infer<typeof AdminEvalRunPage>;

/** `GET /v1/admin/evals/:id`: the run with its A/B table (`run.totals`) and every case result, variant by variant in case order. */
export const AdminEvalRun = z.object({
  run: EvalRunSummary,
  cases: z.array(EvalCaseResult),
});
export type AdminEvalRun = z.infer<typeof AdminEvalRun>;
