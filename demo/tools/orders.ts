import { ToolError, defineTool, z } from '@agent-chat/server';

/** A made-up order of the Northwind Outfitters demo shop. */
export interface DemoOrder {
  order_id: string;
  status: 'processing' | 'shipped' | 'delivered';
  placed_on: string;
  items: { name: string; quantity: number; price: number }[];
  total: number;
  currency: 'USD';
  charges: { charge_id: string; amount: number; date: string; status: 'captured' | 'authorized' }[];
  tracking_number: string | null;
  note?: string;
}

/** Fixed data, so the demo and its tests always tell the same story (1234 was charged twice). */
export const DEMO_ORDERS: ReadonlyMap<string, DemoOrder> = new Map(
  (
    [
      {
        order_id: '1234',
        status: 'shipped',
        placed_on: '2026-11-02',
        items: [{ name: 'Trailhead 30L Backpack', quantity: 1, price: 59 }],
        total: 59,
        currency: 'USD',
        charges: [
          { charge_id: 'ch_1234_a', amount: 59, date: '2026-11-02', status: 'captured' },
          { charge_id: 'ch_1234_b', amount: 59, date: '2026-11-02', status: 'captured' },
        ],
        tracking_number: 'NW1234US',
        note: 'Charged twice: two captured charges of $59.00 on 2026-11-02 for one order; the second one is a duplicate.',
      },
      {
        order_id: '1001',
        status: 'delivered',
        placed_on: '2026-10-14',
        items: [{ name: 'Stormline Rain Jacket', quantity: 1, price: 129 }],
        total: 129,
        currency: 'USD',
        charges: [{ charge_id: 'ch_1001_a', amount: 129, date: '2026-10-15', status: 'captured' }],
        tracking_number: 'NW1001US',
      },
      {
        order_id: '2002',
        status: 'processing',
        placed_on: '2026-11-20',
        items: [
          { name: 'Merino Hiking Socks (3 pairs)', quantity: 1, price: 24 },
          { name: 'Insulated Bottle 750 ml', quantity: 2, price: 18 },
        ],
        total: 60,
        currency: 'USD',
        charges: [{ charge_id: 'ch_2002_a', amount: 60, date: '2026-11-20', status: 'authorized' }],
        tracking_number: null,
      },
      {
        order_id: '5678',
        status: 'shipped',
        placed_on: '2026-11-18',
        items: [{ name: 'Ridgeback 2-Person Tent', quantity: 1, price: 349 }],
        total: 349,
        currency: 'USD',
        charges: [{ charge_id: 'ch_5678_a', amount: 349, date: '2026-11-19', status: 'captured' }],
        tracking_number: 'NW5678EX',
      },
    ] satisfies DemoOrder[]
  ).map((order) => [order.order_id, order]),
);

const orderId = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .transform((id) => id.replace(/^#/, ''))
  .describe('The order number from the confirmation email, e.g. "1234"');

/** The order, or a ToolError the model can relay. */
export function findOrder(id: string): DemoOrder {
  const order = DEMO_ORDERS.get(id);
  if (!order) throw new ToolError(`No order with number "${id}" was found. Ask the visitor to check the number in their confirmation email.`);
  return order;
}

/** What `lookup_order` answers for an unknown number: a search that found nothing, not a failure. */
export interface OrderNotFound {
  found: false;
  order_id: string;
  message: string;
  next_step: string;
}

/**
 * `lookup_order(order_id)`: everything about one order, including its charges. An unknown number
 * is an answer (`found: false`), so the visitor's card reads "No order …" rather than failed.
 */
export const lookupOrderTool = defineTool({
  name: 'lookup_order',
  description:
    'Look up an order by its order number: status, items, total, the charges and payments made for it (spots a double or duplicate charge), shipping and tracking. Use when the visitor mentions an order, a charge on their card, a delivery or a package.',
  parameters: z.object({ order_id: orderId }),
  execute: ({ order_id }): DemoOrder | OrderNotFound => {
    const order = DEMO_ORDERS.get(order_id);
    if (order) return structuredClone(order);
    return {
      found: false,
      order_id,
      message: `No order with number "${order_id}".`,
      next_step: 'Ask the visitor to check the number in their confirmation email.',
    };
  },
});

/**
 * `refund_order(order_id, reason, amount?)`: needs the visitor's approval; refunds `amount`, or
 * without it the duplicate charge, else the order total.
 */
export const refundOrderTool = defineTool({
  name: 'refund_order',
  description:
    "Refund an order to the original payment method: a duplicate charge, or the whole order. It needs the visitor's approval before it runs. Use only when the visitor asks for a refund or their money back.",
  parameters: z.object({
    order_id: orderId,
    reason: z.string().trim().min(1).max(500).describe('Why the refund is given, in a few words'),
    amount: z
      .number()
      .positive()
      .optional()
      .describe('The amount to refund in USD as lookup_order reported it (the duplicate charge, or the order total); leave out when unsure'),
  }),
  needsApproval: true,
  execute: ({ order_id, reason, amount: asked }) => {
    const order = findOrder(order_id);
    if (asked !== undefined && asked > order.total) {
      throw new ToolError(`Order ${order.order_id} totals ${order.total} ${order.currency}: a refund cannot be larger.`);
    }
    const captured = order.charges.filter((charge) => charge.status === 'captured');
    const duplicate = captured.length > 1 ? captured[captured.length - 1] : undefined;
    const amount = asked ?? (duplicate ? duplicate.amount : order.total);
    return {
      refund_id: `RF-${order.order_id}`,
      order_id: order.order_id,
      status: 'refunded',
      amount,
      currency: order.currency,
      refunded_charge: duplicate?.charge_id ?? 'all charges',
      reason,
      arrives_in: '5–7 business days',
    };
  },
});
