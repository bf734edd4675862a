import { describe, expect, it } from 'vitest';
import { defineTool, z } from '../../src/agents/tool.ts';
import { textResponse, toolCallEvent, toolCallsResponse } from '../../src/testing/scripted-model.ts';
import { applyEvents, approvalInput, assertRunShape, collect, context, doneItems, finished, messageInput, setup, workflow } from './helpers.ts';

function refundTool(log: string[]) {
  return defineTool({
    name: 'refund_order',
    description: 'Refund an order',
    parameters: z.object({ order_id: z.string() }),
    needsApproval: true,
    execute: ({ order_id }) => {
      log.push(order_id);
      return { refund_id: `RF-${order_id}`, status: 'refunded' };
    },
  });
}

const lookup = defineTool({ name: 'lookup_order', description: 'Look up', parameters: z.object({ order_id: z.string() }), execute: ({ order_id }) => ({ order_id }) });

const wf = workflow([{ id: 'billing', name: 'Billing', instructions: 'b', tools: ['refund_order', 'lookup_order'] }]);

/** Runs "refund order 1234" to the interruption and returns the stored items. */
async function interrupted(refunds: string[]) {
  const first = setup({
    tools: [refundTool(refunds), lookup],
    responses: [toolCallsResponse(toolCallEvent('refund_order', { order_id: '1234' }, 'r1'), toolCallEvent('lookup_order', { order_id: '1234' }, 'l1'))],
  });
  const input = messageInput(wf, 'refund order 1234');
  const events = await collect(first.runAgent(input, context()));
  return { events, items: applyEvents(input.history, events) };
}

describe('approvals', () => {
  it('a needsApproval call waits, the other calls of the response still run, the run ends interrupted', async () => {
    const refunds: string[] = [];
    const { events } = await interrupted(refunds);
    assertRunShape(events);
    expect(finished(events).status).toBe('interrupted');
    const calls = doneItems(events, 'tool_call');
    expect(calls.find((c) => c.callId === 'r1')).toMatchObject({ status: 'awaiting_approval', name: 'refund_order' });
    expect(calls.find((c) => c.callId === 'l1')).toMatchObject({ status: 'completed' });
    expect(refunds).toEqual([]);
  });

  it('approve: a fresh runner with only the stored items runs the call and the model continues (restart case)', async () => {
    const refunds: string[] = [];
    const { items } = await interrupted(refunds);
    // A new runner, new model: nothing survives but the items, as after a server restart.
    const second = setup({ tools: [refundTool(refunds), lookup], responses: [textResponse('Refunded $59.00.')] });
    const events = await collect(second.runAgent(approvalInput(wf, items, [{ callId: 'r1', approved: true }], 'billing'), context()));
    assertRunShape(events);
    expect(refunds).toEqual(['1234']);
    const [call] = doneItems(events, 'tool_call');
    expect(call).toMatchObject({ id: items.find((i) => i.type === 'tool_call' && i.callId === 'r1')?.id, status: 'completed', output: { refund_id: 'RF-1234' } });
    expect(finished(events).status).toBe('completed');
    expect(second.model.requests[0]?.input).toContainEqual({ type: 'function_call_output', callId: 'r1', output: '{"refund_id":"RF-1234","status":"refunded"}' });
    expect(doneItems(events, 'assistant_message')[0]?.text).toBe('Refunded $59.00.');
  });

  it('deny: the call becomes denied with the reason, the tool never runs, the model is told', async () => {
    const refunds: string[] = [];
    const { items } = await interrupted(refunds);
    const second = setup({ tools: [refundTool(refunds), lookup], responses: [textResponse('OK, no refund.')] });
    const events = await collect(second.runAgent(approvalInput(wf, items, [{ callId: 'r1', approved: false, reason: 'I changed my mind' }], 'billing'), context()));
    expect(refunds).toEqual([]);
    expect(doneItems(events, 'tool_call')[0]).toMatchObject({ status: 'denied', error: 'Denied by the user: I changed my mind' });
    const output = second.model.requests[0]?.input.find((i) => i.type === 'function_call_output' && i.callId === 'r1');
    expect(output).toMatchObject({ output: expect.stringMatching(/denied by the user: I changed my mind/i) });
    expect(finished(events).status).toBe('completed');
  });

  it('calls without a decision stay awaiting and the run is interrupted again without a model call', async () => {
    const refunds: string[] = [];
    const runner = setup({
      tools: [refundTool(refunds), lookup],
      responses: [toolCallsResponse(toolCallEvent('refund_order', { order_id: '1' }, 'a'), toolCallEvent('refund_order', { order_id: '2' }, 'b'))],
    });
    const input = messageInput(wf, 'refund 1 and 2');
    const items = applyEvents(input.history, await collect(runner.runAgent(input, context())));
    const next = setup({ tools: [refundTool(refunds), lookup], responses: [] });
    const events = await collect(next.runAgent(approvalInput(wf, items, [{ callId: 'a', approved: true }], 'billing'), context()));
    expect(refunds).toEqual(['1']);
    expect(finished(events).status).toBe('interrupted');
    expect(next.model.calls).toHaveLength(0);
  });

  it('an agent tool reference can require approval for a tool that does not by default', async () => {
    const ran: string[] = [];
    const plain = defineTool({ name: 'ping', description: 'x', parameters: z.object({}), execute: () => ran.push('ping') });
    const gated = workflow([{ id: 'a', name: 'A', instructions: 'x', tools: [{ name: 'ping', needsApproval: true }] }]);
    const { runAgent } = setup({ tools: [plain], responses: [toolCallsResponse(toolCallEvent('ping'))] });
    const events = await collect(runAgent(messageInput(gated, 'ping'), context()));
    expect(finished(events).status).toBe('interrupted');
    expect(ran).toEqual([]);
  });

  it('a repeated approval with nothing awaiting finishes without asking the model again', async () => {
    const { model, runAgent } = setup({ responses: [] });
    const events = await collect(runAgent(approvalInput(wf, [], [{ callId: 'gone', approved: true }]), context()));
    expect(finished(events).status).toBe('completed');
    expect(model.calls).toHaveLength(0);
  });
});
