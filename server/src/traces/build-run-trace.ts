import type { Item, RunFinished, RunStarted, RunTrace, ToolCallItem, TraceAttributes, TraceSpan, TraceSpanEvent, UserMessageItem } from '@agent-chat/shared';
import type { GuardrailCheckStep, ModelCallStep } from '../agents/run-step.ts';
import type { NumberedStep, RunTimeline, TimedEvent } from './run-timeline.ts';
import type { ToolKind } from './tool-kinds.ts';
import { eventSpanId, stepSpanId, traceIdOf } from './trace-ids.ts';

/** Who and what a run's trace is about, beside its timeline. */
export interface TraceLabels {
  threadId: string;
  runId: string;
  workflowId: string;
  /** null on an open server. */
  siteId: string | null;
  /** `gen_ai.provider.name` of the model calls ("openai": the server speaks its APIs). */
  provider: string;
  /** Put message text and tool arguments/results on the spans (off by default: they are visitors' data). */
  captureContent: boolean;
  toolKind: (name: string) => ToolKind;
  /** The visitor's message the run answers, in its stored state (redacted if a guardrail did). */
  userMessage?: UserMessageItem | undefined;
}

/** `gen_ai.tool.type`: code in the server is a function; HTTP and MCP tools call out (an extension). */
const TOOL_TYPE: Record<ToolKind, string> = { function: 'function', http: 'extension', mcp: 'extension' };

interface Segment {
  span: TraceSpan;
  agent: string;
  /** Seq of the event that started it. */
  fromSeq: number;
  inputTokens: number;
  outputTokens: number;
  answers: string[];
}

interface ToolSpan {
  span: TraceSpan;
  item: ToolCallItem;
  ended: boolean;
}

/**
 * Builds a run's trace from what it appended and its steps (pure): an `invoke_agent` span per
 * agent segment (the run's first agent is the root; a handoff starts a child of the segment it
 * left), a `chat` span per model call, an `execute_tool` span per tool call (approvals as its
 * events), an `apply_guardrail` span per guardrail check. Undefined when the timeline has no
 * `run.started` of the run (nothing to hang the spans on).
 */
