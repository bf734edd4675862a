import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createOfflineFetch } from '../../src/models/offline/offline-fetch.ts';
import { readFixture } from '../../src/testing/fake-upstream.ts';
import { weatherTool } from './collect.ts';

const BASE = 'http://offline.local/v1';
type Json = Record<string, any>;

async function post(path: string, body: unknown, fetchImpl = createOfflineFetch()): Promise<Response> {
  return fetchImpl(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** SSE text → [{event, data}] (data parsed unless [DONE]). */
function parseSse(text: string): Array<{ event: string | undefined; data: any }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return { event, data: data === '[DONE]' ? '[DONE]' : JSON.parse(data) };
    });
}

/** The first payload of each type in a recorded Responses fixture. */
function recordedByType(name: string): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const { data } of parseSse(readFixture(name).toString('utf8'))) if (!map.has(data.type)) map.set(data.type, data);
  return map;
}

const weatherRequest = { model: 'gpt-4o', instructions: 'You are a friendly weather assistant.', input: [{ role: 'user', content: "What's the weather in Paris?" }], tools: [{ type: 'function', ...weatherTool, strict: false }], stream: true };
const helloRequest = { model: 'gpt-4o', instructions: 'You are the support assistant.', input: 'Hello there', stream: true };

describe('offline fetch: Responses wire format', () => {
  it('streams a text reply with the recorded event sequence and shapes', async () => {
    const response = await post('/responses', helloRequest);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await response.text();
    expect(raw.endsWith('\n\n')).toBe(true);
    expect(raw).not.toContain('[DONE]');
    const events = parseSse(raw);
    events.forEach(({ event, data }, i) => {
      expect(event).toBe(data.type);
      expect(data.sequence_number).toBe(i);
    });
    const types = events.map((e) => e.event);
    const deltas = types.filter((t) => t === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(3);
    expect(types).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...Array<string>(deltas).fill('response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    const text = events.filter((e) => e.event === 'response.output_text.delta').map((e) => e.data.delta).join('');
    expect(events.find((e) => e.event === 'response.output_text.done')?.data.text).toBe(text);
    const completed = events.at(-1)?.data;
    expect(completed.response.status).toBe('completed');
    expect(completed.response.output[0].content[0].text).toBe(text);
    expect(completed.response.usage.output_tokens).toBe(Math.ceil(text.length / 4));
    // Same fields as the real recording, event by event.
    const recorded = recordedByType('responses-text.sse');
    for (const { data } of events) {
      expect(Object.keys(data), data.type).toEqual(Object.keys(recorded.get(data.type) ?? {}));
      if (data.response) expect(Object.keys(data.response)).toEqual(Object.keys(recorded.get(data.type)?.response ?? {}));
    }
  });

  it('streams a function call in argument fragments, shaped like the recording', async () => {
    const events = parseSse(await (await post('/responses', weatherRequest)).text());
    const types = events.map((e) => e.event);
    expect(types[2]).toBe('response.output_item.added');
    expect(types.filter((t) => t === 'response.function_call_arguments.delta').length).toBeGreaterThan(2);
    const added = events[2]?.data;
    expect(added.item).toMatchObject({ type: 'function_call', status: 'in_progress', arguments: '', name: 'get_weather' });
    expect(added.item.call_id).toMatch(/^call_/);
    const joined = events.filter((e) => e.event === 'response.function_call_arguments.delta').map((e) => e.data.delta).join('');
    expect(joined).toBe('{"city":"Paris"}');
    expect(events.find((e) => e.event === 'response.function_call_arguments.done')?.data.arguments).toBe(joined);
    const done = events.find((e) => e.event === 'response.output_item.done')?.data;
    expect(done.item).toEqual({ ...added.item, status: 'completed', arguments: joined });
    const recorded = recordedByType('responses-parallel-tools.sse');
    for (const { data } of events) expect(Object.keys(data).sort(), data.type).toEqual(Object.keys(recorded.get(data.type) ?? {}).sort());
  });

  it('answers stream: false with a response object the SDK reads', async () => {
    const client = new OpenAI({ apiKey: 'offline', baseURL: BASE, fetch: createOfflineFetch() });
    const response = await client.responses.create({ model: 'gpt-4o', instructions: 'You are the support assistant.', input: 'Hello' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toMatch(/^Hi! I'm the support assistant\./);
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
  });
});

describe('offline fetch: Chat Completions wire format', () => {
  const chatWeather = {
    model: 'gpt-4o',
    messages: [
      { role: 'system' as const, content: 'You are a weather assistant.' },
      { role: 'user' as const, content: 'Weather in Paris please' },
    ],
    tools: [{ type: 'function' as const, function: weatherTool }],
    stream: true,
    stream_options: { include_usage: true },
  };

  it('streams tool-call fragments by index, finish_reason, a usage chunk and [DONE]', async () => {
    const raw = await (await post('/chat/completions', chatWeather)).text();
    expect(raw).not.toContain('event:');
    const chunks = parseSse(raw);
    expect(chunks.at(-1)?.data).toBe('[DONE]');
    const body = chunks.slice(0, -1).map((c) => c.data);
    const recorded = JSON.parse(/^data: (.*)$/m.exec(readFixture('chat-tool-calls.sse').toString('utf8'))?.[1] ?? '{}') as Json;
    for (const chunk of body) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(Object.keys(chunk)).toEqual([...Object.keys(recorded), 'usage']);
    }
    expect(body[0].choices[0].delta).toEqual({ role: 'assistant', content: null });
    const fragments = body.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(fragments[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(fragments[0].id).toMatch(/^call_/);
    expect(fragments.slice(1).every((f: Json) => f.index === 0 && f.id === undefined && Object.keys(f.function).join() === 'arguments')).toBe(true);
    expect(fragments.map((f: Json) => f.function.arguments).join('')).toBe('{"city":"Paris"}');
    const finish = body.at(-2);
    expect(finish.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' });
    const usage = body.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage.total_tokens).toBe(usage.usage.prompt_tokens + usage.usage.completion_tokens);
    expect(body.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('streams text chunks, and no usage chunk unless asked', async () => {
    const raw = await (await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hello' }], stream: true })).text();
    const body = parseSse(raw).slice(0, -1).map((c) => c.data);
    expect(body[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(body.at(-1).choices[0].finish_reason).toBe('stop');
    expect(body.every((c) => !('usage' in c))).toBe(true);
    expect(body.slice(1, -1).map((c) => c.choices[0].delta.content).join('')).toMatch(/^Hi! I'm the assistant\./);
  });

  it('answers stream: false with a chat.completion the SDK reads', async () => {
    const client = new OpenAI({ apiKey: 'offline', baseURL: BASE, fetch: createOfflineFetch() });
    const completion = await client.chat.completions.create({ ...chatWeather, stream: false, stream_options: null });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
  });
});

describe('offline fetch: errors, pacing and abort', () => {
  it('answers an unparsable body with an OpenAI-shaped 400', async () => {
    const response = await post('/responses', '{not json');
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null });
    expect(body.error.message).toMatch(/parse the JSON body/);
  });

  it('names a missing required parameter', async () => {
    const response = await post('/chat/completions', { messages: [] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error).toMatchObject({ param: 'model', message: "Missing required parameter: 'model'." });
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    expect((await post('/embeddings', { model: 'x' })).status).toBe(404);
    expect((await createOfflineFetch()(`${BASE}/responses`, { method: 'GET' })).status).toBe(405);
  });

  it('pauses delayMs between text deltas', async () => {
    const fetchImpl = createOfflineFetch({ delayMs: 25 });
    const started = Date.now();
    const events = parseSse(await (await post('/responses', helloRequest, fetchImpl)).text());
    const deltas = events.filter((e) => e.event === 'response.output_text.delta').length;
    expect(Date.now() - started).toBeGreaterThanOrEqual((deltas - 1) * 25 - 5);
  });

  it('fails the body with an AbortError as soon as the request signal aborts', async () => {
    const controller = new AbortController();
    const response = await createOfflineFetch({ delayMs: 1_000 })(`${BASE}/responses`, { method: 'POST', body: JSON.stringify(helloRequest), signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    let caught: unknown;
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(createOfflineFetch()(`${BASE}/responses`, { method: 'POST', body: '{}', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
