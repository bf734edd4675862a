import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './pino-logger.ts';
import { DEFAULT_QUOTAS, type QuotaLimits } from './quota/quota-limits.ts';


/** Limits announced to clients in `ready` and enforced by the transport. */
export interface MessageLimits {
  maxMessageChars: number;
  maxFileBytes: number;
  maxFilesPerMessage: number;
  acceptedTypes: string[];
}

/** The server's whole configuration, read from the environment once at start-up. */
export interface Config {
  /** TCP port (0 picks a free one). */
  port: number;
  /**
   * Interface to bind. Defaults to 127.0.0.1: the demo is for the local machine; a container or
   * a server behind a proxy sets HOST=0.0.0.0 on purpose.
   */
  host: string;
  /** Absolute directory holding agent-chat.db (SQLite, the default). */
  dataDir: string;
  /** `DATABASE_URL`: a PostgreSQL connection string; set, conversations live there instead of SQLite. */
  databaseUrl: string | undefined;
  /** Absolute directory of workflow JSON files. */
  workflowsDir: string;
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  /** Pause between offline-model tokens, in ms. */
  offlineModelDelayMs: number;
  /** HMAC secret for visitor and upload tokens; when unset one is generated and kept in the database. */
  secret: string | undefined;
  limits: MessageLimits;
  /** Absolute path of the sites file (`SITES_FILE`); unset runs the server open. */
  sitesFile: string | undefined;
  /** Absolute path of the connectors file (`CONNECTORS_FILE`): the MCP servers workflows may use. */
  connectorsFile: string | undefined;
  /** `NODE_ENV=production`: the server refuses to run open unless `allowOpen`. */
  production: boolean;
  /** `ALLOW_OPEN=1`: run open (no sites file) even in production. */
  allowOpen: boolean;
  /** `TRUST_PROXY=1`: take the client IP from `X-Forwarded-For` (only behind your own proxy). */
  trustProxy: boolean;
  /** Lifetime of a visitor token, in days. */
  visitorTokenTtlDays: number;
  /** Threads idle longer than this many days are deleted; undefined keeps them forever. */
  retentionDays: number | undefined;
  /** Quota defaults (a site may override them). */
  quotas: QuotaLimits;
  /** `MAX_REPLAY_EVENTS`: a resume further behind than this many events gets the items instead (`reset`). */
  maxReplayEvents: number;
  /** `RESUME_INTERRUPTED_RUNS` (on by default): a reply cut short by a restart continues when the server is back. */
  resumeInterruptedRuns: boolean;
  /** `MAX_RUN_RESUMES`: how many times one run is continued before it is given up as failed. */
  maxRunResumes: number;
  /** `RUN_LEASE_MS`: how long an instance holds a run without renewing it (another takes it over after). */
  runLeaseMs: number;
  /** `SHUTDOWN_GRACE_MS`: on SIGTERM/SIGINT, how long replies in flight may take to finish before they are cut. */
  shutdownGraceMs: number;
  /** `LOG_LEVEL`: the lowest level written (`info` by default). */
  logLevel: LogLevel;
  /** `LOG_FORMAT`: `json` or `pretty`; unset, pretty when standard output is a terminal. */
  logFormat: LogFormat | undefined;
  /** `METRICS_TOKEN`: the bearer token `GET /metrics` requires; unset, /metrics is open. */
  metricsToken: string | undefined;
  /** `ADMIN_TOKEN`: the operator's bearer token for `/v1/admin` (every site); unset, only sites' admin keys. */
  adminToken: string | undefined;
  /** `PRICES_FILE`: absolute path of the price table (USD per 1M tokens by model) over the built-in one. */
  pricesFile: string | undefined;
  /** `UPLOADS_DIR`: absolute directory for upload bytes (files named by hash); unset, they live in the database. */
  uploadsDir: string | undefined;
  /** `UNSENT_UPLOAD_TTL_MINUTES`: an upload never sent with a message is deleted after this long. */
  unsentUploadTtlMinutes: number;
  /** Run traces (docs/observability.md, Traces). */
  traces: TracesConfig;
}

