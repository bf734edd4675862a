/**
 * Traces built from real runs (the whole server over a WebSocket, a scripted model so each step
 * is known): agent segments and handoffs, model calls, tool kinds (function, HTTP, MCP),
 * approvals across runs, guardrails, and message content only when switched on.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunTrace, type TraceSpan, Workflow as WorkflowSchema } from '@agent-chat/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedModel, ScriptedProvider, completedEvent, textResponse, toolCallEvent } from '../../src/testing/scripted-model.ts';
import { eventSpanId, stepSpanId, traceIdOf } from '../../src/traces/trace-ids.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import type { TestServer } from '../helpers/test-server.ts';
import type { TestClient } from '../helpers/ws-client.ts';

const SECRET_ANSWER = 'The vault code is classified-7731.';

function shop(pingUrl: string) {
  return WorkflowSchema.parse({
    id: 'shop',
    name: 'Shop',
    entryAgent: 'front',
    agents: [
      {
        id: 'front',
        name: 'Front desk',
        instructions: 'Route.',
        handoffs: [{ agent: 'back', description: 'Anything about stock.' }],
        inputGuardrails: [{ kind: 'pii', name: 'pii' }],
      },
      {
        id: 'back',
        name: 'Back office',
        instructions: 'Help.',
        tools: ['lookup_order', 'ping', { kind: 'mcp', connector: 'inventory', tools: ['check_stock', 'reserve_item'] }],
        outputGuardrails: [{ kind: 'blocklist', name: 'no_vault', words: ['classified-7731'] }],
      },
    ],
    tools: [{ name: 'ping', kind: 'http', description: 'Ping the warehouse.', url: `${pingUrl}/ping`, allowedHosts: ['127.0.0.1'] }],
  });
}

const byName = (trace: RunTrace, name: string): TraceSpan => {
  const span = trace.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} in ${trace.spans.map((s) => s.name).join(', ')}`);
  return span;
};

describe('run traces from real runs', () => {
  const scope = useTestScope();
  let ping: Server | undefined;
  afterEach(async () => {
    if (ping) await new Promise<void>((resolve) => ping!.close(() => resolve()));
    ping = undefined;
  });

  async function boot(model: ScriptedModel, env: Record<string, string> = {}): Promise<TestServer> {
    ping = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"pong":true}'));
    await new Promise<void>((resolve) => ping!.listen(0, '127.0.0.1', resolve));
    const pingUrl = `http://127.0.0.1:${(ping.address() as AddressInfo).port}`;
    return scope.boot({ workflows: new Map([['shop', shop(pingUrl)]]), models: new ScriptedProvider(model), env });
  }

  async function say(client: TestClient, threadId: string, text: string) {
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: `${text}-${Math.random()}`, text });
    if (accepted.type !== 'message.accepted') throw new Error(`not accepted: ${JSON.stringify(accepted)}`);
    return { runId: accepted.runId, finished: await client.runFinished(accepted.runId, 20_000) };
  }

  async function traceOf(s: TestServer, runId: string): Promise<RunTrace> {
    const row = await s.server.storage.traces.get(runId);
    if (!row) throw new Error(`no trace for ${runId}`);
    return RunTrace.parse(JSON.parse(row.json));
  }

  /** Three runs on one thread: tools of every kind and an approval; the approved call; an answer the output guardrail withdraws. */
  async function threeRuns(env: Record<string, string> = {}) {
    const model = new ScriptedModel([
      [toolCallEvent('transfer_to_back', {}, 'call_handoff'), completedEvent({ inputTokens: 120, outputTokens: 7 })],
      [
        toolCallEvent('lookup_order', { order_id: '1234' }, 'call_fn'),
        toolCallEvent('ping', {}, 'call_http'),
        toolCallEvent('inventory__check_stock', { item: 'backpack' }, 'call_mcp'),
        toolCallEvent('inventory__reserve_item', { sku: 'BP-3000', quantity: 1 }, 'call_gated'),
        completedEvent({ inputTokens: 340, outputTokens: 45 }),
      ],
      textResponse('Reserved your backpack.', { inputTokens: 400, outputTokens: 5 }),
      textResponse(SECRET_ANSWER, { inputTokens: 410, outputTokens: 8 }),
    ]);
    const s = await boot(model, env);
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'shop' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const first = await say(client, threadId, 'My email is jane.doe@example.com; reserve a backpack');
    expect(first.finished.status).toBe('interrupted');
    client.send({ type: 'tool.approval', threadId, callId: 'call_gated', approved: true });
    const started = await client.waitFor((m) => m.type === 'run.started' && m.runId !== first.runId);
    const secondRunId = started.type === 'run.started' ? started.runId : '';
    await client.runFinished(secondRunId, 20_000);
    const third = await say(client, threadId, 'what is the vault code?');
    return { s, client, threadId, first: await traceOf(s, first.runId), second: await traceOf(s, secondRunId), third: await traceOf(s, third.runId), thirdStatus: third.finished.status };
  }

  it('Should give each agent segment an invoke_agent span (a handoff a child), each model call a chat span, each tool its kind, and the approval as events with the wait', async () => {
    const { s, client, threadId, first, second, third } = await threeRuns();

    // Ids are derived: the trace from the thread and run.started's seq, spans from the opening event or step.
    const root = first.spans[0]!;
    expect(root).toMatchObject({ name: 'invoke_agent front', operation: 'invoke_agent' });
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'gen_ai.conversation.id': threadId, 'gen_ai.agent.name': 'front', 'agent_chat.run.status': 'interrupted', 'agent_chat.workflow.id': 'shop' });
    const startSeq = client.events(threadId).find((e) => e.type === 'run.started' && e.runId === first.runId)!.seq;
    expect(first.traceId).toBe(traceIdOf(threadId, startSeq));
    expect(root.spanId).toBe(eventSpanId(threadId, startSeq));
    const back = byName(first, 'invoke_agent back');
    expect(back.parentSpanId).toBe(root.spanId);
    expect(back.attributes['agent_chat.handoff.from']).toBe('front');

    const chats = first.spans.filter((x) => x.operation === 'chat');
    expect(chats.map((c) => [c.parentSpanId, c.attributes['gen_ai.agent.name'], c.attributes['gen_ai.response.finish_reasons']])).toEqual([
      [root.spanId, 'front', ['tool_calls']],
      [back.spanId, 'back', ['tool_calls']],
    ]);
    // A chat span's id is its step's: the steps after the input guardrails screened before the run.
    const callSteps = (await s.server.storage.runSteps.ofRun(first.runId)).filter((r) => JSON.parse(r.json).type === 'model_call').map((r) => r.step);
    expect(callSteps).toHaveLength(2);
    for (const [i, chat] of chats.entries()) {
      expect(chat.spanId).toBe(stepSpanId(first.runId, callSteps[i]!));
      expect(chat).toMatchObject({ kind: 'client', name: 'chat gpt-4.1-mini' });
      expect([chat.attributes['gen_ai.usage.input_tokens'], chat.attributes['gen_ai.usage.output_tokens']]).toEqual(i === 0 ? [120, 7] : [340, 45]);
      expect(chat.attributes['agent_chat.time_to_first_token_ms']).toBeTypeOf('number');
      // The scripted provider stands where the offline model does (no OPENAI_API_KEY).
      expect(chat.attributes['gen_ai.provider.name']).toBe('offline');
    }
    // A segment counts the tokens of its own model calls.
    expect([root.attributes['gen_ai.usage.input_tokens'], back.attributes['gen_ai.usage.input_tokens']]).toEqual([120, 340]);

    const tools = first.spans.filter((x) => x.operation === 'execute_tool');
    expect(tools.map((t) => [t.attributes['gen_ai.tool.name'], t.attributes['agent_chat.tool.kind'], t.attributes['gen_ai.tool.type'], t.attributes['agent_chat.tool.status'], t.status.code, t.parentSpanId])).toEqual(
      expect.arrayContaining([
        ['lookup_order', 'function', 'function', 'completed', 'ok', back.spanId],
        ['ping', 'http', 'extension', 'completed', 'ok', back.spanId],
        ['inventory__check_stock', 'mcp', 'extension', 'completed', 'ok', back.spanId],
        ['inventory__reserve_item', 'mcp', 'extension', 'awaiting_approval', 'unset', back.spanId],
      ]),
    );
    expect(tools).toHaveLength(4);
    const gated = tools.find((t) => t.attributes['gen_ai.tool.call.id'] === 'call_gated')!;
    expect(gated.events.map((e) => e.name)).toEqual(['approval.requested']);
    // A handoff is a segment, not a tool span.
    expect(first.spans.some((x) => x.name.includes('transfer_to_back'))).toBe(false);
    // Every span is in the run's trace, and its parent is one of them.
    const ids = new Set(first.spans.map((x) => x.spanId));
    for (const span of first.spans) {
      expect(span.traceId).toBe(first.traceId);
      if (span.parentSpanId) expect(ids.has(span.parentSpanId)).toBe(true);
      expect(Date.parse(span.end)).toBeGreaterThanOrEqual(Date.parse(span.start));
    }

    // The approved call runs in the next run: its span there carries the decision and the wait since it was asked.
    const approved = second.spans.find((x) => x.attributes['gen_ai.tool.call.id'] === 'call_gated')!;
    expect(approved.attributes).toMatchObject({ 'agent_chat.tool.status': 'completed', 'agent_chat.tool.kind': 'mcp' });
    const decided = approved.events.find((e) => e.name === 'approval.decided');
    expect(decided?.attributes['agent_chat.approval.decision']).toBe('approved');
    expect(decided?.attributes['agent_chat.approval.wait_ms']).toBeGreaterThanOrEqual(0);
    expect(Date.parse(decided!.time)).toBeGreaterThanOrEqual(Date.parse(gated.events[0]!.time));
    expect(second.traceId).not.toBe(first.traceId);
    expect(second.spans[0]!.attributes['gen_ai.agent.name']).toBe('back');

    // The output guardrail's check is a span with its result; content is off by default.
    const guard = third.spans.find((x) => x.operation === 'apply_guardrail' && x.attributes['agent_chat.guardrail.name'] === 'no_vault')!;
    expect(guard.attributes).toMatchObject({ 'agent_chat.guardrail.kind': 'blocklist', 'agent_chat.guardrail.stage': 'output', 'agent_chat.guardrail.result': 'tripped' });
    const stored = JSON.stringify((await s.server.storage.traces.ofThread(threadId)).map((t) => t.json));
    expect(stored).not.toContain('gen_ai.input.messages');
    expect(stored).not.toContain('gen_ai.output.messages');
    expect(stored).not.toContain('gen_ai.tool.call.arguments');
    expect(stored).not.toContain('backpack');
    // The thread's traces, oldest first.
    expect((await s.server.storage.traces.ofThread(threadId)).map((t) => t.runId)).toEqual([first.runId, second.runId, third.runId]);
  });

  it('Should put the message as stored (redacted), answers, tool arguments and results on the spans when content capture is on, never an answer a guardrail withdrew', async () => {
    const { first, second, third, thirdStatus } = await threeRuns({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
    const input = JSON.parse(String(first.spans[0]!.attributes['gen_ai.input.messages']));
    expect(input).toEqual([{ role: 'user', parts: [{ type: 'text', content: expect.stringContaining('[email redacted]') }] }]);
    expect(JSON.stringify(first)).not.toContain('jane.doe@example.com');
    const lookup = byName(first, 'execute_tool lookup_order');
    expect(JSON.parse(String(lookup.attributes['gen_ai.tool.call.arguments']))).toEqual({ order_id: '1234' });
    expect(String(lookup.attributes['gen_ai.tool.call.result'])).toContain('1234');
    const answered = JSON.parse(String(second.spans[0]!.attributes['gen_ai.output.messages']));
    expect(answered).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Reserved your backpack.' }] }]);
    // The third answer was streamed, then withdrawn by the output guardrail: it is in no span.
    expect(thirdStatus).not.toBe('failed');
    expect(JSON.stringify(third)).not.toContain('classified-7731');
    expect(third.spans.some((x) => x.attributes['agent_chat.guardrail.result'] === 'tripped')).toBe(true);
  });
});

