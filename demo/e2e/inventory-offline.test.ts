import type { Item, Workflow } from '@agent-chat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunAgent } from '../../server/src/agents/run-loop.ts';
import { ConnectorRegistry, loadConnectors } from '../../server/src/connectors/index.ts';
import { silentLogger } from '../../server/src/logger.ts';
import { createModelProvider } from '../../server/src/models/openai-provider.ts';
import { createBuiltinToolRegistry } from '../../server/src/workflows/builtin-tools.ts';
import { loadWorkflows } from '../../server/src/workflows/load-workflows.ts';
import { applyEvents, approvalInput, collect, context, doneItems, finished, messageInput } from '../../server/test/agents/helpers.ts';
import { DEMO_CONNECTORS_FILE, DEMO_WORKFLOWS_DIR } from '../demo-options.ts';
import { demoTools } from '../tools/index.ts';

// The demo support desk as support.json and connectors.json describe it, on the offline model
// (through the real openai client), with the product agent's inventory tools served by the
// demo's own MCP server over stdio through the server's connector registry:
// "is the Alpine 2 tent in stock?" → triage → product → check_stock → a plain answer;
// "reserve 2 of them" → approval → the reservation number.
const specs = loadConnectors(DEMO_CONNECTORS_FILE, {});
const tools = createBuiltinToolRegistry(demoTools);
const support: Workflow = loadWorkflows(DEMO_WORKFLOWS_DIR, { tools, connectors: new Map(specs.map((spec) => [spec.id, spec])) }).get('support')!;
let connectors: ConnectorRegistry;

beforeAll(() => {
  connectors = new ConnectorRegistry(specs, { env: {}, log: silentLogger, clientInfo: { name: 'inventory-offline-test', version: '1.0.0' } });
});

afterAll(async () => {
  await connectors?.close();
});

/** Units of a SKU the server has free now, asked over the same connector. */
async function available(sku: string): Promise<number | undefined> {
  const result = await connectors.get('inventory')!.callTool('check_stock', { item: sku }, { signal: new AbortController().signal, timeoutMs: 10_000 });
  const output = result.output as { data?: { products?: Array<{ available: number }> }; products?: Array<{ available: number }> };
  return (output.data?.products ?? output.products)?.[0]?.available;
}

const runAgent = () => createRunAgent({ models: createModelProvider(), tools, connectors, log: () => {} });

describe('demo support desk with the inventory connector, offline', () => {
  it('"is the Alpine 2 tent in stock?" → product → check_stock → a plain answer; "reserve 2 of them" → approval → a reservation', async () => {
    const ask = messageInput(support, 'Is the Alpine 2 tent in stock?');
    const first = await collect(runAgent()(ask, context()));
    expect(finished(first).status).toBe('completed');
    expect(doneItems(first, 'handoff')).toEqual([expect.objectContaining({ from: 'triage', to: 'product' })]);
    const checks = doneItems(first, 'tool_call');
    expect(checks).toEqual([expect.objectContaining({ name: 'inventory__check_stock', arguments: { item: 'Alpine 2 tent' }, status: 'completed' })]);
    const answer = doneItems(first, 'assistant_message').at(-1);
    expect(answer?.agent).toBe('product');
    expect(answer?.text).toContain('**Alpine 2 Tent**');
    expect(answer?.text).toContain('- **Available:** 6');
    expect(answer?.text).toContain('Portland, OR: 4 · Denver, CO: 2 · Atlanta, GA: 0');
    expect(answer?.text).not.toMatch(/TN-2002|\{"/);

    let items: Item[] = applyEvents(ask.history, first);
    const reserve = messageInput(support, 'reserve 2 of them', items, 'product');
    const second = await collect(runAgent()(reserve, context()));
    expect(finished(second).status).toBe('interrupted');
    const pending = doneItems(second, 'tool_call').find((c) => c.status === 'awaiting_approval');
    expect(pending).toMatchObject({ name: 'inventory__reserve_item', arguments: { sku: 'TN-2002', quantity: 2 } });
    items = applyEvents(reserve.history, second);

    const third = await collect(runAgent()(approvalInput(support, items, [{ callId: pending!.callId, approved: true }], 'product'), context()));
    expect(finished(third).status).toBe('completed');
    const done = doneItems(third, 'tool_call')[0];
    // Structured content with the server's prose summary beside it.
    expect(done).toMatchObject({ status: 'completed', output: { data: expect.objectContaining({ reservation_id: expect.stringMatching(/^RSV-\d+$/), quantity: 2 }), text: expect.stringContaining('Reserved 2 × Alpine 2 Tent') } });
    const reservationId = (done?.output as { data: { reservation_id: string } }).data.reservation_id;
    const reply = doneItems(third, 'assistant_message').at(-1)?.text ?? '';
    expect(reply).toMatch(/^Done: I reserved 2 × \*\*Alpine 2 Tent\*\*/);
    expect(reply).toContain(`- **Reservation ID:** ${reservationId}`);

    // The stock really went down on the server.
    expect(await available('TN-2002')).toBe(4);
  });

  it('a denied reservation holds nothing and is said in words', async () => {
    const ask = messageInput(support, 'please reserve one BT-4400-42', [], 'product');
    const first = await collect(runAgent()(ask, context()));
    const pending = doneItems(first, 'tool_call').find((c) => c.status === 'awaiting_approval');
    expect(pending).toMatchObject({ name: 'inventory__reserve_item', arguments: { sku: 'BT-4400-42', quantity: 1 } });
    const items = applyEvents(ask.history, first);
    const second = await collect(runAgent()(approvalInput(support, items, [{ callId: pending!.callId, approved: false }], 'product'), context()));
    expect(doneItems(second, 'tool_call')[0]).toMatchObject({ status: 'denied' });
    expect(doneItems(second, 'assistant_message').at(-1)?.text).toContain('I did not reserve item **BT-4400-42**, because the request was not approved.');
    expect(await available('BT-4400-42')).toBe(4);
  });

  it('a product the shop does not carry completes as "nothing found", not as a failure', async () => {
    const ask = messageInput(support, 'do you have the unicorn saddle in stock?', [], 'product');
    const events = await collect(runAgent()(ask, context()));
    expect(finished(events).status).toBe('completed');
    const check = doneItems(events, 'tool_call')[0];
    expect(check).toMatchObject({ name: 'inventory__check_stock', status: 'completed', noMatch: true });
    expect(check?.error).toBeUndefined();
  });
});