/** How run traces are written and where they are exported. */
export interface TracesConfig {
  /**
   * The OTLP/HTTP traces URL: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`; unset, traces are stored but not exported.
   */
  otlpUrl: string | undefined;
  /** `OTEL_EXPORTER_OTLP_HEADERS` (and `…_TRACES_HEADERS`, which win): `key=value,key2=value2`. */
  otlpHeaders: Record<string, string>;
  /** `OTEL_SERVICE_NAME` (default `agent-chat`). */
  serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`: `key=value,…` on every exported span's resource. */
  resourceAttributes: Record<string, string>;
  /** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`: message text and tool arguments/results on spans (off). */
  captureContent: boolean;
  /** `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` (or `OTEL_EXPORTER_OTLP_TIMEOUT`): how long one export may take, retries included (ms, default 10000). */
  exportTimeoutMs: number;
  /** `OTEL_BSP_SCHEDULE_DELAY`: how often finished traces are looked for and exported (ms, default 5000). */
  exportDelayMs: number;
}

/** The types accepted by default (`ACCEPTED_TYPES`): images, PDF and text formats, decided by the bytes. */
export const DEFAULT_ACCEPTED_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
];

/** A comma-separated list of types, each one of the types the server knows how to check. */
function typesVar() {
  const message = `must be a comma-separated list of: ${DEFAULT_ACCEPTED_TYPES.join(', ')}`;
  return optionalString.pipe(
    z
      .string()
      .transform((s) => [...new Set(s.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))])
      .pipe(z.array(z.enum(DEFAULT_ACCEPTED_TYPES as [string, ...string[]], { message })).min(1, message))
      .optional()
      .transform((types) => types ?? [...DEFAULT_ACCEPTED_TYPES]),
  );
}

/** A configuration problem; the message names every bad variable, one per line. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** Empty strings count as unset, so `PORT= npm start` behaves like no PORT at all. */
const optionalString = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().optional());

/** An OTLP endpoint: an http(s) URL. */
const otlpUrlVar = optionalString.pipe(z.string().regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s) URL, e.g. http://localhost:4318').optional());

/** A W3C-baggage-style list, `key=value,key2=value2` (values percent-encoded), as the OTEL_* variables take. */
const keyValueListVar = optionalString.pipe(
  z
    .string()
    .transform((s, ctx) => {
      const out: Record<string, string> = {};
      for (const part of s.split(',')) {
        if (part.trim() === '') continue;
        const eq = part.indexOf('=');
        const key = eq > 0 ? part.slice(0, eq).trim() : '';
        if (!key) {
          ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of key=value' });
          return z.NEVER;
        }
        try {
          out[key] = decodeURIComponent(part.slice(eq + 1).trim());
        } catch {
          ctx.addIssue({ code: 'custom', message: 'has a value that is not valid percent-encoding' });
          return z.NEVER;
        }
      }
      return out;
    })
    .optional(),
);

/** A secret sent as `Authorization: Bearer <token>`: one word, long enough not to be guessed. */
const bearerToken = optionalString.pipe(z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces').optional());

function intVar(min: number, max: number, fallback: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    z
      .string()
      .regex(/^\s*\d+\s*$/, message)
      .transform((s) => Number(s.trim()))
      .pipe(z.number().int().min(min, message).max(max, message))
      .optional()
      .transform((n) => n ?? fallback),
  );
}

/** `1`/`true`/`yes` or `0`/`false`/`no`; unset is false. */
function flagVar() {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .enum(['', '1', 'true', 'yes', '0', 'false', 'no'], { message: 'must be 1 or 0 (true or false)' })
      .optional()
      .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  );
}

