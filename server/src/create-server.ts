/**
 * `createServer`: one agent-chat server composed from its parts (configuration, workflows,
 * tools, guardrails, storage, models, transport), ready to `listen()` and `close()`.
 */
import { randomBytes } from 'node:crypto';
import { createAdaptorServer } from '@hono/node-server';
import type { ConnectorSpec, Workflow } from '@agent-chat/shared';
import type { Hono } from 'hono';
import type { Server } from 'node:http';
import type { Guardrail } from './agents/guardrails/guardrail.ts';
import { createGuardrailRegistry } from './agents/guardrails/guardrail.ts';
import { createRunAgent } from './agents/run-loop.ts';
import { createTextScreen } from './agents/guardrails/screen-text.ts';
import type { RunAgent } from './agents/run-types.ts';
import type { Tool } from './agents/tool.ts';
import { adminRoutes } from './admin/admin-routes.ts';
import { consoleRoutes, defaultConsoleFile } from './admin/console-route.ts';
import { DEFAULT_PRICES, loadPrices } from './usage/prices.ts';
import { SERVER_VERSION, createApp, defaultWidgetFile } from './app.ts';
import { ConnectorRegistry, loadConnectors } from './connectors/index.ts';
import { type Config, type MessageLimits, deploymentProblem, loadConfig } from './config.ts';
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
import { openStorage } from './store/open-storage.ts';
import { readUploadFrom } from './uploads/read-upload.ts';
import type { Storage } from './store/storage.ts';
import { DEFAULT_TRANSPORT, type TransportOptions, type WebSocketTransport, attachWebSocketTransport } from './transport/websocket-transport.ts';
import { createBuiltinToolRegistry } from './workflows/builtin-tools.ts';
import { loadWorkflows } from './workflows/load-workflows.ts';
import { metricsRoute } from './http/metrics-route.ts';
import { type UnsentSweep, startUnsentSweep } from './uploads/unsent-sweep.ts';
import { uploadRoutes } from './uploads/upload-routes.ts';
import { readyRoute } from './http/ready-route.ts';
import { instrumentModels } from './models/instrumented-provider.ts';
import { type Metrics, createMetrics } from './observability/metrics.ts';
import { TraceExporter } from './traces/trace-exporter.ts';


/** With several instances on one database, a run's deltas are compacted this long after it finished. */
const COMPACTION_DELAY_MS = 10_000;

/**
 * What a server is made of. Every field is optional: the configuration is read from the
 * environment (`env`) by default, and the rest replace defaults (a site's own tools, tests).
 */
