import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/agents/errors.ts';
import { defineTool, z } from '../../src/agents/tool.ts';
import { UpstreamError } from '../../src/errors.ts';
import { completedEvent, textEvents, textResponse, toolCallEvent, toolCallsResponse } from '../../src/testing/scripted-model.ts';
import { assertRunShape, collect, context, doneItems, finished, messageInput, setup, workflow } from './helpers.ts';

const lookupOrder = defineTool({
  name: 'lookup_order',
  description: 'Look up an order',
  parameters: z.object({ order_id: z.string() }),
  execute: ({ order_id }) => {
    if (order_id !== '1234') throw new ToolError(`No order ${order_id}`);
    return { order_id, total: 59, charges: [59, 59] };
  },
});

const triageAndBilling = workflow([
  { id: 'triage', name: 'Triage', instructions: 'Route the visitor.', handoffs: [{ agent: 'billing', description: 'Billing and charges' }] },
  { id: 'billing', name: 'Billing', instructions: 'Handle billing.', tools: ['lookup_order'] },
]);

describe('run loop', () => {
  it('hands off triage → billing, calls a tool and answers in the same run', async () => {
    const { model, runAgent } = setup({
      tools: [lookupOrder],
      responses: [
        toolCallsResponse(toolCallEvent('transfer_to_billing', {}, 'call_t')),
        toolCallsResponse(toolCallEvent('lookup_order', { order_id: '1234' }, 'call_l')),
        textResponse('Order 1234 was charged twice: $59.00 each.', { inputTokens: 10, outputTokens: 5 }),
      ],
    });
    const events = await collect(runAgent(messageInput(triageAndBilling, 'I was charged twice for order 1234'), context()));
    assertRunShape(events);
    expect(events[0]).toEqual({ type: 'run.started', runId: expect.any(String), agent: 'triage' });
    expect(finished(events)).toMatchObject({ status: 'completed', usage: { inputTokens: 10, outputTokens: 5 } });

    const [handoff] = doneItems(events, 'handoff');
    expect(handoff).toMatchObject({ from: 'triage', to: 'billing' });
    const [call] = doneItems(events, 'tool_call');
    expect(call).toMatchObject({ agent: 'billing', name: 'lookup_order', arguments: { order_id: '1234' }, status: 'completed', output: { order_id: '1234', total: 59 } });
    const [answer] = doneItems(events, 'assistant_message');
    expect(answer).toMatchObject({ agent: 'billing', text: 'Order 1234 was charged twice: $59.00 each.', status: 'done' });

    // Triage is offered the transfer tool; billing continues with the conversation so far.
    expect(model.requests[0]?.tools.map((t) => t.name)).toEqual(['transfer_to_billing']);
    expect(model.requests[0]?.tools[0]?.description).toBe('Billing and charges');
    expect(model.requests[1]?.instructions).toBe('Handle billing.');
    expect(model.requests[1]?.tools.map((t) => t.name)).toEqual(['lookup_order']);
    expect(model.requests[1]?.input).toEqual([
      { type: 'message', role: 'user', content: 'I was charged twice for order 1234' },
      { type: 'function_call', callId: `handoff_${handoff?.id}`, name: 'transfer_to_billing', arguments: '{}' },
      { type: 'function_call_output', callId: `handoff_${handoff?.id}`, output: expect.stringContaining('billing') },
    ]);
    expect(model.requests[2]?.input.slice(-2)).toEqual([
      { type: 'function_call', callId: 'call_l', name: 'lookup_order', arguments: '{"order_id":"1234"}' },
      { type: 'function_call_output', callId: 'call_l', output: JSON.stringify({ order_id: '1234', total: 59, charges: [59, 59] }) },
    ]);
  });

  it('streams text as item.added (in_progress), one text.delta per delta, then item.done', async () => {
    const { runAgent } = setup({ responses: [textResponse('Hello there, visitor')] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'Be nice.' }]);
    const events = await collect(runAgent(messageInput(wf, 'hi'), context()));
    const types = events.map((e) => e.type);
    expect(types).toEqual(['run.started', 'item.added', 'text.delta', 'text.delta', 'text.delta', 'item.done', 'run.finished']);
    expect(events[1]).toMatchObject({ type: 'item.added', item: { type: 'assistant_message', status: 'in_progress', text: '' } });
    expect(events.filter((e) => e.type === 'text.delta').map((e) => (e.type === 'text.delta' ? e.delta : ''))).toEqual(['Hello ', 'there, ', 'visitor']);
  });

  it('stops at maxTurns with run.finished max_turns', async () => {
    const loop = () => toolCallsResponse(toolCallEvent('lookup_order', { order_id: '1234' }));
    const { model, runAgent } = setup({ tools: [lookupOrder], responses: [loop, loop, loop, loop] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['lookup_order'] }], { limits: { maxTurns: 2 } });
    const events = await collect(runAgent(messageInput(wf, 'order 1234'), context()));
    assertRunShape(events);
    expect(finished(events).status).toBe('max_turns');
    expect(model.calls).toHaveLength(2);
  });

  it('tells the model about a failing tool so it can recover', async () => {
    const { model, runAgent } = setup({
      tools: [lookupOrder],
      responses: [toolCallsResponse(toolCallEvent('lookup_order', { order_id: '999' }, 'c1')), textResponse('I could not find order 999.')],
    });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['lookup_order'] }]);
    const events = await collect(runAgent(messageInput(wf, 'order 999'), context()));
    expect(finished(events).status).toBe('completed');
    expect(doneItems(events, 'tool_call')[0]).toMatchObject({ status: 'failed', error: 'No order 999' });
    expect(model.requests[1]?.input.at(-1)).toEqual({ type: 'function_call_output', callId: 'c1', output: '{"status":"failed","error":"No order 999"}' });
  });

  it('fails a tool that times out, without waiting for it, and continues', async () => {
    const slow = defineTool({
      name: 'slow',
      description: 'never finishes',
      parameters: z.object({}),
      timeoutMs: 50,
      execute: () => new Promise(() => {}),
    });
    const { model, runAgent } = setup({ tools: [slow], responses: [toolCallsResponse(toolCallEvent('slow', {}, 's1')), textResponse('It timed out.')] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['slow'] }]);
    const started = Date.now();
    const events = await collect(runAgent(messageInput(wf, 'go'), context()));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(doneItems(events, 'tool_call')[0]).toMatchObject({ status: 'failed', error: 'Tool "slow" timed out after 50 ms.' });
    expect(model.requests[1]?.input.at(-1)).toMatchObject({ output: expect.stringContaining('timed out') });
    expect(finished(events).status).toBe('completed');
  });

  it('runs the calls of one response concurrently and reports each as it finishes', async () => {
    let running = 0;
    let maxRunning = 0;
    const wait = defineTool({
      name: 'wait',
      description: 'waits',
      parameters: z.object({ ms: z.number() }),
      execute: async ({ ms }) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return { waited: ms };
      },
    });
    const { runAgent } = setup({
      tools: [wait],
      responses: [toolCallsResponse(toolCallEvent('wait', { ms: 200 }, 'slow'), toolCallEvent('wait', { ms: 20 }, 'fast'), toolCallEvent('wait', { ms: 100 }, 'mid')), textResponse('done')],
    });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['wait'] }]);
    const started = Date.now();
    const events = await collect(runAgent(messageInput(wf, 'go'), context()));
    const elapsed = Date.now() - started;
    expect(maxRunning).toBe(3);
    expect(elapsed).toBeLessThan(300 + 200); // sequential would take 320 ms of waiting plus the same again
    const added = events.filter((e) => e.type === 'item.added' && e.item.type === 'tool_call').map((e) => (e.type === 'item.added' && e.item.type === 'tool_call' ? e.item.callId : ''));
    expect(added).toEqual(['slow', 'fast', 'mid']);
    expect(doneItems(events, 'tool_call').map((i) => i.callId)).toEqual(['fast', 'mid', 'slow']);
  });

  it('cancel mid-stream: stops the model, keeps the partial text as incomplete, finishes cancelled', async () => {
    const controller = new AbortController();
    const { model, runAgent } = setup({ responses: [[...textEvents('Partial answer '), { type: 'hang' }, ...textEvents('never sent'), completedEvent()]] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x' }]);
    const events = [];
    for await (const event of runAgent(messageInput(wf, 'tell me'), context(controller.signal))) {
      events.push(event);
      if (event.type === 'text.delta' && event.delta === 'answer ') controller.abort();
    }
    assertRunShape(events);
    expect(finished(events).status).toBe('cancelled');
    expect(doneItems(events, 'assistant_message')).toEqual([expect.objectContaining({ text: 'Partial answer ', status: 'incomplete' })]);
    expect(model.calls[0]?.stopped).toBe(true);
    expect(model.calls[0]?.finished).toBe(false);
  });

  it('cancel stops running tools at once', async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const hang = defineTool({
      name: 'hang',
      description: 'hangs',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        toolSignal = ctx.signal;
        setTimeout(() => controller.abort(), 20);
        return new Promise(() => {});
      },
    });
    const { model, runAgent } = setup({ tools: [hang], responses: [toolCallsResponse(toolCallEvent('hang'))] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['hang'] }]);
    const events = await collect(runAgent(messageInput(wf, 'go'), context(controller.signal)));
    expect(finished(events).status).toBe('cancelled');
    expect(toolSignal?.aborted).toBe(true);
    expect(doneItems(events, 'tool_call')[0]).toMatchObject({ status: 'failed' });
    expect(model.calls).toHaveLength(1);
  });

  it('a run that exceeds runTimeoutMs fails with run_timeout and keeps partial text', async () => {
    const { runAgent } = setup({ responses: [[...textEvents('Thinking '), { type: 'hang' }]] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x' }], { limits: { runTimeoutMs: 50 } });
    const events = await collect(runAgent(messageInput(wf, 'hi'), context()));
    expect(finished(events)).toMatchObject({ status: 'failed', error: { code: 'run_timeout' } });
    expect(doneItems(events, 'assistant_message')[0]).toMatchObject({ status: 'incomplete', text: 'Thinking ' });
  });

  it('an upstream failure ends the run failed with upstream_error and a readable message', async () => {
    const { runAgent } = setup({ responses: [[...textEvents('Half '), { type: 'throw', error: new UpstreamError('The assistant is busy right now. Please try again in a moment.') }]] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x' }]);
    const events = await collect(runAgent(messageInput(wf, 'hi'), context()));
    assertRunShape(events);
    expect(finished(events)).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: 'The assistant is busy right now. Please try again in a moment.' } });
    expect(doneItems(events, 'assistant_message')[0]).toMatchObject({ status: 'incomplete', text: 'Half ' });
  });

  it('never throws: an unexpected model error becomes internal, without details', async () => {
    const { runAgent, logs } = setup({ responses: [[{ type: 'throw', error: new Error('secret stack detail') }]] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x' }]);
    const events = await collect(runAgent(messageInput(wf, 'hi'), context()));
    expect(finished(events)).toMatchObject({ status: 'failed', error: { code: 'internal' } });
    expect(JSON.stringify(events)).not.toContain('secret stack detail');
    expect(logs.join('\n')).toContain('secret stack detail');
  });

  it('fails unknown tools and unreadable arguments without running anything, and the model hears why', async () => {
    const { model, runAgent } = setup({
      tools: [lookupOrder],
      responses: [
        toolCallsResponse(toolCallEvent('delete_everything', {}, 'u1'), { type: 'tool_call', callId: 'u2', name: 'lookup_order', arguments: '{not json' }),
        textResponse('Sorry.'),
      ],
    });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['lookup_order'] }]);
    const events = await collect(runAgent(messageInput(wf, 'go'), context()));
    const calls = doneItems(events, 'tool_call');
    expect(calls.map((c) => [c.callId, c.status])).toEqual([['u1', 'failed'], ['u2', 'failed']]);
    expect(calls[0]?.error).toContain('Unknown tool');
    expect(calls[1]?.error).toContain('not a valid JSON');
    expect(model.requests[1]?.input.filter((i) => i.type === 'function_call_output')).toHaveLength(2);
  });

  it('rejects bad arguments before the tool runs', async () => {
    let ran = false;
    const strict = defineTool({ name: 'strict', description: 'x', parameters: z.object({ n: z.number().int() }), execute: () => (ran = true) });
    const { runAgent } = setup({ tools: [strict], responses: [toolCallsResponse(toolCallEvent('strict', { n: 'seven' })), textResponse('ok')] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['strict'] }]);
    const events = await collect(runAgent(messageInput(wf, 'go'), context()));
    expect(ran).toBe(false);
    expect(doneItems(events, 'tool_call')[0]?.error).toMatch(/^Invalid arguments for "strict": n: /);
  });

  it('stops with max_tool_calls before running more tools than allowed', async () => {
    let runs = 0;
    const count = defineTool({ name: 'count', description: 'x', parameters: z.object({}), execute: () => ++runs });
    const { runAgent } = setup({ tools: [count], responses: [toolCallsResponse(toolCallEvent('count'), toolCallEvent('count')), toolCallsResponse(toolCallEvent('count'), toolCallEvent('count'))] });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['count'] }], { limits: { maxToolCalls: 3 } });
    const events = await collect(runAgent(messageInput(wf, 'go'), context()));
    expect(runs).toBe(2);
    expect(finished(events)).toMatchObject({ status: 'failed', error: { code: 'max_tool_calls' } });
  });

  it('continues with the thread current agent and its model and api', async () => {
    const { provider, model, runAgent } = setup({ responses: [textResponse('Billing here.')] });
    const wf = workflow(
      [
        { id: 'triage', name: 'T', instructions: 't', handoffs: [{ agent: 'billing', description: 'b' }] },
        { id: 'billing', name: 'B', instructions: 'billing rules', model: 'gpt-x', api: 'chat' },
      ],
      { model: 'gpt-default', api: 'responses' },
    );
    const events = await collect(runAgent(messageInput(wf, 'again', [], 'billing'), context()));
    expect(events[0]).toMatchObject({ agent: 'billing' });
    expect(provider.lookups).toEqual([{ name: 'gpt-x', api: 'chat' }]);
    expect(model.requests[0]?.instructions).toBe('billing rules');
  });

  it('ignores a second transfer in the same response and records one handoff', async () => {
    const { runAgent } = setup({
      responses: [toolCallsResponse(toolCallEvent('transfer_to_b'), toolCallEvent('transfer_to_c')), textResponse('B here')],
    });
    const wf = workflow([
      { id: 'a', name: 'A', instructions: 'a', handoffs: [{ agent: 'b', description: 'b' }, { agent: 'c', description: 'c' }] },
      { id: 'b', name: 'B', instructions: 'b' },
      { id: 'c', name: 'C', instructions: 'c' },
    ]);
    const events = await collect(runAgent(messageInput(wf, 'x'), context()));
    expect(doneItems(events, 'handoff')).toEqual([expect.objectContaining({ from: 'a', to: 'b' })]);
    expect(doneItems(events, 'assistant_message')[0]?.agent).toBe('b');
  });

  it('gives each call a unique callId when the model repeats or omits them', async () => {
    const ping = defineTool({ name: 'ping', description: 'x', parameters: z.object({}), execute: () => 'pong' });
    const { model, runAgent } = setup({
      tools: [ping],
      responses: [
        toolCallsResponse(toolCallEvent('ping', {}, 'call_0'), toolCallEvent('ping', {}, 'call_0')),
        toolCallsResponse({ type: 'tool_call', callId: '', name: 'ping', arguments: '{}' }),
        textResponse('done'),
      ],
    });
    const wf = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: ['ping'] }]);
    const events = await collect(runAgent(messageInput(wf, 'go'), context()));
    const ids = doneItems(events, 'tool_call').map((c) => c.callId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toBe('call_0');
    const outputs = model.requests[2]?.input.filter((i) => i.type === 'function_call_output').map((i) => i.callId);
    expect(outputs?.sort()).toEqual([...ids].sort());
  });
});
