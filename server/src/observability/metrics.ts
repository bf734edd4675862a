import type { RunErrorCode, RunStatus, Usage } from '@agent-chat/shared';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Label value of the `site` label for an open server (no sites file). */
export const NO_SITE = 'none';

/** How one model request ended: `ok`, `aborted` (the run was cancelled or stopped), or the error code. */
export type ModelOutcome = 'ok' | 'aborted' | string;

/** Where a model request went: the provider mode (`offline`, `openai`, `base_url`) and the API flavour. */
export interface ModelEndpoint {
  mode: string;
  api: string;
}

/** The last request an endpoint answered: what `/ready` reports per endpoint. */
export interface ModelEndpointCheck extends ModelEndpoint {
  status: 'ok' | 'failed';
  /** The error code of a failure (e.g. `upstream_error`). */
  code?: string;
  /** The provider's HTTP status of a failure, when it answered with one. */
  httpStatus?: number;
  /** When the request ended (ISO 8601). */
  at: string;
}

/** What one model request measured; `firstTokenSeconds` is absent when nothing came back. */
export interface ModelRequestMeasure {
  model: string;
  endpoint: ModelEndpoint;
  outcome: ModelOutcome;
  seconds: number;
  firstTokenSeconds?: number;
  httpStatus?: number;
}

/** Who spent model tokens: the model, the workflow, and the site (`null` on an open server). */
export interface TokenLabels {
  model: string;
  workflow: string;
  site: string | null;
}

/** How a tool call ended. */
export type ToolCallStatus = 'completed' | 'failed' | 'cancelled';

export interface MetricsOptions {
  /** Serve Node's process metrics (CPU, memory, event-loop lag, GC) from this registry too (default true). */
  processMetrics?: boolean;
  /** The clock of the endpoint checks (tests). */
  now?: () => Date;
}

/** The states of an MCP connector's connection. */
export const CONNECTOR_STATES = ['idle', 'connecting', 'ready', 'down'] as const;
export type ConnectorState = (typeof CONNECTOR_STATES)[number];

/** Seconds buckets for a storage transaction (SQLite: a fraction of a millisecond; PostgreSQL: a round trip or more). */
const COMMIT_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Seconds buckets for tool calls (in-process lookups to HTTP APIs). */
const TOOL_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds buckets for model requests (first token in about a second, whole answers in tens). */
const MODEL_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];
/** Events per storage apply: one token per turn up to a loaded server's large batches. */
const BATCH_EVENTS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];
/** Events replayed on a resume, up to MAX_REPLAY_EVENTS' maximum. */
const REPLAY_EVENTS = [0, 1, 5, 10, 50, 100, 250, 500, 1000, 2500, 10_000];

/**
 * The server's Prometheus metrics on a registry of its own (not prom-client's global one: several
 * servers live in one test process). Code records through the intent-named methods, one call
 * where a thing happens; `GET /metrics` renders `registry`. Labels are bounded by configuration
 * (models, workflows, sites, tools and guardrails named in files, status enums), never by
 * visitors: no thread, run or visitor id is ever a label.
 */
export class Metrics {
  /** Where every metric of this server lives; `GET /metrics` renders it. */
  readonly registry: Registry;
  #now: () => Date;
  #openSockets: () => number = () => 0;
  #activeRuns: () => number = () => 0;
  #endpoints = new Map<string, ModelEndpointCheck>();
  #runsFinished: Counter<'status' | 'error'>;
  #modelSeconds: Histogram<'model' | 'outcome'>;
  #firstTokenSeconds: Histogram<'model'>;
  #tokens: Counter<'model' | 'workflow' | 'site' | 'type'>;
  #toolCalls: Counter<'tool' | 'status'>;
  #toolSeconds: Histogram<'tool'>;
  #guardrailTrips: Counter<'guardrail' | 'kind' | 'stage'>;
  #commitSeconds: Histogram;
  #batchEvents: Histogram;
  #replayEvents: Histogram;
  #quotaRefusals: Counter<'reason'>;
  #connectorUp: Gauge<'connector' | 'state'>;
  #connectorMissing: Counter<'connector'>;
  #tracesExported: Counter;
  #traceExportFailures: Counter;

