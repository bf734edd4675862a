import type { Item } from '@agent-chat/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildModelInput } from '../../src/agents/history.ts';
import { prepareAttachment } from '../../src/attachments/prepare-attachment.ts';
import type { PreparedAttachment } from '../../src/attachments/prepared-attachment.ts';
import type { ModelRequest } from '../../src/models/model.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { startFakeUpstream, type FakeUpstream } from '../../src/testing/fake-upstream.ts';
import { TINY_PNG } from '../helpers/test-files.ts';
import { collect } from './collect.ts';

const PNG_URL = `data:image/png;base64,${Buffer.from(TINY_PNG).toString('base64')}`;
const LONG_CSV = `id,amount\n${'1,9.99\n'.repeat(4_000)}`; // 28 010 characters

/** A thread whose message carries a screenshot and a long CSV, prepared the way a run gets them. */
async function requestWithAttachments(): Promise<ModelRequest> {
  const message: Item = {
    id: 'itm_1',
    type: 'user_message',
    text: 'What is wrong here?',
    attachments: [
      { id: 'upl_png', name: 'screenshot.png', mime: 'image/png', size: TINY_PNG.length },
      { id: 'upl_csv', name: 'orders.csv', mime: 'text/csv', size: LONG_CSV.length },
    ],
    createdAt: new Date(0).toISOString(),
  };
  const prepared = new Map<string, PreparedAttachment>([
    ['upl_png', await prepareAttachment({ name: 'screenshot.png', mime: 'image/png', bytes: TINY_PNG })],
    ['upl_csv', await prepareAttachment({ name: 'orders.csv', mime: 'text/csv', bytes: new TextEncoder().encode(LONG_CSV) })],
  ]);
  return { model: 'gpt-4o', instructions: 'Be brief.', input: buildModelInput([message], undefined, prepared), tools: [] };
}

/** The inlined CSV as it must reach the model: the first 20 000 characters, then the marker. */
const INLINED_CSV = `[Attachment: orders.csv (CSV)]\n${LONG_CSV.slice(0, 20_000)}\n[… truncated: ${LONG_CSV.length - 20_000} more characters]`;

describe('attachments in the request a provider receives', () => {
  let upstream: FakeUpstream;
  const provider = () => createModelProvider({ baseURL: upstream.url, apiKey: 'sk-test', timeoutMs: 5_000, maxRetries: 0 });

  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  it('Responses: the image goes as input_image with a data URL, the CSV as input_text cut at the cap', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse' });
    const { error } = await collect(provider().getModel('gpt-4o', 'responses').stream(await requestWithAttachments(), new AbortController().signal));
    expect(error).toBeUndefined();
    const body = upstream.requests[0]?.body as { input: unknown[] };
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is wrong here?' },
          { type: 'input_text', text: '[Attachment: screenshot.png (image)]' },
          { type: 'input_image', image_url: PNG_URL, detail: 'auto' },
          { type: 'input_text', text: INLINED_CSV },
        ],
      },
    ]);
  });

  it('Chat Completions: the image goes as an image_url part with a data URL, the CSV as text cut at the cap', async () => {
    upstream.enqueue({ fixture: 'chat-text.sse' });
    const { error } = await collect(provider().getModel('gpt-4o', 'chat').stream(await requestWithAttachments(), new AbortController().signal));
    expect(error).toBeUndefined();
    const body = upstream.requests[0]?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is wrong here?' },
          { type: 'text', text: '[Attachment: screenshot.png (image)]' },
          { type: 'image_url', image_url: { url: PNG_URL } },
          { type: 'text', text: INLINED_CSV },
        ],
      },
    ]);
  });

  it('a message without attachments still goes as a plain string to both APIs', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse' });
    upstream.enqueue({ fixture: 'chat-text.sse' });
    const plain: ModelRequest = { model: 'gpt-4o', instructions: '', input: [{ type: 'message', role: 'user', content: 'hi' }], tools: [] };
    await collect(provider().getModel('gpt-4o', 'responses').stream(plain, new AbortController().signal));
    await collect(provider().getModel('gpt-4o', 'chat').stream(plain, new AbortController().signal));
    expect((upstream.requests[0]?.body as { input: unknown[] }).input).toEqual([{ type: 'message', role: 'user', content: 'hi' }]);
    expect((upstream.requests[1]?.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'hi' }]);
  });
});
