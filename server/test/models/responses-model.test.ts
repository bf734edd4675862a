import { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { UPSTREAM_MESSAGES } from '../../src/models/upstream-error.ts';
import { readFixture, startFakeUpstream, type FakeUpstream } from '../../src/testing/fake-upstream.ts';
import { callsOf, collect, roundTripRequest, simpleRequest, textOf } from './collect.ts';

/** The text a Responses fixture says it produced (from its output_text.done event). */
function fixtureText(name: string): string {
  const match = /"type":"response\.output_text\.done".*?"text":("(?:[^"\\]|\\.)*")/.exec(readFixture(name).toString('utf8'));
  return JSON.parse(match?.[1] ?? '""') as string;
}

describe('OpenAIResponsesModel against recorded streams', () => {
  let upstream: FakeUpstream;
  const model = () => createModelProvider({ baseURL: upstream.url, apiKey: 'sk-test', timeoutMs: 5_000 }).getModel('gpt-4o', 'responses');

  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  it('streams the 60 text deltas of responses-text.sse, then completed with usage', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse' });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === 'text_delta')).toHaveLength(60);
    expect(textOf(events)).toBe(fixtureText('responses-text.sse'));
    expect(textOf(events)).toMatch(/^I am OpenAI's language model/);
    expect(events.at(-1)).toEqual({ type: 'completed', usage: { inputTokens: 10, outputTokens: 62 } });
  });

  it('reassembles a stream cut at arbitrary byte boundaries', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse', splitBytes: 61 });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(fixtureText('responses-text.sse'));
  });

  it('assembles one function call from argument fragments (responses-function-call.chunks.txt)', async () => {
    upstream.enqueue({ fixture: 'responses-function-call.chunks.txt' });
    const { events, error } = await collect(model().stream(simpleRequest('Weather in Beijing?'), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'tool_call', callId: 'call_2FQdm3Br7Qb35YUBSkDR7kue', name: 'get_weather', arguments: '{"city":"Beijing"}' },
      { type: 'completed', usage: { inputTokens: 45, outputTokens: 25 } },
    ]);
  });

  it('yields both parallel calls of responses-parallel-tools.sse, in order', async () => {
    upstream.enqueue({ fixture: 'responses-parallel-tools.sse' });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(callsOf(events)).toEqual([
      { type: 'tool_call', callId: 'call_GXd80NWdsX8ng3xdeNLeA42o', name: 'search', arguments: '{"query":"Detroit Tigers game time October 6, 2023"}' },
      { type: 'tool_call', callId: 'call_qfdHN9tTntv02109c9RNnGGe', name: 'weather', arguments: '{"city":"Detroit"}' },
    ]);
    expect(events.at(-1)?.type).toBe('completed');
  });

  it('turns the insufficient_quota error event into a readable UpstreamError', async () => {
    upstream.enqueue({ fixture: 'responses-error.chunks.txt' });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.quota);
    expect((error as UpstreamError).code).toBe('upstream_error');
    expect((error as UpstreamError).cause).toBeInstanceOf(APIError);
    expect(((error as UpstreamError).cause as APIError).code).toBe('insufficient_quota');
  });

  it('turns the rate_limit_exceeded error event into a readable UpstreamError', async () => {
    upstream.enqueue({ fixture: 'responses-rate-limited.sse' });
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.rateLimited);
  });

  it('retries a 429 (the SDK backoff) and then streams the text', async () => {
    upstream.enqueue(
      { status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } }, headers: { 'retry-after-ms': '5' } },
      { fixture: 'responses-text.sse' },
    );
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
    expect(textOf(events)).toBe(fixtureText('responses-text.sse'));
  });

  it('gives up on a 500 that persists after the retries', async () => {
    const fail = { status: 500, body: { error: { message: 'boom', type: 'server_error', code: null, param: null } }, headers: { 'retry-after-ms': '1' } };
    upstream.enqueue(fail, fail, fail);
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(upstream.requests).toHaveLength(3); // 1 + maxRetries (2)
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.overloaded);
  });

  it('does not retry a 401 and says the credentials were rejected', async () => {
    upstream.enqueue({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-test', type: 'invalid_request_error', code: 'invalid_api_key', param: null } } });
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(upstream.requests).toHaveLength(1);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.auth);
    expect((error as UpstreamError).message).not.toContain('sk-test');
  });

  it('stops promptly on abort mid-stream and throws an AbortError', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse', stallAfterFrames: 10 });
    const controller = new AbortController();
    const seen: string[] = [];
    const started = Date.now();
    let caught: unknown;
    try {
      for await (const event of model().stream(simpleRequest(), controller.signal)) {
        if (event.type === 'text_delta') seen.push(event.delta);
        if (seen.length === 3) setTimeout(() => controller.abort(), 20);
      }
    } catch (error) {
      caught = error;
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect((caught as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(upstream.requests[0]?.completed).toBe(false);
  });

  it('aborts at once while the SDK is waiting to retry', async () => {
    upstream.enqueue({ status: 429, body: { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, headers: { 'retry-after-ms': '10000' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const { error } = await collect(model().stream(simpleRequest(), controller.signal));
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { error } = await collect(model().stream(simpleRequest(), controller.signal));
    expect((error as Error).name).toBe('AbortError');
    expect(upstream.requests).toHaveLength(0);
  });

  it('fails a stream that goes silent with a timeout UpstreamError', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse', stallAfterFrames: 5 });
    const provider = createModelProvider({ baseURL: upstream.url, timeoutMs: 300 });
    const started = Date.now();
    const { events, error } = await collect(provider.getModel('gpt-4o', 'responses').stream(simpleRequest(), new AbortController().signal));
    expect(events.length).toBeGreaterThan(0);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.timeout);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('fails a stream whose connection drops mid-body', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse', destroyAfterFrames: 8 });
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.connectionLost);
  });

  it('fails a stream that ends before response.completed', async () => {
    // 12 of the 68 frames, then a clean end of the body.
    upstream.enqueue({ fixture: 'responses-text.sse', endAfterFrames: 12 });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.cutOff);
  });

  it('sends instructions, input items and function tools upstream', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse' });
    await collect(model().stream(roundTripRequest, new AbortController().signal));
    const request = upstream.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toEqual({
      model: 'gpt-4o',
      instructions: 'You are a friendly weather assistant.',
      input: [
        { type: 'message', role: 'user', content: 'Weather in Beijing?' },
        { type: 'message', role: 'assistant', content: 'Let me check.' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Beijing"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temperature_c":21}' },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather for a city.',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: false,
        },
      ],
      stream: true,
      store: false,
    });
  });

  it('asks for structured output with a json_schema text format', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse' });
    const schema = { type: 'object' as const, properties: { pass: { type: 'boolean' } }, required: ['pass'], additionalProperties: false };
    await collect(model().stream({ ...simpleRequest(), responseFormat: { name: 'verdict', schema } }, new AbortController().signal));
    expect((upstream.requests[0]?.body as { text: unknown }).text).toEqual({ format: { type: 'json_schema', name: 'verdict', schema, strict: true } });
  });
});
