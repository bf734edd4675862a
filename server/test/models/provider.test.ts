import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.ts';
import { OpenAIChatModel } from '../../src/models/openai-chat-model.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { OpenAIResponsesModel } from '../../src/models/openai-responses-model.ts';
import { startFakeUpstream, type FakeUpstream } from '../../src/testing/fake-upstream.ts';
import { collect, simpleRequest, textOf } from './collect.ts';

describe('createModelProvider', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  /** A fetch that sends api.openai.com traffic to the fake upstream instead. */
  const redirect: typeof fetch = (input, init) =>
    fetch(String(input instanceof Request ? input.url : input).replace('https://api.openai.com/v1', upstream.url), init);

  it('picks the mode from the key and the base URL (empty strings count as unset)', () => {
    expect(createModelProvider({}).mode).toBe('offline');
    expect(createModelProvider({ apiKey: '', baseURL: '' }).mode).toBe('offline');
    expect(createModelProvider({ apiKey: 'sk-x' }).mode).toBe('openai');
    expect(createModelProvider({ baseURL: 'http://localhost:11434/v1' }).mode).toBe('base_url');
    expect(createModelProvider({ apiKey: 'sk-x', baseURL: 'http://localhost:11434/v1' }).mode).toBe('base_url');
  });

  it('offers moderation only with an OpenAI key', () => {
    expect(createModelProvider({}).moderate).toBeUndefined();
    expect(createModelProvider({ baseURL: 'http://localhost:1/v1' }).moderate).toBeUndefined();
    expect(typeof createModelProvider({ apiKey: 'sk-x' }).moderate).toBe('function');
  });

  it('hands out one adapter per API and model name', () => {
    const provider = createModelProvider({});
    expect(provider.getModel('a', 'responses')).toBeInstanceOf(OpenAIResponsesModel);
    expect(provider.getModel('a', 'chat')).toBeInstanceOf(OpenAIChatModel);
    expect(provider.getModel('a', 'chat')).toBe(provider.getModel('a', 'chat'));
    expect(provider.getModel('b', 'chat')).not.toBe(provider.getModel('a', 'chat'));
  });

  it('in openai mode calls api.openai.com with the key, whatever OPENAI_BASE_URL says', async () => {
    const before = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:1/v1';
    try {
      upstream.requests.length = 0;
      upstream.enqueue({ fixture: 'responses-text.sse' });
      const provider = createModelProvider({ apiKey: 'sk-live', fetch: redirect });
      const { events, error } = await collect(provider.getModel('gpt-4.1-mini', 'responses').stream(simpleRequest(), new AbortController().signal));
      expect(error).toBeUndefined();
      expect(textOf(events).length).toBeGreaterThan(10);
      expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-live');
    } finally {
      if (before === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = before;
    }
  });

  it('moderates through the moderations endpoint and lists the flagged categories', async () => {
    upstream.requests.length = 0;
    upstream.enqueue({
      status: 200,
      body: {
        id: 'modr-1',
        model: 'omni-moderation-latest',
        results: [{ flagged: true, categories: { harassment: true, violence: false, 'self-harm': true }, category_scores: {} }],
      },
    });
    const provider = createModelProvider({ apiKey: 'sk-live', fetch: redirect });
    const result = await provider.moderate?.('some text', '', new AbortController().signal);
    expect(result).toEqual({ flagged: true, categories: ['harassment', 'self-harm'] });
    expect(upstream.requests[0]?.path).toBe('/v1/moderations');
    expect(upstream.requests[0]?.body).toEqual({ model: 'omni-moderation-latest', input: 'some text' });
  });

  it('turns a moderation failure into an UpstreamError', async () => {
    upstream.enqueue({ status: 401, body: { error: { message: 'bad key', code: 'invalid_api_key' } } });
    const provider = createModelProvider({ apiKey: 'sk-live', fetch: redirect, maxRetries: 0 });
    await expect(provider.moderate?.('x', 'omni-moderation-latest', new AbortController().signal)).rejects.toBeInstanceOf(UpstreamError);
  });
});
