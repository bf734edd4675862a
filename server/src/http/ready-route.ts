import type { Workflow } from '@agent-chat/shared';
import { Hono } from 'hono';
import type { Logger } from '../logger.ts';
import type { Metrics, ModelEndpointCheck } from '../observability/metrics.ts';
import type { Storage } from '../store/storage.ts';

/** What `GET /ready` checks. */
export interface ReadyRouteOptions {
  storage: Pick<Storage, 'engine' | 'meta'>;
  workflows: ReadonlyMap<string, Workflow>;
  /** The model provider's mode (`offline`, `openai`, `base_url`): the endpoint every model request goes to. */
  modelMode: string;
  /** Holds each model endpoint's last request outcome. */
  metrics: Metrics;
  log: Logger;
  now?: () => Date;
  /** The MCP connectors' states now (none: no connectors file). */
  connectors?: () => readonly ConnectorReadiness[];
  /** How long the database write may take before it counts as failed (ms; default 2000). */
  databaseTimeoutMs?: number;
}

/** The database check: a write and its read back, through the storage interface. */
export type DatabaseCheck =
  | { ok: true; engine: string; ms: number }
  | { ok: false; engine: string; error: 'not_writable' | 'timeout' };

/** A model endpoint as `/ready` reports it: its last request's outcome, or `unused` before the first. */
export type ModelEndpointStatus = ModelEndpointCheck | { mode: string; api: string; status: 'unused' };

/** An MCP connector as `/ready` reports it: its state, how many tools it offers, and since when. */
export interface ConnectorReadiness {
  id: string;
  state: string;
  tools?: number | undefined;
  since: string;
}

/** The body of `GET /ready`, the same shape on 200 and 503. */
export interface ReadyBody {
  ready: boolean;
  checks: {
    database: DatabaseCheck;
    workflows: { ok: boolean; count: number };
    /** Informational: a model outage does not make the instance unready (every instance shares the endpoint). */
    models: { endpoints: ModelEndpointStatus[] };
    /**
     * Informational, like models: a connector that is down leaves its agents running without
     * its tools, and every instance would see the same outage. `ok` is false while one is down.
     */
    connectors?: { ok: boolean; connectors: ConnectorReadiness[] };
  };
}

/**
 * `GET /ready`: 200 `{ ready: true, checks }` when the database takes a write (a real one,
 * `storage.meta.checkWritable`) and workflows are loaded; 503 with the same shape and
 * `ready: false` otherwise. It also reports each model endpoint's last request (ok, failed with
 * its code, or unused). `/health` stays a liveness check. The response never holds an engine
 * error: that goes to the log, once when the check starts failing. With connectors, it reports
 * each one's state (informational: a connector that is down does not make the instance unready).
 */
export function readyRoute({ storage, workflows, modelMode, metrics, log, connectors, now = () => new Date(), databaseTimeoutMs = 2000 }: ReadyRouteOptions): Hono {
  const route = new Hono();
  let lastFailed = false;

  const checkDatabase = async (): Promise<DatabaseCheck> => {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), databaseTimeoutMs);
    });
    try {
      const result = await Promise.race([storage.meta.checkWritable(now().toISOString()), timeout]);
      if (result === 'timeout') {
        if (!lastFailed) log.error(`ready: the database write took longer than ${databaseTimeoutMs} ms`);
        lastFailed = true;
        return { ok: false, engine: storage.engine, error: 'timeout' };
      }
      if (lastFailed) log.info('ready: the database takes writes again');
      lastFailed = false;
      return { ok: true, engine: storage.engine, ms: Math.round((performance.now() - started) * 100) / 100 };
    } catch (error) {
      if (!lastFailed) log.error('ready: the database does not take writes', error);
      lastFailed = true;
      return { ok: false, engine: storage.engine, error: 'not_writable' };
    } finally {
      clearTimeout(timer);
    }
  };

  route.get('/', async (c) => {
    const database = await checkDatabase();
    const workflowsCheck = { ok: workflows.size > 0, count: workflows.size };
    const body: ReadyBody = {
      ready: database.ok && workflowsCheck.ok,
      checks: { database, workflows: workflowsCheck, models: { endpoints: modelEndpoints(workflows, modelMode, metrics) } },
    };
    if (connectors) {
      // Only what an operator needs here; the reason a connector is down is in the log.
      const states = connectors().map(({ id, state, tools, since }) => ({ id, state, ...(tools !== undefined ? { tools } : {}), since }));
      body.checks.connectors = { ok: states.every((c) => c.state !== 'down'), connectors: states };
    }
    c.header('Cache-Control', 'no-store');
    return c.json(body, body.ready ? 200 : 503);
  });
  return route;
}

/** Every endpoint the workflows use (mode × API flavour) and every one a request went to, with its last check. */
function modelEndpoints(workflows: ReadonlyMap<string, Workflow>, mode: string, metrics: Metrics): ModelEndpointStatus[] {
  const seen = new Map<string, ModelEndpointStatus>();
  for (const workflow of workflows.values()) {
    for (const agent of workflow.agents) {
      const api = agent.api ?? workflow.api;
      seen.set(`${mode}\u0000${api}`, { mode, api, status: 'unused' });
    }
  }
  for (const check of metrics.modelEndpoints()) seen.set(`${check.mode}\u0000${check.api}`, check);
  return [...seen.values()];
}
