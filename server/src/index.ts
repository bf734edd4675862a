import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Workflow } from '@agent-chat/shared';
import type { Hono } from 'hono';
import type { Server } from 'node:http';
import type { Guardrail } from './agents/guardrails/guardrail.ts';
import { createGuardrailRegistry } from './agents/guardrails/guardrail.ts';
import { createRunAgent } from './agents/run-loop.ts';
import { createTextScreen } from './agents/guardrails/screen-text.ts';
import type { RunAgent } from './agents/run-types.ts';
import type { Tool } from './agents/tool.ts';
import { adminRoutes } from './admin/admin-routes.ts';
import { createApp } from './app.ts';
import { type Config, describeModelMode, loadConfig } from './config.ts';
import { ConversationService } from './conversation/conversation-service.ts';
import { EventLog } from './conversation/event-log.ts';
import { RemoteEvents } from './conversation/remote-events.ts';
import { type Retention, startRetention } from './conversation/retention.ts';
import { ThreadHub } from './conversation/thread-hub.ts';
import { IdentityService } from './identity/identity-service.ts';
import type { Logger } from './logger.ts';
import { loggerFor } from './pino-logger.ts';
import type { ModelProvider } from './models/model.ts';
import { createModelProvider } from './models/openai-provider.ts';
import { QuotaService } from './quota/quota-service.ts';
import { type LoadedSites, SitesLoadError, loadSites, unknownWorkflows } from './sites/load-sites.ts';
import { DATABASE_FILE } from './store/sqlite/database.ts';
import { createPostgresStorage } from './store/postgres/postgres-storage.ts';
import { createSqliteStorage } from './store/sqlite/sqlite-storage.ts';
import type { Storage } from './store/storage.ts';
import { DEFAULT_TRANSPORT, type TransportOptions, type WebSocketTransport, attachWebSocketTransport } from './transport/websocket-transport.ts';
import { createBuiltinToolRegistry } from './workflows/builtin-tools.ts';
import { loadWorkflows } from './workflows/load-workflows.ts';
import { metricsRoute } from './http/metrics-route.ts';
import { readyRoute } from './http/ready-route.ts';
import { instrumentModels } from './models/instrumented-provider.ts';
import { type Metrics, createMetrics } from './observability/metrics.ts';

export { type Config, ConfigError, loadConfig } from './config.ts';
export { SitesLoadError } from './sites/load-sites.ts';
export { childLogger, consoleLogger, silentLogger, type LogFields, type Logger } from './logger.ts';
// The extension surface: what a site's own tools and guardrails are written with.
export { defineTool, z, type Tool, type ToolContext, type ToolDefinition } from './agents/tool.ts';
export { ToolError, WorkflowLoadError } from './agents/errors.ts';
export {
  defineGuardrail,
  defineInputGuardrail,
  defineOutputGuardrail,
  type Guardrail,
  type GuardrailContext,
  type GuardrailResult,
} from './agents/guardrails/guardrail.ts';
export { createRunAgent } from './agents/run-loop.ts';
export type { RunAgent, RunInput, RunContext } from './agents/run-types.ts';
export { createModelProvider } from './models/openai-provider.ts';
export type { Model, ModelEvent, ModelProvider, ModelRequest } from './models/model.ts';
export { loadWorkflows } from './workflows/load-workflows.ts';
export type { Metrics } from './observability/metrics.ts';

/** With several instances on one database, a run's deltas are compacted this long after it finished. */
const COMPACTION_DELAY_MS = 10_000;

/** What a server is made of. Only `config` is required; the rest replace defaults (tests, custom sites). */
export interface CreateServerOptions {
  config: Config;
  /** Site tools that workflows may name, added to the built-in ones (the demo passes `demoTools`). */
  tools?: Iterable<Tool>;
  /** Custom guardrails that workflows name with `{ "kind": "custom", "ref": … }`. */
  guardrails?: Iterable<Guardrail>;
  /** Use these workflows instead of loading `config.workflowsDir`. */
  workflows?: ReadonlyMap<string, Workflow>;
  /** Use this model provider instead of the one `config` describes. */
  models?: ModelProvider;
  /** Use this run loop instead of the real one (tests with a scripted agent). */
  runAgent?: RunAgent;
  /** Transport tuning (tests shorten timers and limits). */
  transport?: Partial<TransportOptions>;
  /** The clock quotas read, in ms since the epoch (tests move it instead of waiting). */
  quotaClock?: () => number;
  log?: Logger;
  /** Where the secrets the sites file names are read from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** The clock for token expiry and retention (tests). */
  now?: () => number;
  /**
   * Merge the text deltas of one item produced in the same event-loop turn into one event
   * (default true; see EventLog). The bench turns it off to compare one frame per token.
   */
  mergeTextDeltas?: boolean;
}

