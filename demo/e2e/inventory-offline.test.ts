import type { Item, McpToolRef, Workflow } from '@agent-chat/shared';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConnectorHandle } from '../../server/src/agents/mcp-tool-source.ts';
import { createRunAgent } from '../../server/src/agents/run-loop.ts';
import { createModelProvider } from '../../server/src/models/openai-provider.ts';
import { createBuiltinToolRegistry } from '../../server/src/workflows/builtin-tools.ts';
import { loadWorkflows } from '../../server/src/workflows/load-workflows.ts';
import { applyEvents, approvalInput, collect, context, doneItems, finished, messageInput } from '../../server/test/agents/helpers.ts';
import { DEMO_CONNECTORS_FILE, DEMO_WORKFLOWS_DIR } from '../demo-options.ts';
import { demoTools } from '../tools/index.ts';

// The demo support desk on the offline model (through the real openai client) with the
// product agent given the inventory connector's tools, served by the real inventory MCP
// server over stdio: "is the Alpine 2 tent in stock?" → triage → product → check_stock →
// a plain answer; "reserve 2 of them" → approval → the reservation number.
//
// The connector here is a small stand-in over the SDK's client (the registry's own client
// reads demo/connectors.json the same way): its command, arguments, folder and approvals.
const connectorsFile = (await import(DEMO_CONNECTORS_FILE, { with: { type: 'json' } })).default as {
  connectors: Array<{ id: string; approval: string[]; callTimeoutMs: number; transport: { command: string; args: string[]; env: Record<string, string> } }>;
};
const spec = connectorsFile.connectors.find((c) => c.id === 'inventory')!;
const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));

let client: Client;
const inventory: McpConnectorHandle = {
  id: 'inventory',
  callTimeoutMs: spec.callTimeoutMs,
  needsApproval: (tool) => spec.approval.includes(tool),
  async listTools() {
    const { tools } = await client.listTools();
    return tools.map((t) => ({ name: t.name, ...(t.title ? { title: t.title } : {}), ...(t.description ? { description: t.description } : {}), inputSchema: { ...t.inputSchema, properties: t.inputSchema.properties ?? {} } }));
  },
  async callTool(name, args, { signal, timeoutMs }) {
    const result = await client.callTool({ name, arguments: args }, undefined, { signal, timeout: timeoutMs });
    const text = ((result.content ?? []) as Array<{ type: string; text?: string }>).map((part) => part.text ?? '').join('\n');
    return { output: result.structuredContent ?? text, images: [], isError: result.isError === true };
  },
};

/** The tool entry the product agent gets: what demo/workflows/support.json names. */
const inventoryRef: McpToolRef = {
  kind: 'mcp',
  connector: 'inventory',
  tools: ['check_stock', 'reserve_item'],
  display: {
    check_stock: { title: 'Check stock: {item}', args: { item: { label: 'Item', format: 'text' } } },
    reserve_item: { title: 'Reserve {quantity} × {sku}', args: { sku: { label: 'SKU', format: 'text' }, quantity: { label: 'Quantity', format: 'number' } } },
  },
};

const tools = createBuiltinToolRegistry(demoTools);
let support: Workflow;

beforeAll(async () => {
  const transport = new StdioClientTransport({
    command: spec.transport.command === 'node' ? process.execPath : spec.transport.command,
    args: spec.transport.args,
    cwd: DEMO_DIR,
    env: { ...getDefaultEnvironment(), ...spec.transport.env },
    stderr: 'ignore',
  });
  client = new Client({ name: 'inventory-offline-test', version: '1.0.0' });
  await client.connect(transport);
  const workflows = loadWorkflows(DEMO_WORKFLOWS_DIR, { tools, connectors: new Map([['inventory', { block: [] }]]) });
  const loaded = workflows.get('support')!;
  const named = loaded.agents.find((a) => a.id === 'product')!.tools.some((ref) => typeof ref === 'object' && 'kind' in ref && ref.kind === 'mcp');
  // support.json names the connector once the server reads CONNECTORS_FILE; until then the test adds the same entry.
  support = named
    ? loaded
    : { ...loaded, agents: loaded.agents.map((a) => (a.id === 'product' ? { ...a, tools: [...a.tools, inventoryRef] } : a)) };
});

afterAll(async () => {
  await client?.close();
});

const runAgent = () => createRunAgent({ models: createModelProvider(), tools, connectors: new Map([['inventory', inventory]]), log: () => {} });

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
    expect(done).toMatchObject({ status: 'completed', output: expect.objectContaining({ reservation_id: expect.stringMatching(/^RSV-\d+$/), quantity: 2 }) });
    const reservationId = (done?.output as { reservation_id: string }).reservation_id;
    const reply = doneItems(third, 'assistant_message').at(-1)?.text ?? '';
    expect(reply).toMatch(/^Done: I reserved 2 × \*\*Alpine 2 Tent\*\*/);
    expect(reply).toContain(`- **Reservation ID:** ${reservationId}`);

    // The stock really went down on the server.
    const after = await client.callTool({ name: 'check_stock', arguments: { item: 'TN-2002' } });
    expect((after.structuredContent as { products: Array<{ available: number }> }).products[0]?.available).toBe(4);
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
    const after = await client.callTool({ name: 'check_stock', arguments: { item: 'BT-4400-42' } });
    expect((after.structuredContent as { products: Array<{ available: number }> }).products[0]?.available).toBe(4);
  });
});