const Env = z.object({
  PORT: intVar(0, 65535, 8787),
  HOST: optionalString.pipe(z.string().min(1).default('127.0.0.1')),
  DATA_DIR: optionalString.pipe(z.string().default('./data')),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a PostgreSQL URL, e.g. postgres://user:password@host:5432/agent_chat')
      .optional(),
  ),
  WORKFLOWS_DIR: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s) URL, e.g. http://localhost:11434/v1')
      .optional(),
  ),
  OFFLINE_MODEL_DELAY_MS: intVar(0, 10_000, 25),
  SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  MAX_MESSAGE_CHARS: intVar(1, 100_000, 8000),
  MAX_FILE_BYTES: intVar(1, 1024 * 1024 * 1024, 10 * 1024 * 1024),
  MAX_FILES_PER_MESSAGE: intVar(0, 20, 4),
  ACCEPTED_TYPES: typesVar(),
  UPLOAD_QUOTA_BYTES: intVar(0, 1024 ** 4, DEFAULT_QUOTAS.uploadBytesPerIdentity),
  UNSENT_UPLOAD_TTL_MINUTES: intVar(1, 7 * 24 * 60, 60),
  UPLOADS_DIR: optionalString,
  SITES_FILE: optionalString,
  CONNECTORS_FILE: optionalString,
  NODE_ENV: optionalString,
  ALLOW_OPEN: flagVar(),
  TRUST_PROXY: flagVar(),
  VISITOR_TOKEN_TTL_DAYS: intVar(1, 3650, 180),
  RETENTION_DAYS: intVar(0, 36_500, 0),
  MAX_CONCURRENT_RUNS: intVar(0, 1000, DEFAULT_QUOTAS.concurrentRunsPerIdentity),
  RUNS_PER_MINUTE: intVar(0, 100_000, DEFAULT_QUOTAS.runsPerMinutePerIdentity),
  RUNS_PER_MINUTE_PER_IP: intVar(0, 100_000, DEFAULT_QUOTAS.runsPerMinutePerIp),
  THREADS_PER_DAY: intVar(0, 1_000_000, DEFAULT_QUOTAS.threadsPerDayPerIdentity),
  SOCKETS_PER_IP: intVar(0, 100_000, DEFAULT_QUOTAS.socketsPerIp),
  HELLOS_PER_MINUTE_PER_IP: intVar(0, 100_000, DEFAULT_QUOTAS.hellosPerMinutePerIp),
  DAILY_TOKENS_PER_IDENTITY: intVar(0, 1_000_000_000, DEFAULT_QUOTAS.dailyTokensPerIdentity),
  DAILY_TOKENS_PER_SITE: intVar(0, 1_000_000_000_000, DEFAULT_QUOTAS.dailyTokensPerSite),
  // Capped: a replay is read in one go when the thread is opened (a snapshot), then sent in slices.
  MAX_REPLAY_EVENTS: intVar(1, 10_000, 1000),
  RESUME_INTERRUPTED_RUNS: optionalString.pipe(
    z.enum(['1', 'true', 'yes', '0', 'false', 'no'], { message: 'must be 1 or 0 (true or false)' }).default('1').transform((v) => v === '1' || v === 'true' || v === 'yes'),
  ),
  MAX_RUN_RESUMES: intVar(0, 10, 2),
  RUN_LEASE_MS: intVar(500, 600_000, 3000),
  SHUTDOWN_GRACE_MS: intVar(0, 600_000, 10_000),
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info')),
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).optional()),
  METRICS_TOKEN: bearerToken,
  ADMIN_TOKEN: bearerToken,
  PRICES_FILE: optionalString,
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrlVar,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrlVar,
  OTEL_EXPORTER_OTLP_HEADERS: keyValueListVar,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: keyValueListVar,
  OTEL_SERVICE_NAME: optionalString.pipe(z.string().default('agent-chat')),
  OTEL_RESOURCE_ATTRIBUTES: keyValueListVar,
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: flagVar(),
  OTEL_BSP_SCHEDULE_DELAY: intVar(10, 600_000, 5000),
  OTEL_EXPORTER_OTLP_TIMEOUT: intVar(1, 600_000, 10_000),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: intVar(0, 600_000, 0),
  BUDGET_MESSAGE: optionalString.pipe(z.string().max(500, 'must be at most 500 characters').default(DEFAULT_QUOTAS.budgetMessage)),
});

