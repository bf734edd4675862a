import type { Workflow } from '@agent-chat/shared';
import type { RunAgent } from '../../src/agents/run-types.ts';
import { loadConfig } from '../../src/config.ts';
import { type AgentChatServer, type CreateServerOptions, createServer } from '../../src/index.ts';
import { DEMO_CONNECTORS_FILE, DEMO_WORKFLOWS_DIR, demoServerOptions } from '../../../demo/demo-options.ts';
import { silentLogger } from '../../src/logger.ts';
import type { SqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { tempDataDir } from './temp-dir.ts';

export { removeDir, tempDataDir } from './temp-dir.ts';


/** The server's storage as SQLite (the engine tests run on unless they ask for Postgres), for assertions on its tables. */
export function sqliteOf(server: AgentChatServer): SqliteStorage {
  if (server.storage.engine !== 'sqlite') throw new Error(`this test reads SQLite tables, but the server runs on ${server.storage.engine}`);
  return server.storage as SqliteStorage;
}

/** Every quota off (`0`): for tests and benches whose one client does far more than a visitor. */
export const NO_QUOTAS: Readonly<Record<string, string>> = {
  MAX_CONCURRENT_RUNS: '0',
  RUNS_PER_MINUTE: '0',
  RUNS_PER_MINUTE_PER_IP: '0',
  THREADS_PER_DAY: '0',
  SOCKETS_PER_IP: '0',
  HELLOS_PER_MINUTE_PER_IP: '0',
  DAILY_TOKENS_PER_IDENTITY: '0',
  DAILY_TOKENS_PER_SITE: '0',
};

export interface TestServerOptions extends Omit<CreateServerOptions, 'config'> {
  /** Reuse a data directory (restart tests); a new temp one by default. */
  dataDir?: string;
  /** Extra environment (e.g. OFFLINE_MODEL_DELAY_MS; SHUTDOWN_GRACE_MS is 0 unless set, so `close()` cuts replies at once). */
  env?: Record<string, string>;
  workflows?: ReadonlyMap<string, Workflow>;
  runAgent?: RunAgent;
}

/** A listening server on 127.0.0.1, port 0, with a temporary SQLite file. */
export interface TestServer {
  server: AgentChatServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the REAL stack by default: the demo workflows (demo/workflows), connectors (the inventory
 * MCP server of demo/connectors.json, started on first use), tools and pages, and
 * the offline model reached through the real `openai` client. Pass `runAgent` + `workflows`
 * for a scripted run loop instead.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { dataDir = tempDataDir(), env = {}, ...rest } = options;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '0', WORKFLOWS_DIR: DEMO_WORKFLOWS_DIR, CONNECTORS_FILE: DEMO_CONNECTORS_FILE, SHUTDOWN_GRACE_MS: '0', ...env });
  // The same env also holds the secrets a sites file names.
  const server = await createServer({ log: silentLogger, ...demoServerOptions, env, ...rest, config });
  const { url } = await server.listen();
  return { server, url, wsUrl: `${url.replace(/^http/, 'ws')}/v1/ws`, dataDir, close: () => server.close() };
}
