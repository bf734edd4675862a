import type { ModelTool } from '../../src/models/model.ts';

/**
 * The demo inventory MCP server's tools (demo/mcp/inventory-server.mjs) as the connector
 * registry offers them to a model: named `<connector>__<tool>`, with the server's own
 * descriptions and JSON schemas. demo/e2e/inventory-mcp.test.ts checks that these are what the
 * running server lists, so the offline model is tested against the real schemas.
 */
export const MCP_INVENTORY_SCHEMAS = {
  check_stock: {
    description:
      'Check whether a Northwind Outfitters product is in stock (tents, sleeping bags, boots, jackets, backpacks, socks): the matching products with their SKU, price, units available per warehouse and a shipping estimate. Use it for questions about stock, availability and sizes.',
    inputSchema: {
      type: 'object',
      properties: {
        item: {
          type: 'string',
          minLength: 1,
          maxLength: 120,
          description: 'The product name, words from it, or a SKU, e.g. "Alpine 2 tent", "hiking boots size 42" or "TN-2002"',
        },
        size: {
          description: 'A shoe (e.g. "42") or clothing size (S, M, L, XL) to narrow the answer to',
          type: 'string',
          minLength: 1,
          maxLength: 8,
        },
      },
      required: ['item'],
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
  },
  reserve_item: {
    description:
      'Reserve (hold) units of one product for the customer so nobody else can buy them, for a number of hours. Takes them out of the available stock and returns a reservation number for the customer. Needs the exact SKU from check_stock (one size of a sized product has its own SKU).',
    inputSchema: {
      type: 'object',
      properties: {
        sku: { type: 'string', minLength: 2, maxLength: 32, description: 'The SKU from check_stock, e.g. "TN-2002" or "BT-4400-42"' },
        quantity: { type: 'integer', minimum: 1, maximum: 10, description: 'How many units to hold, 1 to 10' },
        hold_hours: { description: 'How long to hold them, in hours (default 24)', type: 'integer', minimum: 1, maximum: 72 },
        idempotency_key: {
          description: 'Optional: a retry with the same key returns the first reservation instead of holding stock twice',
          type: 'string',
          maxLength: 128,
        },
      },
      required: ['sku', 'quantity'],
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
  },
} as const;

/** The tools as the model sees them, `inventory__check_stock` and `inventory__reserve_item`. */
export const inventoryTools: ModelTool[] = Object.entries(MCP_INVENTORY_SCHEMAS).map(([name, tool]) => ({
  name: `inventory__${name}`,
  description: tool.description,
  parameters: structuredClone(tool.inputSchema) as unknown as ModelTool['parameters'],
}));

/** What check_stock returned for "Alpine 2 tent" (its structured content). */
export const alpine2Stock = {
  found: true,
  query: 'Alpine 2 tent',
  products: [
    {
      name: 'Alpine 2 Tent',
      sku: 'TN-2002',
      price: 329,
      currency: 'USD',
      available: 6,
      warehouses: [
        { warehouse: 'Portland, OR', available: 4 },
        { warehouse: 'Denver, CO', available: 2 },
        { warehouse: 'Atlanta, GA', available: 0 },
      ],
      shipping: 'Ships in 1–2 business days from Portland, OR.',
    },
  ],
};

/** What reserve_item returned for 2 × TN-2002. */
export const alpine2Reservation = {
  found: true,
  reservation_id: 'RSV-1001',
  sku: 'TN-2002',
  name: 'Alpine 2 Tent',
  quantity: 2,
  hold_hours: 24,
  held_until: '2026-12-01T16:00:00.000Z',
  from_warehouses: [{ warehouse: 'Portland, OR', quantity: 2 }],
  remaining_available: 4,
};
