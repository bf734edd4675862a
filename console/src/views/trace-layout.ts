import type { RunTrace, TraceAttributes, TraceSpan } from '@agent-chat/shared';

/** An approval event on a span, placed on the run's time axis. */
export interface TraceMarker {
  kind: 'requested' | 'decided';
  /** 0..1 along the run. */
  at: number;
  /** Milliseconds since the run started (negative: before it, e.g. a request from an earlier run). */
  offsetMs: number;
  /** What a reader is told: "requested", "approved after 3.2 s wait". */
  text: string;
}

/** One span as a row of the waterfall: its depth, place on the run's axis and what it is, in words. */
export interface TraceRow {
  span: TraceSpan;
  /** 1 for the root, 2 for its children, … */
  level: number;
  /** Milliseconds from the run's start to the span's start, and the span's length. */
  offsetMs: number;
  durationMs: number;
  /** The bar: where it starts and how wide it is, as fractions (0..1) of the run. */
  left: number;
  width: number;
  /** The span's subject: the agent, model, tool or guardrail. */
  subject: string;
  /** Short facts: tokens, time to first token, tool kind and status, guardrail result. */
  facts: string[];
  markers: TraceMarker[];
}

/** The whole run's axis and its rows in tree order (each span right after its parent). */
export interface TraceLayout {
  durationMs: number;
  rows: TraceRow[];
}

const str = (attrs: TraceAttributes, key: string): string | undefined => {
  const v = attrs[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
};
const num = (attrs: TraceAttributes, key: string): number | undefined => (typeof attrs[key] === 'number' ? attrs[key] : undefined);

/** A duration as read aloud and on screen: "850 ms", "3.2 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function subjectOf(span: TraceSpan): string {
  const a = span.attributes;
  switch (span.operation) {
    case 'invoke_agent':
      return str(a, 'gen_ai.agent.name') ?? span.name;
    case 'chat':
      return str(a, 'gen_ai.request.model') ?? span.name;
    case 'execute_tool':
      return str(a, 'gen_ai.tool.name') ?? span.name;
    case 'apply_guardrail':
      return str(a, 'agent_chat.guardrail.name') ?? span.name;
  }
}

function factsOf(span: TraceSpan): string[] {
  const a = span.attributes;
  const facts: string[] = [];
  const input = num(a, 'gen_ai.usage.input_tokens');
  const output = num(a, 'gen_ai.usage.output_tokens');
  if (input !== undefined || output !== undefined) facts.push(`${input ?? 0} in / ${output ?? 0} out tokens`);
  const ttft = num(a, 'agent_chat.time_to_first_token_ms');
  if (ttft !== undefined) facts.push(`first token ${formatMs(ttft)}`);
  const provider = str(a, 'gen_ai.provider.name');
  if (provider && span.operation === 'invoke_agent') facts.push(provider);
  const runStatus = str(a, 'agent_chat.run.status');
  if (runStatus) facts.push(`run ${runStatus}`);
  const toolKind = str(a, 'agent_chat.tool.kind');
  if (toolKind) facts.push(toolKind);
  const toolStatus = str(a, 'agent_chat.tool.status');
  if (toolStatus) facts.push(toolStatus.replace(/_/g, ' '));
  const stage = str(a, 'agent_chat.guardrail.stage');
  const result = str(a, 'agent_chat.guardrail.result');
  if (result) facts.push(`${stage ? `${stage} ` : ''}${result}`);
  const errorType = str(a, 'error.type');
  if (span.status.code === 'error') facts.push(`error${errorType ? ` ${errorType}` : ''}${span.status.message ? `: ${span.status.message}` : ''}`);
  return facts;
}

function markersOf(span: TraceSpan, start: number, duration: number): TraceMarker[] {
  const markers: TraceMarker[] = [];
  for (const event of span.events) {
    const time = Date.parse(event.time);
    if (Number.isNaN(time)) continue;
    const offsetMs = time - start;
    const at = Math.min(1, Math.max(0, duration > 0 ? offsetMs / duration : 0));
    if (event.name === 'approval.requested') markers.push({ kind: 'requested', at, offsetMs, text: 'requested' });
    else if (event.name === 'approval.decided') {
      const decision = str(event.attributes, 'agent_chat.approval.decision') ?? 'decided';
      const wait = num(event.attributes, 'agent_chat.approval.wait_ms');
      markers.push({ kind: 'decided', at, offsetMs, text: `${decision}${wait !== undefined ? ` after ${formatMs(wait)} wait` : ''}` });
    }
  }
  return markers;
}

/**
 * Lays a run's spans out as a waterfall: nested by parent (a span whose parent is missing, or
 * that only a cycle reaches, hangs under the root), siblings in start order, each placed on the
 * run's time axis. Every span is shown once.
 */
export function layoutTrace(trace: RunTrace): TraceLayout {
  const times = trace.spans.flatMap((s) => [Date.parse(s.start), Date.parse(s.end)]).filter((t) => !Number.isNaN(t));
  const runStart = Math.min(Date.parse(trace.startedAt) || Infinity, ...times);
  const start = Number.isFinite(runStart) ? runStart : 0;
  const durationMs = Math.max(0, ...times.map((t) => t - start));

  const ids = new Set(trace.spans.map((s) => s.spanId));
  const root = trace.spans.find((s) => !s.parentSpanId) ?? trace.spans[0];
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of trace.spans) {
    if (span === root) continue;
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : root?.spanId;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }

  const rows: TraceRow[] = [];
  const seen = new Set<string>();
  const visit = (span: TraceSpan, level: number): void => {
    if (seen.has(span.spanId)) return; // A cycle in bad data is cut, not followed forever.
    seen.add(span.spanId);
    const s = Date.parse(span.start) || start;
    const e = Math.max(s, Date.parse(span.end) || s);
    rows.push({
      span,
      level,
      offsetMs: s - start,
      durationMs: e - s,
      left: durationMs > 0 ? (s - start) / durationMs : 0,
      width: durationMs > 0 ? (e - s) / durationMs : 1,
      subject: subjectOf(span),
      facts: factsOf(span),
      markers: markersOf(span, start, durationMs),
    });
    const kids = [...(children.get(span.spanId) ?? [])].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    for (const kid of kids) visit(kid, level + 1);
  };
  if (root) visit(root, 1);
  // Spans only reachable through a cycle in bad data: shown under the root all the same.
  for (const span of trace.spans) if (!seen.has(span.spanId)) visit(span, 2);
  return { durationMs, rows };
}
