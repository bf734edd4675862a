#!/usr/bin/env node
/**
 * The demo shop's inventory as an MCP server over stdio: `check_stock` (read-only) and
 * `reserve_item` (holds stock). agent-chat reaches it as the `inventory` connector of
 * demo/connectors.json (docs/connectors.md); any MCP client can run it with
 * `node demo/mcp/inventory-server.mjs`.
 *
 * Plain JavaScript on purpose: `node` runs it as it is, in a checkout and in the release image,
 * with no TypeScript loader. stdout is the protocol channel, so nothing else is printed there;
 * diagnostics go to stderr.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { createInventory } from './inventory-store.mjs';

const MAX_QUANTITY = 10;
const DEFAULT_HOLD_HOURS = 24;

const productStock = z.object({
  name: z.string(),
  sku: z.string(),
  size: z.string().optional(),
  price: z.number(),
  currency: z.literal('USD'),
  available: z.number().int().describe('Units free to sell over every warehouse'),
  warehouses: z.array(z.object({ warehouse: z.string(), available: z.number().int() })),
  shipping: z.string(),
});

const reservation = z.object({
  reservation_id: z.string().describe('The number the customer quotes to collect or buy the held items'),
  sku: z.string(),
  name: z.string(),
  size: z.string().optional(),
  quantity: z.number().int(),
  hold_hours: z.number().int(),
  held_until: z.string(),
  from_warehouses: z.array(z.object({ warehouse: z.string(), quantity: z.number().int() })),
  remaining_available: z.number().int(),
});

/** `$289.00` */
function usd(amount) {
  return `$${amount.toFixed(2)}`;
}

/** One line per product for the text content, the same facts as the structured content. */
function stockLine(p) {
  const where = p.warehouses.map((w) => `${w.warehouse} ${w.available}`).join(', ');
  const size = p.size ? ` (size ${p.size})` : '';
  return `${p.name}${size}, SKU ${p.sku}, ${usd(p.price)}: ${p.available} available (${where}). ${p.shipping}`;
}

/**
 * The MCP server with both tools, over its own copy of the stock.
 * @param {{ now?: () => Date }} [options]
 */
export function createInventoryServer(options = {}) {
  const inventory = createInventory(options);
  const server = new McpServer(
    { name: 'northwind-inventory', title: 'Northwind Outfitters inventory', version: '1.0.0' },
    { instructions: 'Stock levels and reservations of the Northwind Outfitters outdoor-gear shop. Call check_stock before reserve_item to learn the SKU.' },
  );

  server.registerTool(
    'check_stock',
    {
      title: 'Check stock',
      description:
        'Check whether a Northwind Outfitters product is in stock (tents, sleeping bags, boots, jackets, backpacks, socks): ' +
        'the matching products with their SKU, price, units available per warehouse and a shipping estimate. ' +
        'Use it for questions about stock, availability and sizes.',
      inputSchema: {
        item: z
          .string()
          .trim()
          .min(1)
          .max(120)
          .describe('The product name, words from it, or a SKU, e.g. "Alpine 2 tent", "hiking boots size 42" or "TN-2002"'),
        size: z.string().trim().min(1).max(8).optional().describe('A shoe (e.g. "42") or clothing size (S, M, L, XL) to narrow the answer to'),
      },
      outputSchema: {
        found: z.boolean(),
        query: z.string(),
        products: z.array(productStock).optional(),
        message: z.string().optional(),
      },
      annotations: { title: 'Check stock', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ item, size }) => {
      const result = inventory.checkStock(item, size);
      const text = result.found ? result.products.map(stockLine).join('\n') : result.message;
      return { content: [{ type: 'text', text }], structuredContent: result };
    },
  );

  server.registerTool(
    'reserve_item',
    {
      title: 'Reserve item',
      description:
        'Reserve (hold) units of one product for the customer so nobody else can buy them, for a number of hours. ' +
        'Takes them out of the available stock and returns a reservation number for the customer. ' +
        'Needs the exact SKU from check_stock (one size of a sized product has its own SKU).',
      inputSchema: {
        sku: z.string().trim().min(2).max(32).describe('The SKU from check_stock, e.g. "TN-2002" or "BT-4400-42"'),
        quantity: z.number().int().min(1).max(MAX_QUANTITY).describe(`How many units to hold, 1 to ${MAX_QUANTITY}`),
        hold_hours: z
          .number()
          .int()
          .min(1)
          .max(72)
          .optional()
          .describe(`How long to hold them, in hours (default ${DEFAULT_HOLD_HOURS})`),
        idempotency_key: z
          .string()
          .max(128)
          .optional()
          .describe('Optional: a retry with the same key returns the first reservation instead of holding stock twice'),
      },
      // Flat, so a client shows the reservation's fields directly; absent when nothing was found.
      outputSchema: {
        found: z.boolean(),
        ...reservation.partial().shape,
        repeated: z.boolean().optional().describe('True when an earlier call with the same idempotency key made this reservation'),
        message: z.string().optional(),
      },
      annotations: { title: 'Reserve item', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ sku, quantity, hold_hours, idempotency_key }) => {
      const result = inventory.reserve({ sku, quantity, holdHours: hold_hours ?? DEFAULT_HOLD_HOURS, key: idempotency_key });
      if (!result.ok && result.reason === 'unknown_sku') {
        return { content: [{ type: 'text', text: result.message }], structuredContent: { found: false, message: result.message } };
      }
      // Not enough stock is a refusal the model should explain: a tool error, not a result.
      if (!result.ok) return { content: [{ type: 'text', text: result.message }], isError: true };
      const r = result.reservation;
      const size = r.size ? ` (size ${r.size})` : '';
      const text = `Reserved ${r.quantity} × ${r.name}${size}: reservation ${r.reservation_id}, held until ${r.held_until}. ${r.remaining_available} left available.`;
      return { content: [{ type: 'text', text }], structuredContent: { found: true, ...r, ...(result.repeated ? { repeated: true } : {}) } };
    },
  );
  return server;
}

// Run as a program (not when a test imports createInventoryServer).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = createInventoryServer();
  await server.connect(new StdioServerTransport());
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stderr.write('northwind-inventory MCP server ready on stdio\n');
}