export interface CreateServerOptions {
  /** The configuration (default: `loadConfig(env)`, the documented environment variables). */
  config?: Config;
  /** Message limits that replace the configured ones (longest message, files per message…). */
  limits?: Partial<MessageLimits>;
  /** Site tools that workflows may name, added to the built-in ones (the demo passes `demoTools`). */
  tools?: Iterable<Tool>;
  /**
   * The MCP connectors workflows may name with `{ "kind": "mcp", "connector": … }` (default:
   * the connectors file `config.connectorsFile`, or none).
   */
  connectors?: readonly ConnectorSpec[];
  /** Custom guardrails that workflows name with `{ "kind": "custom", "ref": … }`. */
  guardrails?: Iterable<Guardrail>;
  /**
   * The workflows: a directory of workflow JSON files, checked like `WORKFLOWS_DIR`, or the
   * workflows themselves (id → workflow). Default: `config.workflowsDir`.
   */
  workflows?: string | ReadonlyMap<string, Workflow>;
  /**
   * Use this storage instead of opening the configured one (`createSqliteStorage`,
   * `createPostgresStorage`). The caller owns it: `close()` leaves it open.
   */
  storage?: Storage;
  /**
   * Adds the host's own HTTP routes (pages, assets) to the app, after the server's own
   * (`/health`, `/widget.js`, `/v1/*`). The demo serves its shop pages this way.
   */
  routes?: (app: Hono) => void;
  /** The widget bundle served at `/widget.js` (default: the built `@agent-chat/widget`). */
  widgetFile?: string;
  /** The admin console bundle served at `/console/console.js` (default: `@agent-chat/console`'s `dist/console.js`). */
  consoleFile?: string;
  /** Use this model provider instead of the one `config` describes. */
  models?: ModelProvider;
  /**
   * Wraps the model provider (the configured one or `models`) before the server uses it: a host
   * can watch or alter model calls without the model knowing (the demo fails one on request).
   */
  wrapModels?: (models: ModelProvider) => ModelProvider;
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
  /** Where conversations live: SQLite under `DATA_DIR`, or PostgreSQL at `DATABASE_URL`. */
  readonly storage: Storage;
  /** Quotas and daily budgets (what an identity has spent today, runs in flight). */
  readonly quota: QuotaService;
  readonly workflows: ReadonlyMap<string, Workflow>;
  readonly models: ModelProvider;
  /** The MCP connectors (empty without a connectors file); each connects on first use. */
  readonly connectors: ConnectorRegistry;
  /** This server's Prometheus registry and recorders (`GET /metrics`). */
  readonly metrics: Metrics;
  /** The configured sites (undefined: the server runs open). */
  readonly sites: LoadedSites | undefined;
  /** The retention sweeper when `RETENTION_DAYS` is set. */
  readonly retention: Retention | undefined;
  /** The OTLP trace exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set. */
  readonly traceExporter: TraceExporter | undefined;
  /** Deletes uploads never sent within `UNSENT_UPLOAD_TTL_MINUTES`. */
  readonly unsentUploads: UnsentSweep;
  /** Runs found in flight at start-up and finished as `interrupted_by_restart`. */
  readonly recoveredRuns: { resumed: number; ended: number };
  /** Starts listening on `config.host:config.port` (port 0 picks one). */
  listen(): Promise<{ url: string; port: number }>;
  /**
   * Stops gracefully: takes no new connection, socket or run; lets the replies in flight
   * finish for up to `graceMs` (default `SHUTDOWN_GRACE_MS`), streaming to their sockets; ends
   * the rest as `interrupted_by_restart`, which their visitors see; commits and delivers every
   * event, closes sockets with 1001, then the database. Idempotent.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Builds a server: loads and validates the workflows (a bad file throws the loader's error
 * naming the file and field), opens the database, finishes runs a crash left in flight, and
 * wires transport → conversation → run loop → models.
 */
export async function createServer(options: CreateServerOptions = {}): Promise<AgentChatServer> {
  const loaded = options.config ?? loadConfig(options.env ?? process.env);
  const config: Config = options.limits ? { ...loaded, limits: { ...loaded.limits, ...options.limits } } : loaded;
  const log = options.log ?? loggerFor(config);
  const problem = deploymentProblem(config);
  if (problem) throw new Error(problem);
  const sites = config.sitesFile ? loadSites(config.sitesFile, options.env ?? process.env) : undefined;
  const prices = config.pricesFile ? loadPrices(config.pricesFile) : DEFAULT_PRICES;
  const tools = createBuiltinToolRegistry(options.tools ?? []);
  const guardrails = createGuardrailRegistry(options.guardrails ?? []);
  const connectorSpecs = options.connectors ?? (config.connectorsFile ? loadConnectors(config.connectorsFile, options.env ?? process.env) : []);
  const workflows =
    typeof options.workflows === 'object'
      ? options.workflows
      : loadWorkflows(options.workflows ?? config.workflowsDir, { tools, guardrails, connectors: new Map(connectorSpecs.map((spec) => [spec.id, spec])) });
  if (sites && config.sitesFile) {
    const unknown = unknownWorkflows(config.sitesFile, sites.registry, workflows);
    if (unknown.length > 0) throw new SitesLoadError(unknown);
  }
  const metrics = createMetrics();
  // Nothing connects yet: each connector connects on first use (or below, if it asks to at start).
  const connectors = new ConnectorRegistry(connectorSpecs, {
    env: options.env ?? process.env,
    log,
    clientInfo: { name: 'agent-chat', version: SERVER_VERSION },
    onStatus: (status) => metrics.connectorState(status.id, status.state),
  });
  for (const status of connectors.statuses()) metrics.connectorState(status.id, status.state);
  const provider =
    options.models ??
    createModelProvider({ apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl, offlineDelayMs: config.offlineModelDelayMs });
  const models = instrumentModels(options.wrapModels ? options.wrapModels(provider) : provider, metrics);
  const runAgent =
    options.runAgent ?? createRunAgent({ models, tools, guardrails, connectors, logger: log, metrics });

  const ownsStorage = !options.storage;
  const storage: Storage = options.storage ?? (await openStorage(config, log));
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
    readUpload: readUploadFrom(storage),
    traces: { provider: models.mode === 'offline' ? 'offline' : 'openai', captureContent: config.traces.captureContent },
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
  const admin = adminRoutes({
    sites: sites?.registry,
    service,
    storage,
    log,
    adminToken: config.adminToken,
    prices,
    budgetOf: (site) => quota.budgetOf(site),
    workflows,
    registries: { tools, guardrails, connectors: new Map(connectorSpecs.map((spec) => [spec.id, spec])) },
    connectors,
    previewTicket: (grant) => identity.previewTicket(grant),
  });
  const unsentTtlMs = config.unsentUploadTtlMinutes * 60_000;
  const uploads = uploadRoutes({ storage, limits: config.limits, verifyToken: (t) => identity.verifyUploadToken(t), sites: sites?.registry, quota, unsentTtlMs, log, now: () => new Date(now()) });
  const app = createApp({
    widgetFile: options.widgetFile ?? defaultWidgetFile(),
    // Only where someone can sign in: the operator's token or a site's admin key.
    consolePage:
      config.adminToken !== undefined || sites?.registry.all.some((site) => site.adminKey !== undefined)
        ? consoleRoutes(options.consoleFile ?? defaultConsoleFile())
        : undefined,
    modelMode: models.mode,
    wsPath: transportOptions.path,
    log,
    sites: sites?.registry,
    admin,
    uploads,
    metrics: metricsRoute({ metrics, token: config.metricsToken }),
    ready: readyRoute({
      storage,
      workflows,
      modelMode: models.mode,
      metrics,
      log,
      ...(connectorSpecs.length > 0 ? { connectors: () => connectors.statuses() } : {}),
    }),
  });
  options.routes?.(app);
  const retention =
    config.retentionDays !== undefined ? startRetention({ service, storage, retentionDays: config.retentionDays, log, now }) : undefined;
  const unsentUploads = startUnsentSweep({ storage, ttlMs: unsentTtlMs, log, now });
  const traceExporter = startTraceExport(config.traces, storage, log, metrics);
  // Like recovery, done before the server takes connections.
  await retention?.first;
  await unsentUploads.first;
  await connectors.connectOnStart();

  let http: Server | undefined;
  let transport: WebSocketTransport | undefined;
  let closing: Promise<void> | undefined;

  const close = async (graceMs: number) => {
    traceExporter?.stop();
    retention?.stop();
    unsentUploads.stop();
    transport?.refuseNew();
    // No new connection; the open ones (sockets streaming replies) stay until the end.
    const listening = http ? new Promise<void>((resolve) => http!.close(() => resolve())) : Promise.resolve();
    if (service.activeRuns > 0) log.info(`shutting down: ${service.activeRuns} replies in flight may take up to ${graceMs} ms to finish`);
    const cut = await service.drain(graceMs);
    if (cut > 0) log.warn(`shutting down: ${cut} replies did not finish within ${graceMs} ms and end as interrupted_by_restart`);
    await remote.stop();
    await service.shutdown();
    // The last runs' traces were saved with their run.finished: send what waits.
    await traceExporter?.drain();
    // No run is left to call a tool: the connectors' children can go.
    await connectors.close();
    await transport?.close();
    http?.closeAllConnections();
    await listening;
    if (ownsStorage) await storage.close();
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
    connectors,
    metrics,
    sites,
    retention,
    traceExporter,
    unsentUploads,
    recoveredRuns,
    listen() {
      if (http) throw new Error('already listening');
      const server = createAdaptorServer({ fetch: app.fetch, hostname: config.host }) as Server;
      http = server;
      transport = attachWebSocketTransport(server, {
        service,
        identity,
        limits: config.limits,
        model: { offline: models.mode === 'offline' },
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
    close({ graceMs = config.shutdownGraceMs } = {}) {
      closing ??= close(graceMs);
      return closing;
    },
  };
}

/** The host part of the URL to print: a wildcard address is reached as localhost. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts exporting run traces when an OTLP endpoint is configured. */
function startTraceExport(traces: Config['traces'], storage: Storage, log: Logger, metrics: Metrics): TraceExporter | undefined {
  if (!traces.otlpUrl) return undefined;
  const exporter = new TraceExporter({
    storage,
    log,
    metrics,
    pollMs: traces.exportDelayMs,
    config: { url: traces.otlpUrl, headers: traces.otlpHeaders, serviceName: traces.serviceName, resourceAttributes: traces.resourceAttributes, timeoutMs: traces.exportTimeoutMs },
  });
  exporter.start();
  return exporter;
}
