import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TestServer, sqliteOf, tempDataDir } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { BLOG, SHOP, SITE_SECRETS, twoSites, writeSitesFile } from './helpers/sites.ts';
import { GIF, JPEG, WEBP, elfExe, pdfBytes, pngBytes, text, windowsExe } from './helpers/upload-fixtures.ts';
import { TestClient } from './helpers/ws-client.ts';
import { MAX_NAME_CHARS, cleanFileName } from '../src/uploads/file-name.ts';
import { readUploadFrom } from '../src/index.ts';

// POST /v1/uploads and GET /v1/uploads/:id over real HTTP on loopback (real multipart bodies),
// with the real stack behind them (SQLite), and message.send carrying the uploaded files.

const SMALL_LIMIT = 64 * 1024;

interface Answer {
  status: number;
  headers: Headers;
  body: { id?: string; name?: string; mime?: string; size?: number; error?: { code: string; message: string } };
}

async function upload(t: Pick<TestServer, 'url'>, token: string | undefined, name: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), name);
  const res = await fetch(`${t.url}/v1/uploads`, {
    method: 'POST',
    body: form,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** Rows and stored bytes of every upload on the server, and the files of its uploads directory. */
function leftBehind(t: TestServer, uploadsDir?: string): { uploads: number; blobs: number; files: string[] } {
  const db = sqliteOf(t.server).db;
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { uploads: count('uploads'), blobs: count('upload_blobs'), files: uploadsDir ? readdirSync(uploadsDir) : [] };
}

/** The head of a multipart body with one file part, its boundary, and its tail. */
function multipartParts(name: string): { boundary: string; head: string; tail: string } {
  const boundary = '----agentchat' + Math.random().toString(16).slice(2);
  return {
    boundary,
    head: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    tail: `\r\n--${boundary}--\r\n`,
  };
}

/**
 * Sends a multipart body over raw HTTP: `chunks` written one by one (chunked, no length),
 * then `end` says whether the form is closed properly or the body just stops, or the
 * connection is dropped. Resolves with the answer, or `null` when there was none.
 */
function rawUpload(
  t: Pick<TestServer, 'url'>,
  token: string,
  name: string,
  chunks: Iterable<Uint8Array>,
  end: 'close-form' | 'stop' | 'drop',
): Promise<{ status: number; body: Answer['body'] } | null> {
  const { boundary, head, tail } = multipartParts(name);
  const url = new URL(`${t.url}/v1/uploads`);
  return new Promise((resolve) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Answer['body'] }));
    });
    // The server may answer (413) and close while the body is still being written.
    req.on('error', () => {
      if (!answered) resolve(null);
    });
    void (async () => {
      req.write(head);
      for (const chunk of chunks) {
        if (req.destroyed || answered) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      if (end === 'drop') {
        // Give the server the bytes, then cut the connection mid-file.
        await new Promise((r) => setTimeout(r, 50));
        req.destroy();
        setTimeout(() => resolve(null), 100);
        return;
      }
      req.end(end === 'close-form' ? tail : undefined);
    })();
  });
}

function* chunksOf(total: number, size = 8192): Generator<Uint8Array> {
  for (let sent = 0; sent < total; sent += size) yield new Uint8Array(Math.min(size, total - sent)).fill(0x61);
}