export function buildRunTrace(timeline: RunTimeline, labels: TraceLabels): RunTrace | undefined {
  const { threadId, runId } = labels;
  const events = [...timeline.events].sort((a, b) => a.event.seq - b.event.seq);
  const startIndex = events.findIndex((e) => e.event.type === 'run.started' && e.event.runId === runId);
  if (startIndex < 0) return undefined;
  const started = events[startIndex] as TimedEvent & { event: RunStarted };
  const runEvents = events.slice(startIndex);
  const finished = runEvents.find((e): e is TimedEvent & { event: RunFinished } => e.event.type === 'run.finished' && e.event.runId === runId);
  const traceId = traceIdOf(threadId, started.event.seq);
  const common: TraceAttributes = { 'gen_ai.conversation.id': threadId, 'agent_chat.run.id': runId };

  const newSpan = (spanId: string, parent: TraceSpan | undefined, name: string, operation: TraceSpan['operation'], start: string, attributes: TraceAttributes): TraceSpan => ({
    traceId,
    spanId,
    ...(parent ? { parentSpanId: parent.spanId } : {}),
    name,
    operation,
    kind: operation === 'chat' ? 'client' : 'internal',
    start,
    end: start,
    status: { code: 'unset' },
    attributes: { 'gen_ai.operation.name': operation, ...common, ...attributes },
    events: [],
  });

  const segmentSpan = (seq: number, parent: TraceSpan | undefined, agent: string, at: string): Segment => ({
    span: newSpan(eventSpanId(threadId, seq), parent, `invoke_agent ${agent}`, 'invoke_agent', at, {
      'gen_ai.agent.name': agent,
      'gen_ai.provider.name': labels.provider,
    }),
    agent,
    fromSeq: seq,
    inputTokens: 0,
    outputTokens: 0,
    answers: [],
  });
  const root = segmentSpan(started.event.seq, undefined, started.event.agent, started.at);
  root.span.attributes['agent_chat.workflow.id'] = labels.workflowId;
  if (labels.siteId) root.span.attributes['agent_chat.site.id'] = labels.siteId;
  const segments: Segment[] = [root];
  /** The segment running at `seq` (the last one started at or before it), preferring `agent`'s. */
  const segmentAt = (seq: number, agent?: string): Segment => {
    let found: Segment | undefined;
    for (const segment of segments) if (segment.fromSeq <= seq && (agent === undefined || segment.agent === agent)) found = segment;
    return found ?? (agent === undefined ? root : segmentAt(seq));
  };

  const tools = new Map<string, ToolSpan>();
  const answers = new Map<string, { item: Item; seq: number }>();
  const removed = new Set<string>();
  let userMessage = labels.userMessage;
  for (const { event, at } of runEvents.slice(1)) {
    if (event.type === 'item.removed') {
      removed.add(event.itemId);
      continue;
    }
    if (event.type !== 'item.added' && event.type !== 'item.done') continue;
    const item = event.item;
    // The run screens its message itself when it was not screened before: what it stored last counts.
    if (item.type === 'user_message') userMessage = item;
    else if (item.type === 'handoff' && event.type === 'item.added') {
      const from = segmentAt(event.seq, item.from);
      const child = segmentSpan(event.seq, from.span, item.to, at);
      child.span.attributes['agent_chat.handoff.from'] = item.from;
      segments.push(child);
    } else if (item.type === 'assistant_message') {
      answers.set(item.id, { item, seq: answers.get(item.id)?.seq ?? event.seq });
    } else if (item.type === 'tool_call') {
      let tool = tools.get(item.id);
      if (!tool) {
        tool = openTool(event.seq, item, at);
        tools.set(item.id, tool);
        // First seen finished-or-running in this run: it waited for an approval given since.
        if (event.type === 'item.done' && Date.parse(item.createdAt) < Date.parse(started.at)) {
          const decision = item.status === 'denied' ? 'denied' : 'approved';
          tool.span.events.push(spanEvent('approval.decided', started.at, {
            'agent_chat.approval.decision': decision,
            'agent_chat.approval.wait_ms': Math.max(0, Date.parse(started.at) - Date.parse(item.createdAt)),
          }));
        }
      }
      tool.item = item;
      if (item.status === 'awaiting_approval' && !tool.span.events.some((e) => e.name === 'approval.requested')) {
        tool.span.events.push(spanEvent('approval.requested', at, {}));
      }
      if (item.status !== 'running') {
        tool.span.end = at;
        tool.ended = item.status !== 'awaiting_approval';
      }
    }
  }

  function openTool(seq: number, item: ToolCallItem, at: string): ToolSpan {
    const kind = labels.toolKind(item.name);
    const span = newSpan(eventSpanId(threadId, seq), segmentAt(seq, item.agent).span, `execute_tool ${item.name}`, 'execute_tool', at, {
      'gen_ai.agent.name': item.agent,
      'gen_ai.tool.name': item.name,
      'gen_ai.tool.call.id': item.callId,
      'gen_ai.tool.type': TOOL_TYPE[kind],
      'agent_chat.tool.kind': kind,
    });
    return { span, item, ended: false };
  }

  const spans: TraceSpan[] = [];
  for (const step of [...timeline.steps].sort((a, b) => a.step - b.step)) {
    const segment = segmentAt(step.afterSeq, step.data.agent);
    if (step.data.type === 'model_call') {
      segment.inputTokens += step.data.inputTokens;
      segment.outputTokens += step.data.outputTokens;
      spans.push(chatSpan(step, step.data, segment));
    } else {
      spans.push(guardrailSpan(step, step.data, segment));
    }
  }

  function chatSpan(step: NumberedStep, call: ModelCallStep, segment: Segment): TraceSpan {
    const span = newSpan(stepSpanId(runId, step.step), segment.span, `chat ${call.model}`, 'chat', call.startedAt, {
      'gen_ai.agent.name': call.agent,
      'gen_ai.provider.name': call.provider === undefined ? labels.provider : call.provider === 'offline' ? 'offline' : 'openai',
      'gen_ai.request.model': call.model,
      'gen_ai.usage.input_tokens': call.inputTokens,
      'gen_ai.usage.output_tokens': call.outputTokens,
      'gen_ai.response.finish_reasons': [call.finishReason],
      'agent_chat.model.api': call.api,
    });
    // An OpenAI-compatible server speaks OpenAI's API: which endpoint it was is ours to tell.
    if (call.provider !== undefined) span.attributes['agent_chat.model.endpoint'] = call.provider;
    if (call.firstTokenMs !== undefined) span.attributes['agent_chat.time_to_first_token_ms'] = call.firstTokenMs;
    span.end = plusMs(call.startedAt, call.durationMs);
    if (call.finishReason === 'error') {
      span.status = { code: 'error', ...(call.errorCode ? { message: call.errorCode } : {}) };
      span.attributes['error.type'] = call.errorCode ?? 'error';
    }
    return span;
  }

  function guardrailSpan(step: NumberedStep, check: GuardrailCheckStep, segment: Segment): TraceSpan {
    const span = newSpan(stepSpanId(runId, step.step), segment.span, `apply_guardrail ${check.name}`, 'apply_guardrail', check.startedAt, {
      'gen_ai.agent.name': check.agent,
      'agent_chat.guardrail.name': check.name,
      'agent_chat.guardrail.kind': check.kind,
      'agent_chat.guardrail.stage': check.stage,
      'agent_chat.guardrail.result': check.result,
    });
    span.end = plusMs(check.startedAt, check.durationMs);
    if (check.result === 'error') span.status = { code: 'error', message: 'the guardrail failed' };
    return span;
  }

  // The run's end: run.finished, or the last thing seen (a run finished from storage without it).
  const lastAt = [finished?.at ?? runEvents.at(-1)!.at, ...spans.map((s) => s.end)].reduce(later);
  for (const tool of tools.values()) {
    const { span, item } = tool;
    span.attributes['agent_chat.tool.status'] = item.status;
    if (!tool.ended && item.status !== 'awaiting_approval') span.end = lastAt;
    // A denied call did not fail: the visitor said no (its status attribute and approval event say so).
    if (item.status === 'failed') span.status = { code: 'error', ...(item.error ? { message: item.error } : {}) };
    else if (item.status === 'completed') span.status = { code: 'ok' };
    if (labels.captureContent) {
      span.attributes['gen_ai.tool.call.arguments'] = JSON.stringify(item.arguments);
      if (item.output !== undefined) span.attributes['gen_ai.tool.call.result'] = JSON.stringify(item.output);
    }
    spans.push(span);
  }

  for (const [id, { item, seq }] of answers) {
    if (removed.has(id) || item.type !== 'assistant_message') continue;
    segmentAt(seq, item.agent).answers.push(item.text);
  }
  const status = finished?.event.status;
  for (const segment of segments) {
    const span = segment.span;
    span.end = lastAt;
    span.attributes['gen_ai.usage.input_tokens'] = segment.inputTokens;
    span.attributes['gen_ai.usage.output_tokens'] = segment.outputTokens;
    if (labels.captureContent && segment.answers.length > 0) {
      span.attributes['gen_ai.output.messages'] = JSON.stringify(segment.answers.map((text) => ({ role: 'assistant', parts: [{ type: 'text', content: text }] })));
    }
  }
  root.span.attributes['agent_chat.run.status'] = status ?? 'unfinished';
  if (finished?.event.error) root.span.attributes['agent_chat.run.error_code'] = finished.event.error.code;
  if (status === 'failed') root.span.status = { code: 'error', message: finished?.event.error?.code ?? 'failed' };
  else if (status === 'completed') root.span.status = { code: 'ok' };
  if (labels.captureContent && userMessage && !removed.has(userMessage.id)) {
    root.span.attributes['gen_ai.input.messages'] = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: userMessage.text }] }]);
  }
  // The root starts with the first thing the run did (a guardrail may check before run.started is appended).
  root.span.start = [root.span.start, ...spans.map((s) => s.start)].reduce(earlier);

  const all = [...segments.map((s) => s.span), ...spans];
  const [first, ...rest] = all;
  // ISO 8601 UTC strings of one format sort as their times do.
  rest.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.spanId < b.spanId ? -1 : 1));
  return { runId, threadId, traceId, startedAt: root.span.start, spans: [first!, ...rest] };
}

function spanEvent(name: string, time: string, attributes: TraceAttributes): TraceSpanEvent {
  return { name, time, attributes };
}

function plusMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + Math.max(0, ms)).toISOString();
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function earlier(a: string, b: string): string {
  return Date.parse(b) < Date.parse(a) ? b : a;
}
