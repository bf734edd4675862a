import type { Item, ThreadEventBody } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { createRunAgent } from '../../src/agents/run-loop.ts';
import type { RunInput } from '../../src/agents/run-types.ts';
import { ToolRegistry } from '../../src/agents/tool.ts';
import { AttachmentPreparer } from '../../src/attachments/attachment-preparer.ts';
import { silentLogger } from '../../src/logger.ts';
import type { ModelApi } from '@agent-chat/shared';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { TINY_PNG, memoryUploads, tinyPdf } from '../helpers/test-files.ts';
import { collect, context, nextId, workflow } from './helpers.ts';

const REPORT = 'Quarterly revenue grew 12% to 4.2 million euros, driven by the new subscription plans in France, Germany and Spain, while costs stayed flat.';

const uploads = memoryUploads({
  upl_pdf: { name: 'report.pdf', mime: 'application/pdf', bytes: tinyPdf([REPORT]) },
  upl_png: { name: 'screenshot.png', mime: 'image/png', bytes: TINY_PNG },
  upl_scan: { name: 'scan.pdf', mime: 'application/pdf', bytes: tinyPdf([null]) },
});

function withFiles(text: string, files: Array<[id: string, name: string, mime: string]>): Extract<Item, { type: 'user_message' }> {
  return {
    id: nextId('usr'),
    type: 'user_message',
    text,
    attachments: files.map(([id, name, mime]) => ({ id, name, mime, size: 1 })),
    createdAt: new Date(0).toISOString(),
  };
}

/** Runs the offline model (the real `openai` client against it) on a thread and returns the reply's text. */
async function reply(history: Item[], api: ModelApi = 'responses'): Promise<string> {
  const wf = workflow([{ id: 'helper', name: 'Helper', instructions: 'You are a helpful assistant.', api }]);
  const message = history.at(-1) as Extract<Item, { type: 'user_message' }>;
  const preparer = new AttachmentPreparer({ readUpload: uploads.readUpload, log: silentLogger });
  const input: RunInput = {
    runId: nextId('run'),
    threadId: 'thr_test',
    workflow: wf,
    agentId: 'helper',
    history,
    trigger: { kind: 'message', message },
    attachments: await preparer.forHistory(history),
  };
  const runAgent = createRunAgent({ models: createModelProvider({}), tools: new ToolRegistry([]), log: () => {} });
  const events: ThreadEventBody[] = await collect(runAgent(input, context()));
  expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' });
  const done = events.filter((e) => e.type === 'item.done').map((e) => e.item);
  const answer = done.find((item) => item.type === 'assistant_message');
  return answer?.type === 'assistant_message' ? answer.text : '';
}

describe('the offline model and attachments', () => {
  it.each(['responses', 'chat'] as const)('names each attachment with its type and quotes the PDF text (%s API)', async (api) => {
    const text = await reply([withFiles('Please have a look.', [['upl_pdf', 'report.pdf', 'application/pdf'], ['upl_png', 'screenshot.png', 'image/png']])], api);
    expect(text).toMatch(
      /^I see 2 attachments: report\.pdf \(PDF\): “Quarterly revenue grew 12% to 4\.2 million euros, driven by the new subscription plans in France …”; screenshot\.png \(image\)\./,
    );
  });

  it('acknowledges a message that is only a file, and says a scanned PDF has no text layer', async () => {
    const text = await reply([withFiles('', [['upl_scan', 'scan.pdf', 'application/pdf']])]);
    expect(text).toMatch(/^I see 1 attachment: scan\.pdf \(PDF\) \(this PDF has no text layer: it is probably scanned images\)\./);
  });

  it('says so when a file is gone', async () => {
    const text = await reply([withFiles('here', [['upl_gone', 'old.txt', 'text/plain']])]);
    expect(text).toMatch(/^I see 1 attachment: old\.txt \(text\) \(this file is not available\)\./);
  });

  it('does not take an attachment\'s words for the visitor\'s: the reply to a later message does not list it again', async () => {
    const first = withFiles('Please have a look.', [['upl_pdf', 'report.pdf', 'application/pdf']]);
    const answer: Item = { id: nextId(), type: 'assistant_message', agent: 'helper', text: 'I see it.', status: 'done', createdAt: new Date(0).toISOString() };
    const text = await reply([first, answer, withFiles('Thanks!', [])]);
    expect(text).not.toContain('attachment');
    expect(text.length).toBeGreaterThan(0);
  });
});
