import type { TraceSpan } from '@agent-chat/shared';
import { type HrTime, type SpanContext, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** The instrumentation scope every exported span names. */
export const TRACE_SCOPE = { name: 'agent-chat' } as const;

const STATUS: Record<TraceSpan['status']['code'], SpanStatusCode> = {
  unset: SpanStatusCode.UNSET,
  ok: SpanStatusCode.OK,
  error: SpanStatusCode.ERROR,
};

/**
 * One stored span as the OTLP exporter takes it (a finished SDK span): our ids, times and
 * attributes as they are, so what a receiver gets is exactly the stored trace.
 */
export function toReadableSpan(span: TraceSpan, resource: Resource): ReadableSpan {
  const context: SpanContext = { traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
  const startTime = hrTime(span.start);
  const endTime = hrTime(span.end);
  return {
    name: span.name,
    kind: span.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => context,
    ...(span.parentSpanId ? { parentSpanContext: { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED } } : {}),
    startTime,
    endTime,
    status: { code: STATUS[span.status.code], ...(span.status.message !== undefined ? { message: span.status.message } : {}) },
    attributes: span.attributes,
    links: [],
    events: span.events.map((e) => ({ name: e.name, time: hrTime(e.time), attributes: e.attributes })),
    duration: msToHr(Math.max(0, Date.parse(span.end) - Date.parse(span.start))),
    ended: true,
    resource,
    instrumentationScope: TRACE_SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function hrTime(iso: string): HrTime {
  return msToHr(Date.parse(iso));
}

function msToHr(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}
