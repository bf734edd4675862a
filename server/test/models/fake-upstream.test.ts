import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixtureFrames, readFixture, startFakeUpstream, type FakeUpstream } from '../../src/testing/fake-upstream.ts';

describe('fake upstream', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  it('finds the shared fixtures beside the repository', () => {
    const names = readdirSync(FIXTURES_DIR);
    expect(names).toContain('responses-text.sse');
    expect(names).toContain('chat-text.chunks.txt');
  });

  it('serves every .sse fixture byte for byte', async () => {
    for (const name of readdirSync(FIXTURES_DIR).filter((n) => n.endsWith('.sse'))) {
      upstream.enqueue({ fixture: name });
      const response = await fetch(`${upstream.url}/responses`, { method: 'POST', body: '{}' });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(Buffer.from(await response.arrayBuffer()).equals(readFixture(name)), name).toBe(true);
    }
  });

  it('frames .chunks.txt per API: event+data for Responses, data then [DONE] for Chat', () => {
    const responses = fixtureFrames('responses-function-call.chunks.txt').map((b) => b.toString('utf8'));
    expect(responses).toHaveLength(12);
    expect(responses[0]).toMatch(/^event: response\.created\ndata: \{"type":"response\.created"/);
    expect(responses.every((f) => f.endsWith('}\n\n'))).toBe(true);
    const chat = fixtureFrames('chat-text.chunks.txt').map((b) => b.toString('utf8'));
    expect(chat).toHaveLength(304);
    expect(chat[0]).toMatch(/^data: \{"id":"chatcmpl-/);
    expect(chat.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('answers queued statuses with their headers and records requests', async () => {
    upstream.requests.length = 0;
    upstream.enqueue({ status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after-ms': '7' } });
    const response = await fetch(`${upstream.url}/chat/completions`, { method: 'POST', body: '{"model":"m"}' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('7');
    expect(await response.json()).toEqual({ error: { message: 'slow down' } });
    expect(upstream.requests).toMatchObject([{ method: 'POST', path: '/v1/chat/completions', body: { model: 'm' }, completed: true }]);
  });

  it('says so when nothing is queued', async () => {
    const response = await fetch(`${upstream.url}/responses`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/no reply queued/);
  });
});