/**
 * Reads the configuration from `env`. Relative paths resolve against `cwd`; WORKFLOWS_DIR
 * defaults to `./workflows` (the demo sets its own).
 *
 * @throws ConfigError naming each bad variable, e.g. `PORT: must be an integer between 0 and 65535`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0] ?? '(env)')}: ${i.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: abs(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    workflowsDir: abs(e.WORKFLOWS_DIR ?? './workflows'),
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL,
    offlineModelDelayMs: e.OFFLINE_MODEL_DELAY_MS,
    secret: e.SECRET,
    limits: {
      maxMessageChars: e.MAX_MESSAGE_CHARS,
      maxFileBytes: e.MAX_FILE_BYTES,
      maxFilesPerMessage: e.MAX_FILES_PER_MESSAGE,
      acceptedTypes: e.ACCEPTED_TYPES,
    },
    sitesFile: e.SITES_FILE ? abs(e.SITES_FILE) : undefined,
    connectorsFile: e.CONNECTORS_FILE ? abs(e.CONNECTORS_FILE) : undefined,
    production: e.NODE_ENV === 'production',
    allowOpen: e.ALLOW_OPEN,
    trustProxy: e.TRUST_PROXY,
    visitorTokenTtlDays: e.VISITOR_TOKEN_TTL_DAYS,
    retentionDays: e.RETENTION_DAYS > 0 ? e.RETENTION_DAYS : undefined,
    quotas: {
      concurrentRunsPerIdentity: e.MAX_CONCURRENT_RUNS,
      runsPerMinutePerIdentity: e.RUNS_PER_MINUTE,
      runsPerMinutePerIp: e.RUNS_PER_MINUTE_PER_IP,
      threadsPerDayPerIdentity: e.THREADS_PER_DAY,
      socketsPerIp: e.SOCKETS_PER_IP,
      hellosPerMinutePerIp: e.HELLOS_PER_MINUTE_PER_IP,
      dailyTokensPerIdentity: e.DAILY_TOKENS_PER_IDENTITY,
      dailyTokensPerSite: e.DAILY_TOKENS_PER_SITE,
      uploadBytesPerIdentity: e.UPLOAD_QUOTA_BYTES,
      budgetMessage: e.BUDGET_MESSAGE,
    },
    maxReplayEvents: e.MAX_REPLAY_EVENTS,
    resumeInterruptedRuns: e.RESUME_INTERRUPTED_RUNS,
    maxRunResumes: e.MAX_RUN_RESUMES,
    runLeaseMs: e.RUN_LEASE_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    metricsToken: e.METRICS_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    pricesFile: e.PRICES_FILE ? abs(e.PRICES_FILE) : undefined,
    uploadsDir: e.UPLOADS_DIR ? abs(e.UPLOADS_DIR) : undefined,
    unsentUploadTtlMinutes: e.UNSENT_UPLOAD_TTL_MINUTES,
    traces: {
      otlpUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined),
      otlpHeaders: { ...e.OTEL_EXPORTER_OTLP_HEADERS, ...e.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
      serviceName: e.OTEL_SERVICE_NAME,
      resourceAttributes: e.OTEL_RESOURCE_ATTRIBUTES ?? {},
      captureContent: e.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
      exportDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMs: e.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT || e.OTEL_EXPORTER_OTLP_TIMEOUT,
    },
  };
}

/** How the models are reached, for the start-up line and /health. */
export function describeModelMode(config: Pick<Config, 'openaiApiKey' | 'openaiBaseUrl'>): string {
  if (config.openaiBaseUrl) return `OpenAI-compatible server at ${config.openaiBaseUrl}`;
  if (config.openaiApiKey) return 'OpenAI';
  return 'offline model (no OPENAI_API_KEY)';
}

/**
 * What the configuration as a whole forbids, beyond each variable's own check: production
 * without a sites file would run open (any page could embed the server and spend its model
 * budget) unless ALLOW_OPEN says so. `createServer` refuses to start on it; `validate` reports it.
 */
export function deploymentProblem(config: Pick<Config, 'sitesFile' | 'production' | 'allowOpen'>): string | undefined {
  if (config.sitesFile || !config.production || config.allowOpen) return undefined;
  return (
    'NODE_ENV=production without SITES_FILE would run open (any page could embed this server and spend its model budget). ' +
    'Set SITES_FILE (see docs/security.md), or ALLOW_OPEN=1 to run open on purpose.'
  );
}
