import { afterAll, describe, expect, it } from 'vitest';
import { STORAGE_ENGINES } from './helpers/storage-engines.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { pdfBytes, pngBytes } from './helpers/upload-fixtures.ts';

// The upload path end to end on each engine: HTTP upload, message.send, thread delete.

describe.each(STORAGE_ENGINES)('Uploads on $name', (engine) => {
  const scope = useTestScope();
  afterAll(() => engine.shutdown());

  it('Should store an upload, attach it with the message in one commit, and delete it with the thread', async () => {
    const { storage, dispose } = await engine.open();
    const t = await scope.boot({ storage });
    try {
      const { client, ready } = await scope.connect(t);
      const put = async (name: string, bytes: Uint8Array) => {
        const form = new FormData();
        form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
        const res = await fetch(`${t.url}/v1/uploads`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${ready.uploadToken}` } });
        expect(res.status).toBe(201);
        return ((await res.json()) as { id: string }).id;
      };
      const png = await put('shot.png', pngBytes());
      const pdf = await put('invoice.pdf', pdfBytes('Invoice 1234'));
      const opened = await client.request({ type: 'thread.create', workflow: 'support' });
      const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
      const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'c1', text: 'two files', attachments: [png, pdf] });
      expect(accepted.type).toBe('message.accepted');
      const itemId = accepted.type === 'message.accepted' ? accepted.itemId : '';
      await client.runFinished(accepted.type === 'message.accepted' ? accepted.runId : '');

      expect((await storage.uploads.get(png))?.itemId).toBe(itemId);
      expect((await storage.uploads.get(pdf))?.itemId).toBe(itemId);
      const stored = await storage.items.get(threadId, itemId);
      expect(stored?.item).toMatchObject({ attachments: [{ id: png, name: 'shot.png', mime: 'image/png' }, { id: pdf, name: 'invoice.pdf', mime: 'application/pdf' }] });
      expect(await storage.uploads.usedBytes((await storage.uploads.get(png))!.owner)).toBe(pngBytes().byteLength + pdfBytes('Invoice 1234').byteLength);

      expect(await client.request({ type: 'thread.delete', threadId })).toMatchObject({ type: 'thread.deleted' });
      expect(await storage.uploads.get(png)).toBeUndefined();
      expect(await storage.uploads.read(pdf)).toBeUndefined();
    } finally {
      // The server does not own this storage: stop it first (closing it again later is a no-op).
      await t.close();
      await dispose();
    }
  });
});
