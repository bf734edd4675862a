import type { Item } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { defineTool, z } from '../../src/agents/tool.ts';
import type { RunInput } from '../../src/agents/run-types.ts';
import { textResponse, toolCallEvent, toolCallsResponse } from '../../src/testing/scripted-model.ts';
import { applyEvents, assertRunShape, collect, context, doneItems, finished, messageInput, nextId, setup, workflow } from './helpers.ts';

/** A tool that counts its calls by call id, as an API honouring an idempotency key would see them. */
function countingTool(name: string, calls: string[], options: { needsApproval?: boolean } = {}) {
  return defineTool({
    name,
    description: name,
    parameters: z.object({ order_id: z.string() }),
    ...options,
    execute: ({ order_id }, ctx) => {
      calls.push(`${ctx.callId}:${order_id}`);
      return { order_id, ok: true };
    },
  });
}

const wf = workflow([{ id: 'billing', name: 'Billing', instructions: 'b', tools: ['lookup_order', 'refund_order'] }]);

const resumeInput = (history: Item[], agentId = 'billing'): RunInput => ({
  runId: nextId('run'),
  threadId: 'thr_test',
  workflow: wf,
  agentId,
  history,
  trigger: { kind: 'resume' },
});

/**
 * The items a run leaves when its server dies mid-way: a finished lookup, a lookup still running,
 * and the answer being streamed (as the event log projected them before the crash).
 */
function crashedItems(): Item[] {
  const input = messageInput(wf, 'where is order 1234?');
  const at = new Date(0).toISOString();
  return [
    ...input.history,
    { id: nextId(), type: 'tool_call', createdAt: at, agent: 'billing', callId: 'done_1', name: 'lookup_order', arguments: { order_id: '1234' }, status: 'completed', output: { order_id: '1234', ok: true } },
    { id: nextId(), type: 'tool_call', createdAt: at, agent: 'billing', callId: 'cut_2', name: 'lookup_order', arguments: { order_id: '5678' }, status: 'running' },
    { id: nextId(), type: 'assistant_message', createdAt: at, agent: 'billing', text: 'Order 1234 is on its', status: 'in_progress' },
  ];
}

describe('resuming a run after its server stopped', () => {
  it('closes the partial answer as incomplete, runs only the unfinished call again with its id, and lets the model go on', async () => {
    const calls: string[] = [];
    // A fresh runner and model: nothing survives a crash but the items.
    const runner = setup({ tools: [countingTool('lookup_order', calls), countingTool('refund_order', calls)], responses: [textResponse('Order 1234 is on its way; 5678 ships tomorrow.')] });
    const history = crashedItems();
    const events = await collect(runner.runAgent(resumeInput(history), context()));
    assertRunShape(events);
    expect(finished(events).status).toBe('completed');
    expect(calls).toEqual(['cut_2:5678']); // the finished call did not run again
    const partial = history.find((i) => i.type === 'assistant_message')!;
    const answers = doneItems(events, 'assistant_message');
    expect(answers[0]).toMatchObject({ id: partial.id, status: 'incomplete', text: 'Order 1234 is on its' });
    // The continuation is a new item.
    expect(answers[1]).toMatchObject({ status: 'done', text: 'Order 1234 is on its way; 5678 ships tomorrow.' });
    expect(answers[1]?.id).not.toBe(partial.id);
    const rerun = doneItems(events, 'tool_call');
    expect(rerun).toEqual([expect.objectContaining({ callId: 'cut_2', status: 'completed', output: { order_id: '5678', ok: true } })]);
    // The model saw both calls' real outputs, not "interrupted".
    const input = runner.model.requests[0]?.input ?? [];
    expect(input).toContainEqual({ type: 'function_call_output', callId: 'done_1', output: '{"order_id":"1234","ok":true}' });
    expect(input).toContainEqual({ type: 'function_call_output', callId: 'cut_2', output: '{"order_id":"5678","ok":true}' });
    // What the thread holds afterwards: nothing left open.
    const after = applyEvents(history, events);
    expect(after.filter((i) => (i.type === 'tool_call' && i.status === 'running') || (i.type === 'assistant_message' && i.status === 'in_progress'))).toEqual([]);
  });

  it('keeps a call that waits for approval waiting, and does not call the model', async () => {
    const calls: string[] = [];
    const runner = setup({
      tools: [countingTool('lookup_order', calls), countingTool('refund_order', calls, { needsApproval: true })],
      responses: [toolCallsResponse(toolCallEvent('refund_order', { order_id: '1' }, 'never'))],
    });
    const at = new Date(0).toISOString();
    const history: Item[] = [
      ...messageInput(wf, 'refund order 1').history,
      { id: nextId(), type: 'tool_call', createdAt: at, agent: 'billing', callId: 'ask_1', name: 'refund_order', arguments: { order_id: '1' }, status: 'awaiting_approval' },
    ];
    const events = await collect(runner.runAgent(resumeInput(history), context()));
    assertRunShape(events);
    expect(finished(events).status).toBe('interrupted');
    expect(calls).toEqual([]);
    expect(runner.model.requests).toHaveLength(0);
  });

  it('an approved call that was running when the server stopped runs again (the approval stands)', async () => {
    const calls: string[] = [];
    const runner = setup({ tools: [countingTool('lookup_order', calls), countingTool('refund_order', calls, { needsApproval: true })], responses: [textResponse('Refunded.')] });
    const at = new Date(0).toISOString();
    const history: Item[] = [
      ...messageInput(wf, 'refund order 1').history,
      { id: nextId(), type: 'tool_call', createdAt: at, agent: 'billing', callId: 'ok_1', name: 'refund_order', arguments: { order_id: '1' }, status: 'running' },
    ];
    const events = await collect(runner.runAgent(resumeInput(history), context()));
    expect(calls).toEqual(['ok_1:1']);
    expect(doneItems(events, 'tool_call')[0]).toMatchObject({ callId: 'ok_1', status: 'completed' });
    expect(finished(events).status).toBe('completed');
  });

  it('fails a running call whose tool the workflow no longer has, and tells the model', async () => {
    const runner = setup({ tools: [countingTool('lookup_order', []), countingTool('refund_order', [])], responses: [textResponse('Sorry, I could not finish that.')] });
    const at = new Date(0).toISOString();
    const history: Item[] = [
      ...messageInput(wf, 'refund order 1').history,
      { id: nextId(), type: 'tool_call', createdAt: at, agent: 'billing', callId: 'gone_1', name: 'cancel_order', arguments: { order_id: '1' }, status: 'running' },
    ];
    const events = await collect(runner.runAgent(resumeInput(history), context()));
    expect(doneItems(events, 'tool_call')[0]).toMatchObject({ callId: 'gone_1', status: 'failed', error: 'The tool "cancel_order" is not available right now.' });
    expect(runner.model.requests[0]?.input).toContainEqual(expect.objectContaining({ type: 'function_call_output', callId: 'gone_1' }));
    expect(finished(events).status).toBe('completed');
  });
});
