import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../errors.ts';
import { instrumentModels } from '../models/instrumented-provider.ts';
import type { ModelEvent, ModelRequest } from '../models/model.ts';
import { ScriptedModel, ScriptedProvider, completedEvent, textEvents } from '../testing/scripted-model.ts';
import { createMetrics } from './metrics.ts';

const REQUEST: ModelRequest = { model: 'm1', instructions: 'Answer.', input: [], tools: [] };
const AT = new Date('2026-11-30T10:00:00.000Z');

async function drain(events: AsyncIterable<ModelEvent>, stopAfter = Infinity): Promise<number> {
  let seen = 0;
  for await (const _ of events) if (++seen >= stopAfter) break;
  return seen;
}

/** A histogram's `_count` samples (prom-client names each value's series). */
async function counts(metrics: ReturnType<typeof createMetrics>, name: string): Promise<Array<{ labels: Record<string, unknown>; value: number }>> {
  const values = (await metrics.registry.getSingleMetric(name)!.get()).values as Array<{ metricName?: string; labels: Record<string, unknown>; value: number }>;
  return values.filter((v) => v.metricName === `${name}_count`);
}

async function value(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}

describe('Metrics', () => {
  it('keeps each server’s metrics on its own registry, never the global one', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.quotaRefused('socketsPerIp');
    expect(await value(a, 'agent_chat_quota_refusals_total', { reason: 'socketsPerIp' })).toBe(1);
    expect(await value(b, 'agent_chat_quota_refusals_total')).toBe(0);
    expect(register.getSingleMetric('agent_chat_quota_refusals_total')).toBeUndefined();
  });

  it('reads the open sockets and active runs from their owners when collected', async () => {
    const metrics = createMetrics({ processMetrics: false });
    let sockets = 3;
    metrics.trackOpenSockets(() => sockets);
    metrics.trackActiveRuns(() => 2);
    expect(await value(metrics, 'agent_chat_open_sockets')).toBe(3);
    sockets = 1;
    expect(await value(metrics, 'agent_chat_open_sockets')).toBe(1);
    expect(await value(metrics, 'agent_chat_active_runs')).toBe(2);
  });

  it('keeps each endpoint’s last check: a failure with its code and status, then ok; a cancelled request changes nothing', () => {
    const metrics = createMetrics({ processMetrics: false, now: () => AT });
    const endpoint = { mode: 'openai', api: 'responses' };
    metrics.modelRequest({ model: 'm1', endpoint, outcome: 'upstream_error', httpStatus: 429, seconds: 0.2 });
    expect(metrics.modelEndpoints()).toEqual([{ ...endpoint, status: 'failed', code: 'upstream_error', httpStatus: 429, at: AT.toISOString() }]);
    metrics.modelRequest({ model: 'm1', endpoint, outcome: 'aborted', seconds: 0.1 });
    expect(metrics.modelEndpoints()[0]).toMatchObject({ status: 'failed', code: 'upstream_error' });
    metrics.modelRequest({ model: 'm1', endpoint, outcome: 'ok', seconds: 1, firstTokenSeconds: 0.3 });
    expect(metrics.modelEndpoints()).toEqual([{ ...endpoint, status: 'ok', at: AT.toISOString() }]);
  });
});

describe('instrumentModels', () => {
  it('measures a whole stream (latency, first token) without changing what it yields', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const events = [...textEvents('one two three', 4), completedEvent({ inputTokens: 5, outputTokens: 3 })];
    const models = instrumentModels(new ScriptedProvider(new ScriptedModel([events])), metrics);
    const seen: ModelEvent[] = [];
    for await (const event of models.getModel('m1', 'responses').stream(REQUEST, new AbortController().signal)) seen.push(event);
    expect(seen).toEqual(events);
    expect(models.mode).toBe('offline');
    expect(models.moderate).toBeUndefined();
    expect((await counts(metrics, 'agent_chat_model_request_duration_seconds')).map((v) => [v.labels, v.value])).toEqual([[{ model: 'm1', outcome: 'ok' }, 1]]);
    expect(await counts(metrics, 'agent_chat_model_time_to_first_token_seconds')).toEqual([{ labels: { model: 'm1' }, value: 1, metricName: expect.any(String) }]);
    expect(metrics.modelEndpoints()).toMatchObject([{ mode: 'offline', api: 'responses', status: 'ok' }]);
  });

  it('labels a failed request with its error code and a reader that stops early as aborted', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const failing = new ScriptedModel([[{ type: 'throw', error: new UpstreamError('The model service is overloaded.', { status: 503 }) }], textEvents('a b c d', 1)]);
    const models = instrumentModels(new ScriptedProvider(failing), metrics);
    const model = models.getModel('m1', 'chat');
    await expect(drain(model.stream(REQUEST, new AbortController().signal))).rejects.toThrow(UpstreamError);
    expect(metrics.modelEndpoints()).toMatchObject([{ api: 'chat', status: 'failed', code: 'upstream_error', httpStatus: 503 }]);
    expect(await drain(model.stream(REQUEST, new AbortController().signal), 2)).toBe(2);
    const outcomes = (await counts(metrics, 'agent_chat_model_request_duration_seconds')).map((v) => [v.labels.outcome, v.value]);
    expect(outcomes).toEqual(expect.arrayContaining([['upstream_error', 1], ['aborted', 1]]));
    // The early stop said nothing about the endpoint: its last check is still the failure.
    expect(metrics.modelEndpoints()).toMatchObject([{ status: 'failed' }]);
  });
});
