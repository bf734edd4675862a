import { defineTool, z } from '@agent-chat/server';

/** `service_status()`: the (fixed) live status of the demo shop's services. */
export const serviceStatusTool = defineTool({
  name: 'service_status',
  description:
    'Check the live service status of the Northwind website, mobile app, checkout, payments and order tracking: outages, incidents, errors, crashes, slowness, whether something is down.',
  parameters: z.object({}),
  execute: () => ({
    overall: 'degraded',
    updated_at: '2026-11-21T09:30:00Z',
    services: [
      { name: 'Website', status: 'operational' },
      { name: 'Mobile app', status: 'operational' },
      { name: 'Checkout and payments', status: 'operational' },
      { name: 'Order tracking', status: 'degraded', detail: 'Tracking updates are delayed by up to 2 hours.' },
    ],
    incident: 'Order tracking updates are delayed; orders themselves ship on time. A fix is being rolled out.',
  }),
});
