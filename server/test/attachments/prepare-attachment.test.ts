import type { Item } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { AttachmentPreparer } from '../../src/attachments/attachment-preparer.ts';
import { NO_TEXT_LAYER, prepareAttachment } from '../../src/attachments/prepare-attachment.ts';
import { silentLogger } from '../../src/logger.ts';
import { TINY_PNG, memoryUploads, tinyPdf } from '../helpers/test-files.ts';

const text = (value: string) => new TextEncoder().encode(value);
const limits = { maxTextChars: 20_000, maxPages: 20, timeoutMs: 5_000 };

describe('prepareAttachment', () => {
  it('inlines a text file whole when it fits', async () => {
    const prepared = await prepareAttachment({ name: 'notes.md', mime: 'text/markdown', bytes: text('# Notes\n\nShip on Friday.') }, limits);
    expect(prepared).toEqual({ kind: 'text', name: 'notes.md', mime: 'text/markdown', text: '# Notes\n\nShip on Friday.' });
  });

  it('cuts a text file at the cap and says how much was left out', async () => {
    const body = `${'a'.repeat(20_000)}${'b'.repeat(5_000)}`;
    const prepared = await prepareAttachment({ name: 'big.csv', mime: 'text/csv', bytes: text(body) }, limits);
    expect(prepared.kind).toBe('text');
    const out = prepared.kind === 'text' ? prepared.text : '';
    expect(out).toBe(`${'a'.repeat(20_000)}\n[… truncated: 5000 more characters]`);
    expect(out).not.toContain('b');
  });

  it('reads a type with parameters as its bare type', async () => {
    const prepared = await prepareAttachment({ name: 'a.txt', mime: 'text/plain; charset=utf-8', bytes: text('hi') }, limits);
    expect(prepared).toEqual({ kind: 'text', name: 'a.txt', mime: 'text/plain', text: 'hi' });
  });

  it('says a file of a type it cannot read is not readable, without its bytes', async () => {
    const prepared = await prepareAttachment({ name: 'a.zip', mime: 'application/zip', bytes: text('PK\u0003\u0004secret') }, limits);
    expect(prepared).toEqual({ kind: 'text', name: 'a.zip', mime: 'application/zip', text: '(this type of file cannot be read)' });
  });

  it('drops a UTF-8 byte order mark and keeps non-ASCII text', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...text('{"prix":"12 €"}')]);
    expect(await prepareAttachment({ name: 'p.json', mime: 'application/json', bytes }, limits)).toMatchObject({ text: '{"prix":"12 €"}' });
  });

  it('keeps an image as base64 of its bytes', async () => {
    const prepared = await prepareAttachment({ name: 'dot.png', mime: 'image/png', bytes: TINY_PNG }, limits);
    expect(prepared).toEqual({ kind: 'image', name: 'dot.png', mime: 'image/png', dataBase64: Buffer.from(TINY_PNG).toString('base64') });
  });

  it('extracts the text of every page of a PDF', async () => {
    const prepared = await prepareAttachment({ name: 'r.pdf', mime: 'application/pdf', bytes: tinyPdf(['Quarterly revenue grew 12%', 'Costs fell (a little)']) }, limits);
    expect(prepared).toEqual({ kind: 'text', name: 'r.pdf', mime: 'application/pdf', text: 'Quarterly revenue grew 12%\n\nCosts fell (a little)' });
  });

  it('reads at most maxPages pages of a PDF and says how many it skipped', async () => {
    const bytes = tinyPdf(['page one', 'page two', 'page three', 'page four']);
    const prepared = await prepareAttachment({ name: 'r.pdf', mime: 'application/pdf', bytes }, { ...limits, maxPages: 2 });
    expect(prepared).toMatchObject({ text: 'page one\n\npage two\n[… truncated: 2 more pages]' });
  });

  it('describes a PDF without a text layer as such', async () => {
    const prepared = await prepareAttachment({ name: 'scan.pdf', mime: 'application/pdf', bytes: tinyPdf([null, null]) }, limits);
    expect(prepared).toMatchObject({ kind: 'text', text: NO_TEXT_LAYER });
  });

  it('stops a PDF at its time budget instead of waiting for it', async () => {
    const prepared = await prepareAttachment({ name: 'r.pdf', mime: 'application/pdf', bytes: tinyPdf(['hello']) }, { ...limits, timeoutMs: 0 });
    expect(prepared).toMatchObject({ text: '(this PDF could not be read in time)' });
    expect(prepared).not.toMatchObject({ text: expect.stringContaining('hello') });
  });

  it('says a broken PDF could not be read instead of throwing', async () => {
    const prepared = await prepareAttachment({ name: 'x.pdf', mime: 'application/pdf', bytes: text('%PDF-1.4 not really') }, limits);
    expect(prepared).toMatchObject({ kind: 'text', text: '(this PDF could not be read)' });
  });
});

