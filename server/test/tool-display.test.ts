import type { Item, ThreadEvent } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../src/agents/errors.ts';
import { defineTool, z } from '../src/agents/tool.ts';
import { toolCallEvent, toolCallsResponse, textResponse } from '../src/testing/scripted-model.ts';
import { collect, context, doneItems, messageInput, setup, workflow } from './agents/helpers.ts';
import { useTestScope } from './helpers/test-scope.ts';
import type { TestClient } from './helpers/ws-client.ts';

type ToolCall = Extract<Item, { type: 'tool_call' }>;

/** The final state of every tool call of a thread's events. */
function toolCalls(events: ThreadEvent[]): ToolCall[] {
  const items = new Map<string, ToolCall>();
  for (const e of events) if ((e.type === 'item.added' || e.type === 'item.done') && e.item.type === 'tool_call') items.set(e.item.id, e.item);
  return [...items.values()];
}

describe('tool call titles and labels over WebSocket (demo support workflow, offline model)', () => {
  const scope = useTestScope();

  async function say(client: TestClient, threadId: string, text: string) {
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: text, text });
    if (accepted.type !== 'message.accepted') throw new Error(`not accepted: ${JSON.stringify(accepted)}`);
    const finished = await client.runFinished(accepted.runId);
    return { finished, events: client.events(threadId) };
  }

  it('Should send the refund card with the workflow title and labels, and keep them in the thread history', async () => {
    const s = await scope.boot();
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const { finished, events } = await say(client, threadId, 'refund order 1234');
    expect(finished.status).toBe('interrupted');
    const refund = toolCalls(events).find((c) => c.name === 'refund_order');
    const display = {
      title: 'Refund order {order_id} — {amount}',
      args: {
        order_id: { label: 'Order', format: 'text' },
        amount: { label: 'Amount', format: 'currency', currency: 'USD' },
        reason: { label: 'Reason', format: 'text' },
      },
    };
    expect(refund).toMatchObject({ status: 'awaiting_approval', arguments: { order_id: '1234' }, display });
    // The item.added the widget saw first already had it (the card never flashes the raw name).
    const firstSeen = events.find((e) => e.type === 'item.added' && e.item.id === refund?.id);
    expect(firstSeen?.type === 'item.added' && firstSeen.item.type === 'tool_call' && firstSeen.item.display).toEqual(display);

    const reopened = await client.request({ type: 'thread.open', threadId });
    const stored = reopened.type === 'thread.opened' ? (reopened.items ?? []).find((i) => i.id === refund?.id) : undefined;
    expect(stored).toMatchObject({ display });
  });

  it('Should report an unknown order as a completed lookup that found nothing, not a failure', async () => {
    const s = await scope.boot();
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const { finished, events } = await say(client, threadId, 'Where is my order 9999?');
    expect(finished.status).toBe('completed');
    const lookup = toolCalls(events).find((c) => c.name === 'lookup_order');
    expect(lookup).toMatchObject({
      status: 'completed',
      noMatch: true,
      output: { found: false, message: 'No order with number "9999".' },
      display: { title: 'Look up order {order_id}' },
    });
    expect(lookup?.error).toBeUndefined();
    const reply = events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'assistant_message' ? [e.item.text] : [])).at(-1);
    expect(reply).toContain("I couldn't find anything for order **9999**");
  });
});

describe('tool display and no-match in the run loop (code tools)', () => {
  const refund = defineTool({
    name: 'refund_order',
    description: 'Refund an order',
    parameters: z.object({ order_id: z.string(), amount: z.number(), reason: z.string().optional() }),
    title: 'Refund order {order_id} — {amount}',
    args: { amount: { label: 'Amount', format: 'currency', currency: 'EUR' }, order_id: { label: 'Order' } },
    execute: ({ order_id, amount }) => ({ order_id, amount }),
  });

  it('Should put a code tool’s title and labels on its items, with an agent’s reference laid over them', async () => {
    expect(refund.display).toEqual({
      title: 'Refund order {order_id} — {amount}',
      args: { amount: { label: 'Amount', format: 'currency', currency: 'EUR' }, order_id: { label: 'Order', format: 'text' } },
    });
    const wf = workflow([
      { id: 'billing', name: 'Billing', instructions: 'Refund.', tools: [{ name: 'refund_order', title: 'Give back {amount} for {order_id}', args: { reason: { label: 'Why' } } }] },
    ]);
    const { runAgent } = setup({
      tools: [refund],
      responses: [toolCallsResponse(toolCallEvent('refund_order', { order_id: '7', amount: 12.5 }, 'c1')), textResponse('Done.')],
    });
    const [call] = doneItems(await collect(runAgent(messageInput(wf, 'refund 7'), context())), 'tool_call');
    expect(call).toMatchObject({
      status: 'completed',
      display: {
        title: 'Give back {amount} for {order_id}',
        args: { amount: { label: 'Amount', format: 'currency', currency: 'EUR' }, order_id: { label: 'Order' }, reason: { label: 'Why' } },
      },
    });
    expect(call?.noMatch).toBeUndefined();
  });

  it('Should refuse a code tool whose title or labels name an argument it does not take', () => {
    const bad = () =>
      defineTool({ name: 'refund', description: 'x', parameters: z.object({ order_id: z.string() }), title: 'Refund {order}', args: { total: { label: 'Total' } }, execute: () => null });
    expect(bad).toThrow('Tool "refund": title: {order} is not a declared parameter; args.total: "total" is not a declared parameter.');
  });

  it('Should mark null, [] , "" and { found: false } as no match, and neither a thrown error nor other values', async () => {
    const outputs: Record<string, unknown> = { a: null, b: [], c: '  ', d: { found: false, message: 'No such order' }, e: { found: true }, f: {}, g: 0, h: [1] };
    const lookup = defineTool({
      name: 'lookup',
      description: 'Look something up',
      parameters: z.object({ key: z.string() }),
      execute: ({ key }) => {
        if (key === 'boom') throw new ToolError('The lookup service is down.');
        return outputs[key];
      },
    });
    const keys = [...Object.keys(outputs), 'boom'];
    const { runAgent } = setup({
      tools: [lookup],
      responses: [toolCallsResponse(...keys.map((key) => toolCallEvent('lookup', { key }, `c_${key}`))), textResponse('Done.')],
    });
    const wf = workflow([{ id: 'main', name: 'Main', instructions: 'Look up.', tools: ['lookup'] }], { limits: { maxTurns: 5, maxToolCalls: 20, runTimeoutMs: 10_000 } });
    const calls = doneItems(await collect(runAgent(messageInput(wf, 'look'), context())), 'tool_call');
    const byKey = Object.fromEntries(calls.map((c) => [c.arguments.key as string, { status: c.status, noMatch: c.noMatch }]));
    expect(byKey).toEqual({
      a: { status: 'completed', noMatch: true },
      b: { status: 'completed', noMatch: true },
      c: { status: 'completed', noMatch: true },
      d: { status: 'completed', noMatch: true },
      e: { status: 'completed', noMatch: undefined },
      f: { status: 'completed', noMatch: undefined },
      g: { status: 'completed', noMatch: undefined },
      h: { status: 'completed', noMatch: undefined },
      boom: { status: 'failed', noMatch: undefined },
    });
  });
});
