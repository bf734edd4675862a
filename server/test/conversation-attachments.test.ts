import { type Item, Workflow } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { createRunAgent } from '../src/agents/run-loop.ts';
import { ToolRegistry } from '../src/agents/tool.ts';
import type { ModelContentPart, ModelRequest } from '../src/models/model.ts';
import { type Harness, useHarnesses } from './helpers/conversation-harness.ts';
import { recordingProvider } from './helpers/recording-provider.ts';
import { TINY_PNG, memoryUploads, tinyPdf } from './helpers/test-files.ts';

const OWNER = 'visitor:vis_files';
const WORKFLOW = Workflow.parse({
  id: 'files',
  name: 'Files',
  entryAgent: 'helper',
  agents: [{ id: 'helper', name: 'Helper', instructions: 'You are a helpful assistant.' }],
});
const PNG_BASE64 = Buffer.from(TINY_PNG).toString('base64');

/**
 * Stores a visitor's message with attachments in the thread, as the conversation service
 * stores one sent with upload ids.
 */
async function storeMessageWithFiles(h: Harness, threadId: string): Promise<void> {
  const item: Item = {
    id: 'itm_files',
    type: 'user_message',
    text: 'Here are the files.',
    attachments: [
      { id: 'upl_pdf', name: 'report.pdf', mime: 'application/pdf', size: 600 },
      { id: 'upl_png', name: 'screenshot.png', mime: 'image/png', size: TINY_PNG.length },
    ],
    createdAt: new Date(0).toISOString(),
  };
  const release = await h.eventLog.acquire(threadId);
  h.eventLog.append(threadId, { type: 'item.added', item });
  h.eventLog.append(threadId, { type: 'item.done', item });
  release();
  await h.eventLog.flush();
}

/** The first user message of a request, as parts. */
function firstUserParts(request: ModelRequest | undefined): ModelContentPart[] {
  const first = request?.input.find((i) => i.type === 'message' && i.role === 'user');
  return first?.type === 'message' && Array.isArray(first.content) ? first.content : [];
}

describe('attachments through the conversation layer', () => {
  const scope = useHarnesses();

  async function thread(readUpload?: ReturnType<typeof memoryUploads>['readUpload']) {
    const { provider, requests } = recordingProvider();
    const runAgent = createRunAgent({ models: provider, tools: new ToolRegistry([]), log: () => {} });
    const { h } = await scope.harness({ runAgent, workflows: new Map([[WORKFLOW.id, WORKFLOW]]), ...(readUpload ? { readUpload } : {}) });
    const threadId = (await h.service.createThread(OWNER, WORKFLOW.id)).thread.id;
    await h.watch(OWNER, threadId);
    await storeMessageWithFiles(h, threadId);
    const send = async (clientMessageId: string, text: string) => {
      const accepted = await h.service.sendMessage(OWNER, { threadId, clientMessageId, text });
      expect(await h.finished(threadId, accepted.runId)).toMatchObject({ status: 'completed' });
    };
    return { send, requests };
  }

  it('reads the files before the run, and every later turn still shows them to the model (read once)', async () => {
    const uploads = memoryUploads({
      upl_pdf: { name: 'report.pdf', mime: 'application/pdf', bytes: tinyPdf(['Quarterly revenue grew 12%']) },
      upl_png: { name: 'screenshot.png', mime: 'image/png', bytes: TINY_PNG },
    });
    const { send, requests } = await thread(uploads.readUpload);
    await send('c1', 'What does the report say?');
    await send('c2', 'And the screenshot?');
    expect(requests).toHaveLength(2);
    const expected: ModelContentPart[] = [
      { type: 'text', text: 'Here are the files.' },
      { type: 'text', text: '[Attachment: report.pdf (PDF)]\nQuarterly revenue grew 12%' },
      { type: 'text', text: '[Attachment: screenshot.png (image)]' },
      { type: 'image', mime: 'image/png', dataBase64: PNG_BASE64 },
    ];
    expect(firstUserParts(requests[0])).toEqual(expected);
    expect(firstUserParts(requests[1])).toEqual(expected);
    // The second turn's input: the files' message, the first exchange, the new message.
    expect(requests[1]?.input.filter((i) => i.type === 'message').map((i) => i.role)).toEqual(['user', 'user', 'assistant', 'user']);
    expect(Object.fromEntries(uploads.reads)).toEqual({ upl_pdf: 1, upl_png: 1 });
  });

  it('without upload storage the model is told the files are not available, and the run completes', async () => {
    const { send, requests } = await thread();
    await send('c1', 'What does the report say?');
    expect(firstUserParts(requests[0])).toEqual([
      { type: 'text', text: 'Here are the files.' },
      { type: 'text', text: '[Attachment: report.pdf (PDF)]\n(this file is not available)' },
      { type: 'text', text: '[Attachment: screenshot.png (image)]\n(this file is not available)' },
    ]);
  });

  it('a failing upload store does not fail the run: the file is described as not available', async () => {
    const { send, requests } = await thread(() => Promise.reject(new Error('storage down')));
    await send('c1', 'Hello?');
    expect(firstUserParts(requests[0])[1]).toEqual({ type: 'text', text: '[Attachment: report.pdf (PDF)]\n(this file is not available)' });
  });
});
