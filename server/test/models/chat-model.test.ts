import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { UPSTREAM_MESSAGES } from '../../src/models/upstream-error.ts';
import { readFixture, startFakeUpstream, type FakeUpstream } from '../../src/testing/fake-upstream.ts';
import { callsOf, collect, roundTripRequest, simpleRequest, textOf } from './collect.ts';

interface Chunk {
  choices: Array<{ delta: { content?: string | null } }>;
}

/** The content a chat fixture carries, joined from its chunks (independently of the adapter). */
function fixtureContent(name: string): { text: string; contentChunks: number } {
  const lines = readFixture(name)
    .toString('utf8')
    .split('\n')
    .map((line) => line.replace(/^data: /, ''))
    .filter((line) => line.startsWith('{'));
  const contents = lines.flatMap((line) => (JSON.parse(line) as Chunk).choices.map((c) => c.delta.content ?? '')).filter(Boolean);
  return { text: contents.join(''), contentChunks: contents.length };
}

describe('OpenAIChatModel against recorded streams', () => {
  let upstream: FakeUpstream;
  const model = () => createModelProvider({ baseURL: upstream.url, timeoutMs: 5_000 }).getModel('gpt-4o', 'chat');

  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  it('streams chat-text.sse (no usage chunk)', async () => {
    upstream.enqueue({ fixture: 'chat-text.sse' });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    const expected = fixtureContent('chat-text.sse');
    expect(textOf(events)).toBe(expected.text);
    expect(textOf(events)).toMatch(/^I am an artificial/);
    expect(events.filter((e) => e.type === 'text_delta')).toHaveLength(expected.contentChunks);
    expect(events.at(-1)).toEqual({ type: 'completed' });
  });

  it('streams the 300 chunks of chat-text.chunks.txt, split mid UTF-8, with the usage chunk', async () => {
    upstream.enqueue({ fixture: 'chat-text.chunks.txt', splitBytes: 997 });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    const expected = fixtureContent('chat-text.chunks.txt');
    expect(expected.contentChunks).toBe(300);
    expect(textOf(events)).toBe(expected.text);
    expect(textOf(events)).toMatch(/[^\x00-\x7f]/); // the non-ASCII survived the splits
    expect(events.at(-1)).toEqual({ type: 'completed', usage: { inputTokens: 16, outputTokens: 300 } });
  });

  it('assembles two tool calls from fragments by index (chat-tool-calls.sse)', async () => {
    upstream.enqueue({ fixture: 'chat-tool-calls.sse' });
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(callsOf(events)).toEqual([
      { type: 'tool_call', callId: 'call_DwtqVhx8c5yT7s2OKLb2D5hP', name: 'search', arguments: '{"query": "Tigers game schedule October 22, 2023"}' },
      { type: 'tool_call', callId: 'call_Lq3VEqo3xVZMX0BOU4I79Ktg', name: 'weather', arguments: '{"city": "Detroit"}' },
    ]);
    expect(JSON.parse(callsOf(events)[1]?.arguments ?? '')).toEqual({ city: 'Detroit' });
    expect(events.at(-1)).toEqual({ type: 'completed' });
  });

  it('retries a 429 and then streams the text', async () => {
    upstream.enqueue(
      { status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, headers: { 'retry-after-ms': '5' } },
      { fixture: 'chat-text.sse' },
    );
    const { events, error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(upstream.requests).toHaveLength(2);
    expect(textOf(events)).toBe(fixtureContent('chat-text.sse').text);
  });

  it('says "out of quota" for a 429 insufficient_quota that persists', async () => {
    const quota = { status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }, headers: { 'retry-after-ms': '1' } };
    upstream.enqueue(quota, quota, quota);
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(upstream.requests).toHaveLength(3);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.quota);
  });

  it('gives up on a 503 that persists', async () => {
    const fail = { status: 503, body: { error: { message: 'overloaded', type: 'server_error' } }, headers: { 'retry-after-ms': '1' } };
    upstream.enqueue(fail, fail, fail);
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.overloaded);
  });

  it('stops promptly on abort mid-stream and throws an AbortError', async () => {
    upstream.enqueue({ fixture: 'chat-text.chunks.txt', stallAfterFrames: 20 });
    const controller = new AbortController();
    let deltas = 0;
    let caught: unknown;
    const started = Date.now();
    try {
      for await (const event of model().stream(simpleRequest(), controller.signal)) {
        if (event.type === 'text_delta' && ++deltas === 5) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe('AbortError');
    expect(deltas).toBeLessThan(20);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(upstream.requests[0]?.completed).toBe(false);
  });

  it('fails a body that ends before any chunk', async () => {
    upstream.enqueue({ fixture: 'chat-text.sse', endAfterFrames: 0 });
    const { error } = await collect(model().stream(simpleRequest(), new AbortController().signal));
    expect((error as UpstreamError).message).toBe(UPSTREAM_MESSAGES.cutOff);
  });

  it('sends the system message, assistant tool_calls and tool messages upstream', async () => {
    upstream.enqueue({ fixture: 'chat-text.sse' });
    await collect(model().stream(roundTripRequest, new AbortController().signal));
    const request = upstream.requests[0];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer not-needed');
    expect(request?.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a friendly weather assistant.' },
        { role: 'user', content: 'Weather in Beijing?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature_c":21}' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city.',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            strict: false,
          },
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('groups parallel calls into one assistant message and sends response_format', async () => {
    upstream.enqueue({ fixture: 'chat-text.sse' });
    const schema = { type: 'object' as const, properties: { pass: { type: 'boolean' }, reason: { type: 'string' } }, required: ['pass', 'reason'], additionalProperties: false };
    await collect(
      model().stream(
        {
          model: '',
          instructions: '',
          input: [
            { type: 'message', role: 'user', content: 'hi' },
            { type: 'function_call', callId: 'a', name: 'one', arguments: '{}' },
            { type: 'function_call', callId: 'b', name: 'two', arguments: '{}' },
            { type: 'function_call_output', callId: 'a', output: '1' },
            { type: 'function_call_output', callId: 'b', output: '2' },
          ],
          tools: [],
          responseFormat: { name: 'verdict', schema },
        },
        new AbortController().signal,
      ),
    );
    const body = upstream.requests[0]?.body as Record<string, unknown>;
    expect(body.model).toBe('gpt-4o'); // the name the model was created with
    expect(body.tools).toBeUndefined();
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'one', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'two', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: '1' },
      { role: 'tool', tool_call_id: 'b', content: '2' },
    ]);
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'verdict', schema, strict: true } });
  });
});
