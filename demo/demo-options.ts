/**
 * The demo as a user of `@agent-chat/server`: its workflows (demo/workflows, unless
 * WORKFLOWS_DIR says otherwise), its connectors (demo/connectors.json, unless CONNECTORS_FILE
 * says otherwise), the shop's tools and its pages. demo/server.ts starts the
 * server with these; the tests and benches that run "the demo" use the same.
 */
import { fileURLToPath } from 'node:url';
import type { StartServerOptions } from '@agent-chat/server';
import { demoPages } from './pages.ts';
import { simulateOutages } from './simulated-outage.ts';
import { demoTools } from './tools/index.ts';

/** The demo's workflows: support (triage → orders, billing, docs) and weather. */
export const DEMO_WORKFLOWS_DIR = fileURLToPath(new URL('./workflows', import.meta.url));

/** The demo's connectors file: its own inventory MCP server (demo/mcp/inventory-server.mjs). */
export const DEMO_CONNECTORS_FILE = fileURLToPath(new URL('./connectors.json', import.meta.url));

/** `env` with WORKFLOWS_DIR and CONNECTORS_FILE defaulting to the demo's workflows and connectors. */
export function demoEnv(env: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  const defaults = {
    ...(env.WORKFLOWS_DIR?.trim() ? {} : { WORKFLOWS_DIR: DEMO_WORKFLOWS_DIR }),
    ...(env.CONNECTORS_FILE?.trim() ? {} : { CONNECTORS_FILE: DEMO_CONNECTORS_FILE }),
  };
  return Object.keys(defaults).length > 0 ? { ...env, ...defaults } : env;
}

/** What the demo adds to a server: its tools, its pages, and "simulate an outage" (a failed reply to retry). */
export const demoServerOptions = {
  tools: demoTools,
  routes: demoPages,
  wrapModels: simulateOutages,
} satisfies Partial<StartServerOptions>;
