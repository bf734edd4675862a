import type { Item, ThreadEvent, ThreadEventBody, ToolCallItem } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { type TraceLabels, buildRunTrace } from '../../src/traces/build-run-trace.ts';
import type { RunTimeline } from '../../src/traces/run-timeline.ts';
import { stepSpanId } from '../../src/traces/trace-ids.ts';

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const labels: TraceLabels = { threadId: 'thr_1', runId: 'run_1', workflowId: 'wf', siteId: 'shop', provider: 'openai', captureContent: true, toolKind: () => 'function' };

/** A timeline of `bodies`, numbered from `firstSeq`, one every 10 ms. */
function timeline(bodies: ThreadEventBody[], firstSeq = 5): RunTimeline {
  return { events: bodies.map((body, i) => ({ event: { ...body, threadId: 'thr_1', seq: firstSeq + i } as ThreadEvent, at: at(i * 10) })), steps: [] };
}

const answer = (id: string, text: string, status: 'in_progress' | 'done' = 'done'): Item => ({ type: 'assistant_message', id, createdAt: at(0), agent: 'desk', text, status });
const call = (status: 'running' | 'failed'): ToolCallItem => ({ type: 'tool_call', id: 'itm_t', createdAt: at(0), agent: 'desk', callId: 'c1', name: 'lookup', arguments: { q: 1 }, status, ...(status === 'failed' ? { error: 'boom' } : {}) });

describe('buildRunTrace (pure)', () => {
  it('Should build nothing without the run.started of the run', () => {
    expect(buildRunTrace(timeline([{ type: 'run.finished', runId: 'run_1', status: 'completed' }]), labels)).toBeUndefined();
  });

  it('Should be deterministic, leave out a withdrawn answer, mark a failed tool as an error and end an unfinished one with the run', () => {
    const t = timeline([
      { type: 'run.started', runId: 'run_1', agent: 'desk' },
      { type: 'item.added', item: call('running') },
      { type: 'item.done', item: call('failed') },
      { type: 'item.added', item: answer('itm_a', 'secret draft', 'in_progress') },
      { type: 'item.removed', itemId: 'itm_a', reason: 'guardrail' },
      { type: 'item.added', item: answer('itm_b', 'kept answer') },
      { type: 'item.added', item: { ...call('running'), id: 'itm_u', callId: 'c2' } },
      { type: 'run.finished', runId: 'run_1', status: 'failed', error: { code: 'internal', message: 'x' } },
    ]);
    t.steps.push({ step: 1, afterSeq: 5, data: { type: 'guardrail_check', agent: 'desk', name: 'g', kind: 'custom', stage: 'output', result: 'error', startedAt: at(1), durationMs: 2 } });
    const trace = buildRunTrace(t, labels)!;
    expect(JSON.stringify(buildRunTrace(t, labels))).toBe(JSON.stringify(trace));
    const root = trace.spans[0]!;
    expect(root.status).toEqual({ code: 'error', message: 'internal' });
    expect(root.attributes['agent_chat.site.id']).toBe('shop');
    expect(JSON.parse(String(root.attributes['gen_ai.output.messages']))).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'kept answer' }] }]);
    expect(JSON.stringify(trace)).not.toContain('secret draft');
    const [failed, unfinished] = trace.spans.filter((s) => s.operation === 'execute_tool');
    expect(failed).toMatchObject({ status: { code: 'error', message: 'boom' }, start: at(10), end: at(20) });
    expect(unfinished).toMatchObject({ status: { code: 'unset' }, start: at(60), end: at(70) });
    const guard = trace.spans.find((s) => s.operation === 'apply_guardrail')!;
    expect(guard).toMatchObject({ spanId: stepSpanId('run_1', 1), parentSpanId: root.spanId, status: { code: 'error' }, start: at(1), end: at(3) });
  });

  it('Should carry a decision given since the last run on the call it decided: denied, with the wait since the call, not an error', () => {
    const waiting: ToolCallItem = { ...call('running'), createdAt: at(-60_000), status: 'awaiting_approval' };
    const trace = buildRunTrace(
      timeline([
        { type: 'run.started', runId: 'run_1', agent: 'desk' },
        { type: 'item.done', item: { ...waiting, status: 'denied', error: 'The visitor declined.' } },
        { type: 'run.finished', runId: 'run_1', status: 'completed' },
      ]),
      labels,
    )!;
    const span = trace.spans.find((s) => s.operation === 'execute_tool')!;
    expect(span.events).toEqual([{ name: 'approval.decided', time: at(0), attributes: { 'agent_chat.approval.decision': 'denied', 'agent_chat.approval.wait_ms': 60_000 } }]);
    expect(span.status.code).toBe('unset');
    expect(span.attributes['agent_chat.tool.status']).toBe('denied');
  });
});
