import type { Tool } from '@agent-chat/server';
import { lookupOrderTool, refundOrderTool } from './orders.ts';
import { searchDocsTool } from './search-docs.ts';
import { serviceStatusTool } from './service-status.ts';
import { getWeatherTool } from './weather.ts';

export { DEMO_ORDERS, findOrder, lookupOrderTool, refundOrderTool } from './orders.ts';
export { createSearchDocsTool, DEMO_DOCS_DIR, searchDocsTool, searchSections, readSections } from './search-docs.ts';
export { serviceStatusTool } from './service-status.ts';
export { demoWeather, getWeatherTool } from './weather.ts';

/** The demo shop's tools, for `createBuiltinToolRegistry(demoTools)` in the server's main. */
export const demoTools: readonly Tool[] = [lookupOrderTool, refundOrderTool, serviceStatusTool, searchDocsTool, getWeatherTool];
