import type { ModelInputItem, ModelTool } from '../../src/models/model.ts';

/** The demo support desk as the run loop would offer it to the model. */
const tool = (name: string, description: string, properties: Record<string, unknown> = {}, required: string[] = []): ModelTool => ({
  name,
  description,
  parameters: { type: 'object', properties, required },
});

export const triage = {
  instructions: 'You are the Acme front desk. Greet visitors and hand them to the right team.',
  tools: [
    tool('transfer_to_billing', 'Charges, refunds, invoices, payments'),
    tool('transfer_to_technical', 'Errors, outages, bugs, login problems'),
    tool('transfer_to_product', 'Features, plans, pricing, how to'),
  ],
};

export const billing = {
  instructions: 'You are the billing specialist at Acme. Be precise about amounts.',
  tools: [
    tool('lookup_order', 'Look up an order by its id: status, total and the charges made.', { order_id: { type: 'string' } }, ['order_id']),
    tool('refund_order', 'Refund an order to the original payment method.', { order_id: { type: 'string' }, reason: { type: 'string' } }, ['order_id', 'reason']),
    tool('transfer_to_triage', 'Anything that is not about billing'),
  ],
};

export const technical = {
  instructions: 'You are the technical support engineer at Acme.',
  tools: [
    tool('service_status', 'Current status of Acme services and any ongoing incidents.'),
    tool('search_docs', 'Search the help center articles.', { query: { type: 'string' } }, ['query']),
  ],
};

export const product = {
  instructions: 'You are the product expert at Acme.',
  tools: [tool('search_docs', 'Search the help center articles.', { query: { type: 'string' } }, ['query'])],
};

export const weather = {
  instructions: 'You are a friendly weather assistant.',
  tools: [tool('get_weather', 'Current weather for a city.', { city: { type: 'string' } }, ['city'])],
};

export const user = (content: string): ModelInputItem => ({ type: 'message', role: 'user', content });
export const assistant = (content: string): ModelInputItem => ({ type: 'message', role: 'assistant', content });
export const call = (callId: string, name: string, args: unknown = {}): ModelInputItem => ({ type: 'function_call', callId, name, arguments: JSON.stringify(args) });
export const output = (callId: string, value: unknown): ModelInputItem => ({
  type: 'function_call_output',
  callId,
  output: typeof value === 'string' ? value : JSON.stringify(value),
});

/** A handoff as the run loop records it: the call and its output. */
export const handoff = (to: string): ModelInputItem[] => [call(`h_${to}`, `transfer_to_${to}`), output(`h_${to}`, { assistant: to })];

export const order1234 = {
  order_id: '1234',
  status: 'delivered',
  total: 59,
  currency: 'USD',
  charges: [
    { amount: 59, date: '2026-11-02T10:00:00Z' },
    { amount: 59, date: '2026-11-02T10:00:04Z' },
  ],
  note: 'Charged twice: two charges of $59.00 on 2026-11-02 for one order.',
};
