import { Hono } from 'hono';
import type { Metrics } from '../observability/metrics.ts';
import { bearerOf, sameToken, tokenDigest } from './bearer-token.ts';

/** What `GET /metrics` serves and who may read it. */
export interface MetricsRouteOptions {
  metrics: Metrics;
  /** The bearer token required (`METRICS_TOKEN`); undefined leaves the route open. */
  token: string | undefined;
}

/**
 * `GET /metrics`: the server's metrics in the Prometheus text format. With a token, a request
 * without `Authorization: Bearer <token>` gets 401 and a `WWW-Authenticate` challenge; without
 * one the route is open, and the operator keeps it off the public internet at the proxy
 * (docs/observability.md).
 */
export function metricsRoute({ metrics, token }: MetricsRouteOptions): Hono {
  const route = new Hono();
  const expected = token === undefined ? undefined : tokenDigest(token);
  route.get('/', async (c) => {
    if (expected && !sameToken(expected, bearerOf(c.req.header('Authorization')))) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return c.json({ error: { code: 'unauthorized', message: 'A metrics token is required (Authorization: Bearer …).' } }, 401);
    }
    const body = await metrics.registry.metrics();
    c.header('Content-Type', metrics.registry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(body);
  });
  return route;
}
