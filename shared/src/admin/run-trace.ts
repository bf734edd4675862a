import { z } from 'zod';

/**
 * A span attribute value, as OpenTelemetry allows them: a string, number or boolean, or a
 * list of one of those.
 */
export const TraceAttributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);
export type TraceAttributeValue = z.infer<typeof TraceAttributeValue>;

export const TraceAttributes = z.record(z.string(), TraceAttributeValue);
export type TraceAttributes = z.infer<typeof TraceAttributes>;

/** Something that happened at one moment of a span (an approval asked for, decided). */
export const TraceSpanEvent = z.object({
  name: z.string().min(1),
  /** ISO 8601. */
  time: z.string().min(1),
  attributes: TraceAttributes,
});
export type TraceSpanEvent = z.infer<typeof TraceSpanEvent>;

/** The GenAI operations a run's spans stand for (`apply_guardrail` is this project's own). */
export const TraceOperation = z.enum(['invoke_agent', 'chat', 'execute_tool', 'apply_guardrail']);
export type TraceOperation = z.infer<typeof TraceOperation>;

/**
 * One span of a run's trace, in the OpenTelemetry GenAI conventions (docs/observability.md,
 * Traces). Ids are lowercase hex (trace 32, span 16 characters), derived from the thread and
 * the events, so the same run always gets the same ids.
 */
export const TraceSpan = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Absent on the run's root span. */
  parentSpanId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  name: z.string().min(1),
  operation: TraceOperation,
  /** OpenTelemetry span kind: a model call is a client call, the rest happens in the server. */
  kind: z.enum(['internal', 'client']),
  /** ISO 8601. */
  start: z.string().min(1),
  end: z.string().min(1),
  status: z.object({ code: z.enum(['unset', 'ok', 'error']), message: z.string().optional() }),
  attributes: TraceAttributes,
  events: z.array(TraceSpanEvent),
});
export type TraceSpan = z.infer<typeof TraceSpan>;

/** A finished run's trace: what the admin API returns and the OTLP exporter sends. */
export const RunTrace = z.object({
  runId: z.string().min(1),
  threadId: z.string().min(1),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  /** ISO 8601, when the run started. */
  startedAt: z.string().min(1),
  /** Root span first, then in start order. */
  spans: z.array(TraceSpan),
});
export type RunTrace = z.infer<typeof RunTrace>;