describe('AttachmentPreparer', () => {
  const message = (ids: string[]): Item => ({
    id: `itm_${ids.join('_')}`,
    type: 'user_message',
    text: 'look',
    attachments: ids.map((id) => ({ id, name: `${id}.txt`, mime: 'text/plain', size: 1 })),
    createdAt: new Date(0).toISOString(),
  });
  const files = {
    upl_a: { name: 'a.txt', mime: 'text/plain', bytes: text('alpha') },
    upl_b: { name: 'b.pdf', mime: 'application/pdf', bytes: tinyPdf(['beta']) },
    upl_c: { name: 'c.txt', mime: 'text/plain', bytes: text('gamma') },
  };

  it('prepares every attachment of the history once; later turns come from the cache', async () => {
    const { readUpload, reads } = memoryUploads(files);
    const preparer = new AttachmentPreparer({ readUpload, log: silentLogger });
    const first = await preparer.forHistory([message(['upl_a']), message(['upl_b'])]);
    expect([...first.keys()]).toEqual(['upl_a', 'upl_b']);
    expect(first.get('upl_b')).toMatchObject({ kind: 'text', text: 'beta' });
    const second = await preparer.forHistory([message(['upl_a']), message(['upl_b']), message(['upl_c'])]);
    expect([...second.keys()]).toEqual(['upl_a', 'upl_b', 'upl_c']);
    expect(Object.fromEntries(reads)).toEqual({ upl_a: 1, upl_b: 1, upl_c: 1 });
  });

  it('leaves out an upload that is gone, and keeps the others', async () => {
    const { readUpload } = memoryUploads(files);
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const prepared = await new AttachmentPreparer({ readUpload, log }).forHistory([message(['upl_gone', 'upl_a'])]);
    expect([...prepared.keys()]).toEqual(['upl_a']);
    expect(warnings.join()).toContain('upl_gone');
  });

  it('leaves out an upload whose read fails, and logs why', async () => {
    const errors: unknown[] = [];
    const log = { ...silentLogger, error: (_m: string, e?: unknown) => errors.push(e) };
    const preparer = new AttachmentPreparer({ readUpload: () => Promise.reject(new Error('disk gone')), log });
    expect((await preparer.forHistory([message(['upl_a'])])).size).toBe(0);
    expect(String(errors[0])).toContain('disk gone');
  });

  it('keeps at most cacheEntries, evicting the least recently used', async () => {
    const { readUpload, reads } = memoryUploads(files);
    const preparer = new AttachmentPreparer({ readUpload, log: silentLogger, cacheEntries: 2 });
    await preparer.forHistory([message(['upl_a', 'upl_b'])]);
    await preparer.prepare('upl_a'); // a is now the most recent
    await preparer.prepare('upl_c'); // evicts b
    expect(preparer.cacheSize).toBe(2);
    await preparer.prepare('upl_a');
    await preparer.prepare('upl_b');
    expect(Object.fromEntries(reads)).toEqual({ upl_a: 1, upl_b: 2, upl_c: 1 });
  });

  it('shares one read between two runs asking for the same file at once', async () => {
    const { readUpload, reads } = memoryUploads(files);
    const preparer = new AttachmentPreparer({ readUpload, log: silentLogger });
    const [x, y] = await Promise.all([preparer.prepare('upl_b'), preparer.prepare('upl_b')]);
    expect(x).toBe(y);
    expect(reads.get('upl_b')).toBe(1);
  });
});
