import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MCP_INVENTORY_SCHEMAS, alpine2Stock } from '../../server/test/models/mcp-inventory.ts';

// The demo's inventory MCP server as the connector registry starts it: the command and
// arguments of demo/connectors.json, run from that file's folder, spoken to over stdio by the
// SDK's own client. Each test gets a fresh process, so a fresh stock room.
const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
const connectors = JSON.parse(readFileSync(`${DEMO_DIR}/connectors.json`, 'utf8')) as {
  connectors: Array<{ id: string; approval: string[]; transport: { type: string; command: string; args: string[]; env: Record<string, string> } }>;
};
const inventory = connectors.connectors.find((c) => c.id === 'inventory');

let client: Client;
let stderr = '';

beforeEach(async () => {
  if (!inventory) throw new Error('demo/connectors.json has no inventory connector');
  // `node` from the file, resolved to this very Node binary (the test may run under another PATH).
  const command = inventory.transport.command === 'node' ? process.execPath : inventory.transport.command;
  const transport = new StdioClientTransport({
    command,
    args: inventory.transport.args,
    cwd: DEMO_DIR,
    env: { ...getDefaultEnvironment(), ...inventory.transport.env },
    stderr: 'pipe',
  });
  stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  client = new Client({ name: 'inventory-e2e', version: '1.0.0' });
  await client.connect(transport);
});

afterEach(async () => {
  await client?.close();
});

type Structured = Record<string, unknown>;

async function call(name: string, args: Record<string, unknown>): Promise<{ structured: Structured | undefined; text: string; isError: boolean }> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return {
    structured: result.structuredContent as Structured | undefined,
    text: content.map((part) => part.text ?? '').join('\n'),
    isError: result.isError === true,
  };
}

async function available(sku: string): Promise<number> {
  const { structured } = await call('check_stock', { item: sku });
  const products = structured?.products as Array<{ sku: string; available: number }>;
  const product = products.find((p) => p.sku === sku);
  if (!product) throw new Error(`no ${sku} in ${JSON.stringify(structured)}`);
  return product.available;
}

describe('the demo inventory MCP server over stdio', () => {
  it('lists both tools with schemas, titles and annotations; the registry file asks approval for reserve_item', async () => {
    expect(inventory?.approval).toEqual(['reserve_item']);
    expect(client.getServerVersion()?.name).toBe('northwind-inventory');
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()].sort()).toEqual(['check_stock', 'reserve_item']);
    const check = byName.get('check_stock');
    expect(check?.title).toBe('Check stock');
    expect(check?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(check?.inputSchema.required).toEqual(['item']);
    expect(check?.description).toMatch(/in stock/);
    const reserve = byName.get('reserve_item');
    expect(reserve?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(reserve?.inputSchema.required).toEqual(['sku', 'quantity']);
    expect(reserve?.inputSchema.properties?.quantity).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(reserve?.outputSchema?.properties).toHaveProperty('reservation_id');
    // The offline model's tests use these very schemas and descriptions.
    for (const [name, expected] of Object.entries(MCP_INVENTORY_SCHEMAS)) {
      expect({ description: byName.get(name)?.description, inputSchema: byName.get(name)?.inputSchema }).toEqual(expected);
    }
    // Only protocol on stdout: a diagnostic line went to stderr and did not break the session.
    expect(stderr).toContain('ready on stdio');
  });

  it('check_stock finds a product by name, per warehouse, with structured content and a text summary', async () => {
    const { structured, text, isError } = await call('check_stock', { item: 'Alpine 2 tent' });
    expect(isError).toBe(false);
    // Exactly what the offline model's tests use as this call's result ("Alpine 4 Tent" and the
    // other tents match fewer words and are left out).
    expect(structured).toEqual(alpine2Stock);
    expect(text).toContain('Alpine 2 Tent, SKU TN-2002, $329.00: 6 available');
  });

  it('check_stock narrows a sized product to the size asked for, in the words or the size field', async () => {
    const said = await call('check_stock', { item: 'trail boot size 42' });
    expect((said.structured?.products as Array<{ sku: string }>).map((p) => p.sku)).toEqual(['BT-4400-42']);
    const field = await call('check_stock', { item: 'Stormline rain jacket', size: 'xl' });
    expect(field.structured?.products).toEqual([expect.objectContaining({ sku: 'JK-5100-XL', available: 0, shipping: 'Out of stock everywhere.' })]);
  });

  it('check_stock answers found: false for an unknown product and for a size that does not exist', async () => {
    const none = await call('check_stock', { item: 'unicorn saddle' });
    expect(none.isError).toBe(false);
    expect(none.structured).toMatchObject({ found: false, query: 'unicorn saddle' });
    expect(none.structured?.products).toBeUndefined();
    expect(none.text).toMatch(/No product in the catalog matches “unicorn saddle”/);
    const size = await call('check_stock', { item: 'trail boot size 50' });
    expect(size.structured).toMatchObject({ found: false, message: expect.stringContaining('sizes: 38, 39') });
  });

  it('reserve_item holds stock: the reservation has a number and the stock goes down', async () => {
    expect(await available('TN-2002')).toBe(6);
    const { structured, text, isError } = await call('reserve_item', { sku: 'TN-2002', quantity: 2 });
    expect(isError).toBe(false);
    expect(structured).toMatchObject({ found: true, sku: 'TN-2002', quantity: 2, hold_hours: 24, remaining_available: 4 });
    expect(structured).not.toHaveProperty('repeated');
    expect(structured?.reservation_id).toMatch(/^RSV-\d+$/);
    expect(Date.parse(String(structured?.held_until))).toBeGreaterThan(Date.now());
    expect(text).toContain(`reservation ${String(structured?.reservation_id)}`);
    expect(await available('TN-2002')).toBe(4);
  });

  it('reserve_item with the same idempotency key holds stock once', async () => {
    const first = await call('reserve_item', { sku: 'BT-4400-42', quantity: 1, idempotency_key: 'thread-1/call-7' });
    const again = await call('reserve_item', { sku: 'BT-4400-42', quantity: 1, idempotency_key: 'thread-1/call-7' });
    expect(again.structured?.reservation_id).toBe(first.structured?.reservation_id);
    expect(again.structured?.repeated).toBe(true);
    expect(await available('BT-4400-42')).toBe(3);
  });

  it('reserve_item refuses more than there is (a tool error), an unknown SKU (found: false) and a bad quantity', async () => {
    const tooMany = await call('reserve_item', { sku: 'TN-2004', quantity: 3 });
    expect(tooMany.isError).toBe(true);
    expect(tooMany.text).toBe('Only 1 × Alpine 4 Tent available, so 3 cannot be reserved.');
    expect(await available('TN-2004')).toBe(1);
    const unknown = await call('reserve_item', { sku: 'XX-0000', quantity: 1 });
    expect(unknown.structured).toMatchObject({ found: false });
    const zero = await call('reserve_item', { sku: 'TN-2002', quantity: 0 });
    expect(zero.isError).toBe(true);
    expect(zero.text).toMatch(/quantity/);
    expect(await available('TN-2002')).toBe(6);
  });
});