  constructor({ processMetrics = true, now = () => new Date() }: MetricsOptions = {}) {
    this.#now = now;
    const own = new Registry();
    const registers = [own];
    const metrics = this;
    new Gauge({
      name: 'agent_chat_open_sockets',
      help: 'WebSocket connections open now.',
      registers,
      collect() {
        this.set(metrics.#openSockets());
      },
    });
    new Gauge({
      name: 'agent_chat_active_runs',
      help: 'Replies being written now (runs in flight on this instance).',
      registers,
      collect() {
        this.set(metrics.#activeRuns());
      },
    });
    this.#runsFinished = new Counter({
      name: 'agent_chat_runs_finished_total',
      help: 'Runs ended, by status and error code (error "none" when it has none).',
      labelNames: ['status', 'error'],
      registers,
    });
    this.#modelSeconds = new Histogram({
      name: 'agent_chat_model_request_duration_seconds',
      help: 'Model requests from start to the end of the stream, by model and outcome (ok, aborted, or the error code).',
      labelNames: ['model', 'outcome'],
      buckets: MODEL_SECONDS,
      registers,
    });
    this.#firstTokenSeconds = new Histogram({
      name: 'agent_chat_model_time_to_first_token_seconds',
      help: 'Time from a model request to its first text delta or tool call, by model.',
      labelNames: ['model'],
      buckets: MODEL_SECONDS,
      registers,
    });
    this.#tokens = new Counter({
      name: 'agent_chat_model_tokens_total',
      help: 'Model tokens the runs spent, by model, workflow, site ("none" on an open server) and type (input, output).',
      labelNames: ['model', 'workflow', 'site', 'type'],
      registers,
    });
    this.#toolCalls = new Counter({
      name: 'agent_chat_tool_calls_total',
      help: 'Tool calls executed, by tool and status (completed, failed, cancelled).',
      labelNames: ['tool', 'status'],
      registers,
    });
    this.#toolSeconds = new Histogram({
      name: 'agent_chat_tool_call_duration_seconds',
      help: 'How long executed tool calls took, by tool.',
      labelNames: ['tool'],
      buckets: TOOL_SECONDS,
      registers,
    });
    this.#guardrailTrips = new Counter({
      name: 'agent_chat_guardrail_trips_total',
      help: 'Guardrails that tripped, by guardrail name, kind and stage (input, output).',
      labelNames: ['guardrail', 'kind', 'stage'],
      registers,
    });
    this.#commitSeconds = new Histogram({
      name: 'agent_chat_event_log_commit_duration_seconds',
      help: 'How long one event-log batch took to apply to storage (one transaction).',
      buckets: COMMIT_SECONDS,
      registers,
    });
    this.#batchEvents = new Histogram({
      name: 'agent_chat_event_log_batch_events',
      help: 'Events and writes per event-log batch (per storage apply).',
      buckets: BATCH_EVENTS,
      registers,
    });
    this.#replayEvents = new Histogram({
      name: 'agent_chat_replay_events',
      help: 'Events replayed to a client that resumed a thread (0 when it was sent the items instead).',
      buckets: REPLAY_EVENTS,
      registers,
    });
    this.#quotaRefusals = new Counter({
      name: 'agent_chat_quota_refusals_total',
      help: 'Requests refused by a quota, by the limit that refused them.',
      labelNames: ['reason'],
      registers,
    });
    this.#connectorUp = new Gauge({
      name: 'agent_chat_connector_up',
      help: 'MCP connectors: 1 for the state each is in now (idle, connecting, ready, down), 0 for the others.',
      labelNames: ['connector', 'state'],
      registers,
    });
    this.#connectorMissing = new Counter({
      name: 'agent_chat_connector_unavailable_total',
      help: 'Agent turns that ran without a connector\'s tools because it was down, by connector.',
      labelNames: ['connector'],
      registers,
    });
    this.#tracesExported = new Counter({
      name: 'agent_chat_traces_exported_total',
      help: 'Run traces the OTLP receiver accepted.',
      registers,
    });
    this.#traceExportFailures = new Counter({
      name: 'agent_chat_trace_export_failures_total',
      help: 'Run traces in export requests that failed (each retry counts again).',
      registers,
    });
    // Merged last: a merge takes the metrics registered so far.
    this.registry = processMetrics ? Registry.merge([own, processRegistry()]) : own;
  }

  /** Reads the number of open sockets whenever metrics are collected (the transport owns the count). */
  trackOpenSockets(count: () => number): void {
    this.#openSockets = count;
  }

  /** Reads the number of runs in flight whenever metrics are collected. */
  trackActiveRuns(count: () => number): void {
    this.#activeRuns = count;
  }

  /** An MCP connector is now in `state`. */
  connectorState(connector: string, state: ConnectorState): void {
    for (const each of CONNECTOR_STATES) this.#connectorUp.set({ connector, state: each }, each === state ? 1 : 0);
  }

  /** An agent's turn went on without this connector's tools (it was down). */
  connectorToolsMissing(connector: string): void {
    this.#connectorMissing.inc({ connector });
  }

  /** A run ended (its `run.finished` was appended). */
  runFinished(status: RunStatus, error: RunErrorCode | undefined): void {
    this.#runsFinished.inc({ status, error: error ?? 'none' });
  }

  /** A model request ended: its latency, time to first token, and the endpoint's last check. */
  modelRequest(m: ModelRequestMeasure): void {
    this.#modelSeconds.observe({ model: m.model, outcome: m.outcome }, m.seconds);
    if (m.firstTokenSeconds !== undefined) this.#firstTokenSeconds.observe({ model: m.model }, m.firstTokenSeconds);
    // A cancelled request says nothing about the endpoint's health.
    if (m.outcome === 'aborted') return;
    const check: ModelEndpointCheck = { ...m.endpoint, status: m.outcome === 'ok' ? 'ok' : 'failed', at: this.#now().toISOString() };
    if (m.outcome !== 'ok') check.code = m.outcome;
    if (m.outcome !== 'ok' && m.httpStatus !== undefined) check.httpStatus = m.httpStatus;
    this.#endpoints.set(`${m.endpoint.mode}\u0000${m.endpoint.api}`, check);
  }

  /** The last check of every endpoint a request went to. */
  modelEndpoints(): ModelEndpointCheck[] {
    return [...this.#endpoints.values()].map((check) => ({ ...check }));
  }

  /** One model response's token usage. */
  tokensUsed(labels: TokenLabels, usage: Usage): void {
    const base = { model: labels.model, workflow: labels.workflow, site: labels.site ?? NO_SITE };
    if (usage.inputTokens > 0) this.#tokens.inc({ ...base, type: 'input' }, usage.inputTokens);
    if (usage.outputTokens > 0) this.#tokens.inc({ ...base, type: 'output' }, usage.outputTokens);
  }

  /** A tool call was executed (known tool, readable arguments) and settled. */
  toolCalled(tool: string, status: ToolCallStatus, seconds: number): void {
    this.#toolCalls.inc({ tool, status });
    this.#toolSeconds.observe({ tool }, seconds);
  }

  /** A guardrail tripped. `kind` is the workflow entry's kind (`pii`, `llm_judge`, `custom`…). */
  guardrailTripped(guardrail: string, kind: string, stage: string): void {
    this.#guardrailTrips.inc({ guardrail, kind, stage });
  }

  /** An event-log batch of `entries` events and writes was applied to storage in `seconds`. */
  eventLogCommitted(entries: number, seconds: number): void {
    this.#commitSeconds.observe(seconds);
    this.#batchEvents.observe(entries);
  }

  /** A resuming client was sent `events` missed events. */
  replayed(events: number): void {
    this.#replayEvents.observe(events);
  }

  /** A quota refused a request; `reason` names the limit (e.g. `runsPerMinutePerIdentity`). */
  quotaRefused(reason: string): void {
    this.#quotaRefusals.inc({ reason });
  }

  /** `count` run traces were exported. */
  tracesExported(count: number): void {
    this.#tracesExported.inc(count);
  }

  /** An export request carrying `count` run traces failed. */
  traceExportFailed(count: number): void {
    this.#traceExportFailures.inc(count);
  }
}

let shared: Registry | undefined;

/**
 * Node's process metrics, collected once per process however many servers it runs (each
 * collection adds GC and event-loop observers that are never removed), and served by each.
 */
function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}

/** A server's metrics on a fresh registry, with Node's process metrics unless turned off. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new Metrics(options);
}