/** A created server: the HTTP app, the services behind it, and its lifecycle. */
export interface AgentChatServer {
  readonly app: Hono;
  readonly config: Config;
  readonly service: ConversationService;
  readonly eventLog: EventLog;
  /** Brings other instances' events to this one's sockets (PostgreSQL only). */
  readonly remote: RemoteEvents;
  /** Where everything is persisted; `storage.db` is the raw SQLite handle (tests, tools). */
  /** Where conversations live: SQLite under `DATA_DIR`, or PostgreSQL at `DATABASE_URL`. */
  readonly storage: Storage;
  /** Quotas and daily budgets (what an identity has spent today, runs in flight). */
  readonly quota: QuotaService;
  readonly workflows: ReadonlyMap<string, Workflow>;
  readonly models: ModelProvider;
  /** This server's Prometheus registry and recorders (`GET /metrics`). */
  readonly metrics: Metrics;
  /** The configured sites (undefined: the server runs open). */
  readonly sites: LoadedSites | undefined;
  /** The retention sweeper when `RETENTION_DAYS` is set. */
  readonly retention: Retention | undefined;
  /** Runs found in flight at start-up and finished as `interrupted_by_restart`. */
  readonly recoveredRuns: { resumed: number; ended: number };
  /** Starts listening on `config.host:config.port` (port 0 picks one). */
  listen(): Promise<{ url: string; port: number }>;
  /**
   * Stops gracefully: runs in flight end `interrupted_by_restart`, every event is committed
   * and delivered, sockets close with 1001, then the database closes. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Builds a server: loads and validates the workflows (a bad file throws the loader's error
 * naming the file and field), opens the database, finishes runs a crash left in flight, and
 * wires transport → conversation → run loop → models.
 */
export async function createServer(options: CreateServerOptions): Promise<AgentChatServer> {
  const { config } = options;
  const log = options.log ?? loggerFor(config);
  if (!config.sitesFile && config.production && !config.allowOpen) {
    throw new Error(
      'NODE_ENV=production without SITES_FILE would run open (any page could embed this server and spend its model budget). ' +
        'Set SITES_FILE (see docs/security.md), or ALLOW_OPEN=1 to run open on purpose.',
    );
  }
  const sites = config.sitesFile ? loadSites(config.sitesFile, options.env ?? process.env) : undefined;
  const tools = createBuiltinToolRegistry(options.tools ?? []);
  const guardrails = createGuardrailRegistry(options.guardrails ?? []);
  const workflows = options.workflows ?? loadWorkflows(config.workflowsDir, { tools, guardrails });
  if (sites && config.sitesFile) {
    const unknown = unknownWorkflows(config.sitesFile, sites.registry, workflows);
    if (unknown.length > 0) throw new SitesLoadError(unknown);
  }
  const metrics = createMetrics();
  const models = instrumentModels(
    options.models ??
      createModelProvider({ apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl, offlineDelayMs: config.offlineModelDelayMs }),
    metrics,
  );
  const runAgent =
    options.runAgent ?? createRunAgent({ models, tools, guardrails, logger: log, metrics });

  const storage: Storage = config.databaseUrl
    ? await createPostgresStorage({ connectionString: config.databaseUrl, logger: log })
    : createSqliteStorage(config.dataDir);
  const secret = config.secret ?? (await storage.meta.getOrCreate('token_secret', () => randomBytes(32).toString('base64url')));
  const hub = new ThreadHub(log);
  const eventLog = new EventLog({
    storage,
    hub,
    log,
    metrics,
    ...(options.mergeTextDeltas === false ? { mergeTextDeltas: false } : {}),
    // Other instances following a thread read its deltas from the database: give them time.
    ...(storage.commits ? { compactionDelayMs: COMPACTION_DELAY_MS } : {}),
  });
  const quota = new QuotaService({
    storage,
    // A site's own limits override the server-wide defaults.
    limitsFor: (siteId) => ({ ...config.quotas, ...(siteId === null ? {} : sites?.registry.get(siteId)?.spec.limits) }),
    log,
    metrics,
    ...(options.quotaClock ? { now: options.quotaClock } : {}),
  });
  const screenText = createTextScreen({ models, guardrails, metrics });
  const service = new ConversationService({
    storage,
    eventLog,
    hub,
    workflows,
    runAgent,
    screenText,
    limits: config.limits,
    maxReplayEvents: config.maxReplayEvents,
    resumeInterruptedRuns: config.resumeInterruptedRuns,
    maxRunResumes: config.maxRunResumes,
    runLeaseMs: config.runLeaseMs,
    log,
    quota,
    metrics,
  });
  const recoveredRuns = await service.recoverInterruptedRuns();
  service.startLeases();
  // Other instances' events, for this instance's sockets (a database shared by several).
  const remote = new RemoteEvents({ storage, eventLog, hub, log, maxEvents: config.maxReplayEvents });
  remote.start();
  const now = options.now ?? Date.now;
  const identity = new IdentityService({
    secret,
    sites: sites?.registry,
    now,
    visitorTokenTtlMs: config.visitorTokenTtlDays * 24 * 60 * 60 * 1000,
  });
  const transportOptions = { ...DEFAULT_TRANSPORT, ...options.transport };
  const admin = adminRoutes({ sites: sites?.registry, service, storage, log });
  const app = createApp({
    rootDir: config.rootDir,
    modelMode: models.mode,
    wsPath: transportOptions.path,
    log,
    sites: sites?.registry,
    admin,
    metrics: metricsRoute({ metrics, token: config.metricsToken }),
    ready: readyRoute({ storage, workflows, modelMode: models.mode, metrics, log }),
  });
  const retention =
    config.retentionDays !== undefined ? startRetention({ service, storage, retentionDays: config.retentionDays, log, now }) : undefined;
  // Like recovery, done before the server takes connections.
  await retention?.first;

  let http: Server | undefined;
  let transport: WebSocketTransport | undefined;
  let closing: Promise<void> | undefined;

  const close = async () => {
    retention?.stop();
    await remote.stop();
    await service.shutdown();
    await transport?.close();
    if (http) {
      const server = http;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await storage.close();
  };

  return {
    app,
    config,
    service,
    eventLog,
    remote,
    storage,
    quota,
    workflows,
    models,
    metrics,
    sites,
    retention,
    recoveredRuns,
    listen() {
      if (http) throw new Error('already listening');
      const server = createAdaptorServer({ fetch: app.fetch, hostname: config.host }) as Server;
      http = server;
      transport = attachWebSocketTransport(server, {
        service,
        identity,
        limits: config.limits,
        log,
        quota,
        trustProxy: config.trustProxy,
        sites: sites?.registry,
        options: transportOptions,
        metrics,
      });
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : config.port;
          resolve({ url: `http://${displayHost(config.host)}:${port}`, port });
        });
      });
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}