describe('Uploads: POST /v1/uploads and GET /v1/uploads/:id', () => {
  const scope = useTestScope();

  async function server(env: Record<string, string> = {}, options: Parameters<typeof scope.boot>[0] = {}) {
    const t = await scope.boot({ env: { MAX_FILE_BYTES: String(SMALL_LIMIT), ...env }, ...options });
    const { client, ready } = await scope.connect(t);
    return { t, client, ready, token: ready.uploadToken };
  }

  it('Should accept each default type by its content, answer 201 {id,name,mime,size}, and serve it back to its owner with safe headers', async () => {
    const { t, token, ready } = await server();
    expect(ready.limits).toMatchObject({
      maxFileBytes: SMALL_LIMIT,
      maxFilesPerMessage: 4,
      acceptedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/markdown', 'text/csv', 'application/json'],
    });
    const cases: Array<[string, Uint8Array, string]> = [
      ['red.png', pngBytes(), 'image/png'],
      ['blue.JPG', JPEG, 'image/jpeg'],
      ['dot.gif', GIF, 'image/gif'],
      ['dot.webp', WEBP, 'image/webp'],
      ['invoice.pdf', pdfBytes('Invoice 1234: 2 chairs'), 'application/pdf'],
      ['scan.pdf', pdfBytes(), 'application/pdf'],
      ['notes.txt', text('plain notes, ünïcödé ✓\n'), 'text/plain'],
      ['README.md', text('# Title\n\nSome *markdown* with <b>inline</b> html later.\n'), 'text/markdown'],
      ['orders.csv', text('order,amount\n1234,20.00\n'), 'text/csv'],
      ['order.json', text('{"order": 1234, "items": [1, 2]}'), 'application/json'],
    ];
    for (const [name, bytes, mime] of cases) {
      const res = await upload(t, token, name, bytes);
      expect(res.status, name).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^upl_[A-Za-z0-9_-]{22}$/), name, mime, size: bytes.byteLength });

      const got = await fetch(`${t.url}/v1/uploads/${res.body.id}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(got.status).toBe(200);
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(got.headers.get('cache-control')).toMatch(/^private/);
      expect(got.headers.get('content-type')).toMatch(new RegExp(`^${mime}`));
      expect(got.headers.get('content-disposition')).toBe(`${mime.startsWith('image/') ? 'inline' : 'attachment'}; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    }
    // Stored once per content: ten files, ten blobs, rows with the right sizes.
    expect(leftBehind(t)).toMatchObject({ uploads: cases.length, blobs: cases.length });
  });

  it('Should refuse with 415 a mismatched extension, a renamed executable, HTML disguised as an image or text, and text that is not what it claims', async () => {
    const { t, token } = await server();
    const refused: Array<[string, Uint8Array]> = [
      ['photo.jpg', pngBytes()], // PNG bytes, JPEG name
      ['photo', pngBytes()], // no extension
      ['report.pdf', windowsExe()],
      ['cat.png', windowsExe()],
      ['notes.txt', elfExe()],
      ['setup.exe', windowsExe()],
      ['cat.png', text('<html><body><script>alert(1)</script></body></html>')],
      ['cat.gif', text('<!DOCTYPE html><img src=x onerror=alert(1)>')],
      ['notes.txt', text('  <!doctype html><html><script>alert(1)</script>')],
      ['logo.png', text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
      ['page.html', text('<p>hello</p>')],
      ['data.json', text('{"not": json')],
      ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9])], // not UTF-8
      ['table.csv', pngBytes()], // binary named as text
    ];
    for (const [name, bytes] of refused) {
      const res = await upload(t, token, name, bytes);
      expect(res.status, name).toBe(415);
      expect(res.body.error?.code).toBe('invalid_request');
      expect(res.body.error?.message).toContain('Accepted types: image/png');
    }
    expect(leftBehind(t)).toEqual({ uploads: 0, blobs: 0, files: [] });
  });

  it('Should accept only the configured types (ACCEPTED_TYPES)', async () => {
    const { t, token, ready } = await server({ ACCEPTED_TYPES: 'image/png, text/plain' });
    expect(ready.limits.acceptedTypes).toEqual(['image/png', 'text/plain']);
    expect((await upload(t, token, 'a.png', pngBytes())).status).toBe(201);
    expect((await upload(t, token, 'a.txt', text('hi'))).status).toBe(201);
    const pdf = await upload(t, token, 'a.pdf', pdfBytes('x'));
    expect(pdf.status).toBe(415);
    expect(pdf.body.error?.message).toContain('Accepted types: image/png, text/plain.');
    expect((await upload(t, token, 'a.md', text('# hi'))).status).toBe(415);
  });

  it('Should cut a file over the limit off with 413 and keep nothing, with a length and chunked with none (bytes in UPLOADS_DIR)', async () => {
    const uploadsDir = join(tempDataDir(), 'uploads');
    scope.dirs.push(uploadsDir);
    mkdirSync(uploadsDir, { recursive: true });
    const { t, token } = await server({ UPLOADS_DIR: uploadsDir });

    // Exactly at the limit is fine; one byte more is not.
    const atLimit = text('a'.repeat(SMALL_LIMIT));
    expect((await upload(t, token, 'max.txt', atLimit)).status).toBe(201);
    const over = await upload(t, token, 'big.txt', text('a'.repeat(SMALL_LIMIT + 1)));
    expect(over.status).toBe(413);
    expect(over.body.error).toEqual({ code: 'payload_too_large', message: `A file may have at most ${SMALL_LIMIT} bytes.` });

    // Chunked, no Content-Length, 256 times the limit: the client still sending reads the 413
    // (not a reset connection), and stops there.
    let written = 0;
    const counted = function* () {
      for (const chunk of chunksOf(SMALL_LIMIT * 256)) {
        written += chunk.byteLength;
        yield chunk;
      }
    };
    const chunked = await rawUpload(t, token, 'huge.txt', counted(), 'close-form');
    expect(chunked?.status).toBe(413);
    expect(chunked?.body.error?.code).toBe('payload_too_large');
    expect(written).toBeLessThan(SMALL_LIMIT * 256);

    const sha = createHash('sha256').update(atLimit).digest('hex');
    expect(leftBehind(t, uploadsDir)).toEqual({ uploads: 1, blobs: 0, files: [sha] });
  });

  it('Should answer 400 to an unfinished multipart body and keep nothing, also when the connection drops mid-file', async () => {
    const { t, token } = await server();
    const stopped = await rawUpload(t, token, 'half.txt', chunksOf(10_000), 'stop');
    expect(stopped?.status).toBe(400);
    expect(stopped?.body.error?.code).toBe('invalid_request');

    await rawUpload(t, token, 'dropped.txt', chunksOf(20_000), 'drop');
    // A proper chunked upload after both still works: the server is fine, and it is the only file.
    const whole = await rawUpload(t, token, 'whole.txt', chunksOf(10_000), 'close-form');
    expect(whole?.status).toBe(201);
    expect(leftBehind(t)).toMatchObject({ uploads: 1, blobs: 1 });

    // Not a form at all, a form with no file, a form with two files.
    const notForm = await fetch(`${t.url}/v1/uploads`, { method: 'POST', body: 'hello', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' } });
    expect(notForm.status).toBe(400);
    const empty = new FormData();
    empty.append('note', 'no file here');
    expect((await fetch(`${t.url}/v1/uploads`, { method: 'POST', body: empty, headers: { Authorization: `Bearer ${token}` } })).status).toBe(400);
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a.txt');
    two.append('file', new Blob(['b']), 'b.txt');
    expect((await fetch(`${t.url}/v1/uploads`, { method: 'POST', body: two, headers: { Authorization: `Bearer ${token}` } })).status).toBe(400);
    expect(leftBehind(t)).toMatchObject({ uploads: 1, blobs: 1 });
  });

  it('Should clean names (no path parts, no control characters, bounded) and never use them as paths', async () => {
    const uploadsDir = join(tempDataDir(), 'files');
    scope.dirs.push(uploadsDir);
    const { t, token } = await server({ UPLOADS_DIR: uploadsDir });
    const names: Array<[string, string]> = [
      ['../../../etc/passwd.txt', 'passwd.txt'],
      ['..\\..\\windows\\win.txt', 'win.txt'],
      ['a\u0085b\u009bc\u202e\u200bd\u2028.txt', 'abcd.txt'],
      ['tab\tand  spaces .txt', 'tab and spaces .txt'],
      ['%2e%2e%2f%2e%2e%2fetc.txt', '%2e%2e%2f%2e%2e%2fetc.txt'], // shown as given, never decoded into a path
      [`${'x'.repeat(300)}.txt`, `${'x'.repeat(116)}.txt`],
    ];
    for (const [raw, cleaned] of names) {
      const res = await upload(t, token, raw, text(`content of ${cleaned}`));
      expect(res.status, raw).toBe(201);
      expect(res.body.name).toBe(cleaned);
    }
    // The files are named by their hashes, inside the directory, and nothing else is there.
    for (const file of readdirSync(uploadsDir)) expect(file).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(uploadsDir)).toHaveLength(names.length);
    expect(readdirSync(join(uploadsDir, '..')).sort()).toEqual(['files']);
  });

  it('Should require the upload token (401), and serve a file only to its owner (404 for anyone else, as for a missing one)', async () => {
    const { t, token } = await server();
    expect((await upload(t, undefined, 'a.txt', text('hi'))).status).toBe(401);
    const forged = await upload(t, `${token}x`, 'a.txt', text('hi'));
    expect(forged.status).toBe(401);
    expect(forged.body.error?.code).toBe('unauthorized');

    const mine = await upload(t, token, 'secret.txt', text('only mine'));
    const other = await scope.connect(t);
    const asOther = await fetch(`${t.url}/v1/uploads/${mine.body.id}`, { headers: { Authorization: `Bearer ${other.ready.uploadToken}` } });
    expect(asOther.status).toBe(404);
    const missing = await fetch(`${t.url}/v1/uploads/upl_doesnotexist0000000000`, { headers: { Authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(await asOther.json()).toEqual(await missing.json());
    expect((await fetch(`${t.url}/v1/uploads/${mine.body.id}`)).status).toBe(401);
  });

  it('Should refuse an upload past the identity’s storage quota with 429 and keep nothing of it', async () => {
    const { t, token } = await server({ UPLOAD_QUOTA_BYTES: '1000' });
    expect((await upload(t, token, 'a.txt', text('a'.repeat(600)))).status).toBe(201);
    const over = await upload(t, token, 'b.txt', text('b'.repeat(600)));
    expect(over.status).toBe(429);
    expect(over.body.error?.code).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(leftBehind(t)).toMatchObject({ uploads: 1, blobs: 1 });
    // Another identity has its own quota.
    const other = await scope.connect(t);
    expect((await upload(t, other.ready.uploadToken, 'c.txt', text('c'.repeat(600)))).status).toBe(201);
  });

  it('Should send files with a message: metadata on the item, only the sender’s unsent ids, at most the limit; deleting the thread deletes them', async () => {
    const { t, client, token } = await server({ MAX_FILES_PER_MESSAGE: '2' });
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const png = await upload(t, token, 'shot.png', pngBytes());
    const pdf = await upload(t, token, 'invoice.pdf', pdfBytes('Invoice 1234'));
    const third = await upload(t, token, 'third.txt', text('third'));

    const tooMany = await client.request({ type: 'message.send', threadId, clientMessageId: 'c0', text: 'three', attachments: [png.body.id, pdf.body.id, third.body.id] });
    expect(tooMany).toMatchObject({ type: 'error', code: 'invalid_request' });

    const other = await scope.connect(t);
    const theirs = await upload(t, other.ready.uploadToken, 'theirs.txt', text('theirs'));
    for (const ids of [[theirs.body.id], ['upl_made_up_000000000000']]) {
      expect(await client.request({ type: 'message.send', threadId, clientMessageId: `c-${ids[0]}`, text: 'x', attachments: ids })).toMatchObject({ type: 'error', code: 'not_found' });
    }

    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'c1', text: 'See attached', attachments: [png.body.id, pdf.body.id] });
    expect(accepted.type).toBe('message.accepted');
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    await client.runFinished(runId);
    const added = client.events(threadId).find((e) => e.type === 'item.added');
    const expected = [
      { id: png.body.id, name: 'shot.png', mime: 'image/png', size: pngBytes().byteLength },
      { id: pdf.body.id, name: 'invoice.pdf', mime: 'application/pdf', size: pdfBytes('Invoice 1234').byteLength },
    ];
    expect(added).toMatchObject({ item: { type: 'user_message', text: 'See attached', attachments: expected } });
    const db = sqliteOf(t.server).db;
    const itemId = added?.type === 'item.added' ? added.item.id : '';
    expect(db.prepare('SELECT id FROM uploads WHERE item_id = ? ORDER BY id').all(itemId)).toEqual([png.body.id, pdf.body.id].sort().map((id) => ({ id })));
    // They come back when the thread is opened again (reload).
    const reopened = await (await scope.connect(t, undefined)).client.request({ type: 'thread.open', threadId });
    expect(reopened.type).toBe('error'); // another visitor: not theirs
    const again = await client.request({ type: 'thread.open', threadId });
    expect(again.type === 'thread.opened' && again.items?.find((i) => i.type === 'user_message')).toMatchObject({ attachments: expected });

    // What the model side reads: the bytes as uploaded, with the cleaned name and detected type.
    const read = await readUploadFrom(t.server.storage)(pdf.body.id!);
    expect(read).toEqual({ name: 'invoice.pdf', mime: 'application/pdf', bytes: pdfBytes('Invoice 1234') });
    expect(await readUploadFrom(t.server.storage)('upl_missing')).toBeUndefined();

    // Sent once: the same id cannot go with another message.
    const reuse = await client.request({ type: 'message.send', threadId, clientMessageId: 'c2', text: 'again', attachments: [png.body.id] });
    expect(reuse).toMatchObject({ type: 'error', code: 'not_found' });
    // A file alone is a message.
    const alone = await client.request({ type: 'message.send', threadId, clientMessageId: 'c3', text: '', attachments: [third.body.id] });
    expect(alone.type).toBe('message.accepted');
    await client.runFinished(alone.type === 'message.accepted' ? alone.runId : '');

    expect(await client.request({ type: 'thread.delete', threadId })).toMatchObject({ type: 'thread.deleted' });
    // Only the other visitor's unsent file is left.
    expect(leftBehind(t)).toMatchObject({ uploads: 1, blobs: 1 });
    expect((await fetch(`${t.url}/v1/uploads/${png.body.id}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('Should delete files never sent after UNSENT_UPLOAD_TTL_MINUTES, and keep sent ones', async () => {
    let clock = Date.now();
    const { t, client, token } = await server({ UNSENT_UPLOAD_TTL_MINUTES: '60' }, { now: () => clock });
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const sent = await upload(t, token, 'sent.txt', text('sent'));
    const unsent = await upload(t, token, 'unsent.txt', text('unsent'));
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'c1', text: 'file', attachments: [sent.body.id] });
    await client.runFinished(accepted.type === 'message.accepted' ? accepted.runId : '');

    clock += 59 * 60_000;
    expect(await t.server.unsentUploads.sweep()).toBe(0);
    clock += 2 * 60_000;
    expect(await t.server.unsentUploads.sweep()).toBe(1);
    expect(await t.server.storage.uploads.get(unsent.body.id!)).toBeUndefined();
    expect(await t.server.storage.uploads.get(sent.body.id!)).toMatchObject({ name: 'sent.txt' });
    expect(leftBehind(t)).toMatchObject({ uploads: 1, blobs: 1 });
  });

  it('With sites: answers CORS preflight for allowed origins, refuses a foreign origin and another site’s origin (403), applies the site’s own quota', async () => {
    const dir = tempDataDir();
    scope.dirs.push(dir);
    // The shop keeps its visitors' files to 20 bytes (a site's own quota overrides the server's).
    const sites = twoSites() as { sites: Array<Record<string, unknown>> };
    sites.sites[0]!.limits = { uploadBytesPerIdentity: 20 };
    const t = await scope.boot({ env: { SITES_FILE: writeSitesFile(dir, sites), ...SITE_SECRETS } });
    const client = await TestClient.connect(`${t.wsUrl}?key=${SHOP.publicKey}`, { origin: SHOP.origin });
    const ready = await client.request({ type: 'hello', protocol: 1 });
    const token = ready.type === 'ready' ? ready.uploadToken : '';
    client.ws.terminate();

    const preflight = await fetch(`${t.url}/v1/uploads`, {
      method: 'OPTIONS',
      headers: { Origin: SHOP.origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP.origin);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const foreignPreflight = await fetch(`${t.url}/v1/uploads`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(foreignPreflight.status).toBe(403);
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();

    const ok = await upload(t, token, 'a.txt', text('from the shop'), { Origin: SHOP.origin });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP.origin);
    const overQuota = await upload(t, token, 'b.txt', text('thirteen more'), { Origin: SHOP.origin });
    expect(overQuota.status).toBe(429);
    expect(overQuota.headers.get('access-control-allow-origin')).toBe(SHOP.origin);
    expect((await upload(t, token, 'a.txt', text('x'), { Origin: 'https://evil.example' })).status).toBe(403);
    // The blog is a known origin, but not the shop's: its pages may not use a shop visitor's token.
    expect((await upload(t, token, 'a.txt', text('x'), { Origin: BLOG.origin })).status).toBe(403);
    const got = await fetch(`${t.url}/v1/uploads/${ok.body.id}`, { headers: { Authorization: `Bearer ${token}`, Origin: BLOG.origin } });
    expect(got.status).toBe(403);
    expect(leftBehind(t)).toMatchObject({ uploads: 1 });
  });
});

describe('cleanFileName', () => {
  it('Should keep the last path part only, drop C0/C1 controls and bidi or zero-width characters, and bound the length keeping the extension', () => {
    expect(cleanFileName('C:\\Users\\ann\\..\\secret.pdf')).toBe('secret.pdf');
    expect(cleanFileName('/etc/../passwd')).toBe('passwd');
    expect(cleanFileName('in\u0000voice\u0007\u001b[31m.pdf')).toBe('invoice[31m.pdf');
    expect(cleanFileName('evil\u202Efdp.exe')).toBe('evilfdp.exe');
    expect(cleanFileName('line\r\nbreak.txt')).toBe('line break.txt');
    expect(cleanFileName('...')).toBe('file');
    expect(cleanFileName('dir/')).toBe('file');
    expect(cleanFileName('\u0001\u0002')).toBe('file');
    const long = cleanFileName(`${'é'.repeat(500)}.markdown`);
    expect([...long]).toHaveLength(MAX_NAME_CHARS);
    expect(long.endsWith('.markdown')).toBe(true);
  });
});