/** Options for `startServer`: `createServer`'s, with the configuration read from `env` by default. */
export interface StartServerOptions extends Omit<CreateServerOptions, 'config'> {
  config?: Config;
  env?: Record<string, string | undefined>;
  /** Close gracefully on SIGINT/SIGTERM and exit (default true). */
  handleSignals?: boolean;
}

/** A server that is listening. */
export interface StartedServer extends AgentChatServer {
  readonly url: string;
  readonly port: number;
}

/**
 * Creates and starts a server, prints ONE line (URL, model mode, data path, workflows), and
 * closes gracefully on SIGINT/SIGTERM. Throws on bad configuration or a bad workflow file.
 */
export async function startServer(options: StartServerOptions = {}): Promise<StartedServer> {
  const { env, handleSignals = true, ...rest } = options;
  const config = options.config ?? loadConfig(env);
  const log = options.log ?? loggerFor(config);
  const server = await createServer({ ...rest, config, log, ...(env ? { env } : {}) });
  let address: { url: string; port: number };
  try {
    address = await server.listen();
  } catch (error) {
    await server.close();
    throw error;
  }
  if (handleSignals) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1); // a second Ctrl-C does not wait
      stopping = true;
      log.info(`agent-chat: ${signal}, shutting down`);
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('agent-chat: shutdown failed', error);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  }
  // Printed last: once it is out, a signal is handled gracefully.
  log.info(
    `agent-chat ${address.url} · model: ${describeModelMode(config)} · data: ${join(config.dataDir, DATABASE_FILE)}` +
      ` · workflows: ${[...server.workflows.keys()].join(', ')} · ${describeSites(server.sites)}` +
      (config.retentionDays !== undefined ? ` · retention: ${config.retentionDays} days` : '') +
      (server.recoveredRuns.resumed > 0 ? ` · ${server.recoveredRuns.resumed} interrupted run(s) continued` : '') +
      (server.recoveredRuns.ended > 0 ? ` · ${server.recoveredRuns.ended} interrupted run(s) ended` : ''),
  );
  return { ...server, ...address };
}

/**
 * The command-line entry used by main.ts and demo/server.ts: `startServer`, and on a start-up
 * failure (bad configuration, bad workflow file, port in use) the message alone on stderr and
 * exit code 1 — no stack trace.
 */
export async function runServerCli(options: StartServerOptions = {}): Promise<StartedServer | undefined> {
  try {
    return await startServer(options);
  } catch (error) {
    process.stderr.write(`agent-chat: cannot start: ${startupFailure(error)}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** What a person should read when the server cannot start. */
function startupFailure(error: unknown): string {
  const { code, address, port } = (error ?? {}) as { code?: string; address?: string; port?: number };
  if (code === 'EADDRINUSE') return `port ${port} on ${address} is already in use (another agent-chat?). Stop it, or set PORT to another port (PORT=0 picks a free one).`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${address}. Use a port above 1023, e.g. PORT=8787.`;
  return error instanceof Error ? error.message : String(error);
}

/** The sites part of the start-up line. */
function describeSites(sites: LoadedSites | undefined): string {
  if (!sites) return 'open mode (no SITES_FILE: any page may embed this server)';
  const off = sites.adminOff.map(({ siteId, env }) => `${siteId} (${env ? `${env} unset` : 'no adminKeyEnv'})`);
  return `sites: ${sites.registry.all.map((s) => s.id).join(', ')}` + (off.length > 0 ? ` · admin API off for ${off.join(', ')}` : '');
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
