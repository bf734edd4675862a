// A small scripted server that speaks agent-chat protocol v1 (docs/protocol.md), for the
// widget's browser tests. Started by web-test-runner.config.mjs. It is not the real server:
// it keeps everything in memory and answers `message.send` from scripts chosen by keywords.
//
// Sessions isolate tests: a widget with server="http://127.0.0.1:PORT/s/NAME" connects to
// /s/NAME/v1/ws (a query such as ?key= is allowed). Control routes (CORS open) for tests:
//   GET  /s/NAME/frames   every frame the widget sent in that session, as [{ conn, frame, at }]
//                         (`at`: when it arrived, epoch ms)
//   GET  /s/NAME/upgrades the request URL of every WebSocket upgrade in that session
//   POST /s/NAME/refuse   body { on, code, message, retryAfterMs?, close?, times? }: the next
//                         `times` (default 1) frames of type `on` (hello, message.send,
//                         thread.create…) are answered with that error (replyTo the frame's id),
//                         then, with `close`, the socket is closed with that code
//   POST /s/NAME/drop     terminate that session's sockets (a network drop; runs keep going)
//   POST /s/NAME/offline  drop and refuse new sockets until /online
//   POST /s/NAME/online
//   POST /s/NAME/mute     stop answering (a half-dead connection); /online ends it
//   POST /s/NAME/thread?items=N  a thread with N finished items (user and assistant messages
//                         taking turns, texts "Message 1".."Message N"), answered as { threadId }
//   POST /s/NAME/scene    body { items, title?, workflow?, files?, failMessage? }: a thread holding
//                         exactly `items` (protocol items; createdAt filled in), answered as { threadId };
//                         `title` is the thread's title, `workflow` ({ name?, agents? }) replaces the
//                         workflow shown for the session, `files` ([{ id, name, mime, base64 }]) are stored
//                         as uploads (for attachments), `failMessage` is the error of a "fail" run
//   POST /s/NAME/hold     hold back `thread.history` answers (a request in flight) until /release
//   POST /s/NAME/release  send the held answers, in order
//   POST /s/NAME/upload-config  body { limits?, readDelayMs?, maxBytes?, refuse?, expireTokens?, forgetFiles? }:
//                         `limits` (merged into the zero defaults) is what later `ready`s advertise;
//                         `readDelayMs` pauses between body chunks (a slow link, so progress shows);
//                         `maxBytes` what the peer itself accepts (default limits.maxFileBytes);
//                         `refuse` { status, code, message, times? } answers the next uploads so;
//                         `expireTokens` makes every upload token issued so far invalid (401);
//                         `forgetFiles` deletes the stored files (GET answers 404)
//   GET  /s/NAME/upload-log  every request to the upload routes, as [{ method, path, authorization }]
//
// Uploads, as docs/protocol.md describes them (CORS open, Bearer = the session's `ready.uploadToken`):
//   POST /s/NAME/v1/uploads      multipart, one `file` field → 201 { id, name, mime, size };
//                                401 without a valid token, 413 over maxBytes, JSON errors
//   GET  /s/NAME/v1/uploads/:id  the bytes, to a valid token of the session; 404 otherwise
// `message.send { attachments }` puts those uploads' metadata on the user_message item.
//
// Like the real server, `thread.opened` (without afterSeq) carries the newest OPEN_ITEMS items
// with `hasMore` when older ones exist, and `thread.history` answers with the items before
// `beforeItemId`, oldest first, at most `limit` (default 50) of them, with `hasMore`.

import { createServer } from 'node:http';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => new Date().toISOString();
/** Items sent with `thread.opened`, and the default `thread.history` page, as in the real server. */
const OPEN_ITEMS = 50;
const DEFAULT_HISTORY = 50;
const WORKFLOW = { id: 'support', name: 'Support desk', agents: [{ id: 'triage', name: 'Triage' }, { id: 'billing', name: 'Billing' }] };

/** The long markdown answer of "essay" (streamed at a model's pace) and "burst" (all deltas at once). */
const LONG_ANSWER = Array.from({ length: 6 }, (_, i) =>
  [
    `# Part ${i + 1}`,
    `This paragraph explains step ${i + 1} with **bold words**, \`inline code\` and a [link](https://example.com/${i + 1}), long enough to wrap over several lines of the chat panel.`,
    '- first point\n- second point\n- third point',
    `\`\`\`js\nconsole.log(${i + 1});\n\`\`\``,
    '| a | b |\n| - | - |\n| 1 | 2 |',
  ].join('\n\n'),
).join('\n\n');

/** Splits text into small chunks, as a model streams tokens. */
function chunks(text, size = 6) {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The `file` part of a multipart/form-data body: its file name, type and bytes (null when absent). */
function multipartFile(contentType, body) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const headersEnd = body.indexOf('\r\n\r\n', start);
    if (headersEnd === -1) return null;
    const headers = body.subarray(start + delimiter.length, headersEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd);
    if (next === -1) return null;
    if (/name="file"/.test(headers)) {
      return {
        name: /filename="([^"]*)"/.exec(headers)?.[1] ?? 'file',
        mime: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream',
        bytes: body.subarray(headersEnd + 4, next),
      };
    }
    start = next + 2;
  }
  return null;
}

/** Starts the peer on 127.0.0.1 and a free port. `WebSocketServer` is the `ws` package's class. */
export async function startProtocolPeer({ WebSocketServer }) {
  const sessions = new Map();
  const session = (name) => {
    if (!sessions.has(name)) sessions.set(name, { frames: [], upgrades: [], refusals: [], sockets: new Set(), threads: new Map(), visitors: 0, conns: 0, offline: false, held: null,
      upload: { limits: { maxFileBytes: 0, maxFilesPerMessage: 0, acceptedTypes: [] }, readDelayMs: 0, maxBytes: undefined, refuse: null }, tokens: new Set(), files: new Map(), uploadLog: [] });
    return sessions.get(name);
  };

  /** A new, empty thread of the support workflow. */
  const newThread = (s) => {
    s.threadCount = (s.threadCount ?? 0) + 1; // never reused, even after a delete
    const t = { id: `th_${s.threadCount}`, workflow: 'support', title: '', updatedAt: now(), currentAgent: 'triage', events: [], items: new Map(), activeRun: null, clientIds: new Map(), ratings: new Map(), lastRun: null, retries: new Map() };
    s.threads.set(t.id, t);
    return t;
  };

  const http = createServer(async (req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, authorization');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    const url = new URL(req.url ?? '/', 'http://peer');
    const u = /^\/s\/([\w-]+)\/v1\/uploads(?:\/([^/]+))?$/.exec(url.pathname);
    // An upload the widget aborts ends the request body with an error: nothing to answer then.
    if (u) return uploadRoute(session(u[1]), u[2] && decodeURIComponent(u[2]), req, res).catch(() => res.destroy());
    const m = /^\/s\/([\w-]+)\/(frames|upgrades|refuse|drop|offline|online|mute|thread|scene|hold|release|upload-config|upload-log)$/.exec(url.pathname);
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    if (!m) return res.writeHead(404).end();
    const s = session(m[1]);
    if (m[2] === 'frames') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(s.frames));
    if (m[2] === 'upgrades') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(s.upgrades));
    if (m[2] === 'upload-log') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(s.uploadLog));
    if (m[2] === 'upload-config') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { limits, expireTokens, forgetFiles, ...rest } = JSON.parse(body);
      Object.assign(s.upload, rest, limits ? { limits: { ...s.upload.limits, ...limits } } : {});
      if (expireTokens) s.tokens.clear();
      if (forgetFiles) s.files.clear();
      return res.writeHead(204).end();
    }
    if (m[2] === 'refuse') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const refusal = JSON.parse(body);
      s.refusals.push({ times: 1, ...refusal });
      return res.writeHead(204).end();
    }
    if (m[2] === 'thread') {
      // A conversation with history, recorded as events like a live one (item.added, item.done).
      const t = newThread(s);
      const count = Math.min(Number(url.searchParams.get('items')) || 0, 1000);
      if (count) t.title = 'Message 1';
      for (let n = 1; n <= count; n++) {
        const item = n % 2
          ? { id: `it_m${n}`, type: 'user_message', createdAt: now(), text: `Message ${n}`, attachments: [] }
          : { id: `it_m${n}`, type: 'assistant_message', createdAt: now(), agent: 'triage', text: `Message ${n}`, status: 'done' };
        emit(s, t, { type: 'item.added', item });
        emit(s, t, { type: 'item.done', item });
      }
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ threadId: t.id }));
    }
    if (m[2] === 'scene') {
      // A conversation built from the test's own items: every item kind, or hostile content.
      let body = '';
      for await (const chunk of req) body += chunk;
      const scene = JSON.parse(body);
      const t = newThread(s);
      t.title = scene.title ?? '';
      if (scene.workflow) s.workflow = { ...WORKFLOW, ...scene.workflow };
      if (scene.failMessage) s.failMessage = scene.failMessage;
      for (const file of scene.files ?? []) {
        const { base64, ...meta } = file;
        const bytes = Buffer.from(base64, 'base64');
        s.files.set(file.id, { ...meta, size: bytes.length, bytes });
      }
      for (const item of scene.items ?? []) emit(s, t, { type: 'item.added', item: { createdAt: now(), ...item } });
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ threadId: t.id }));
    }
    if (m[2] === 'hold') s.held ??= [];
    if (m[2] === 'release') {
      const held = s.held ?? [];
      s.held = null;
      for (const answer of held) answer();
    }
    if (m[2] === 'offline' || m[2] === 'drop') for (const ws of s.sockets) ws.terminate();
    if (m[2] === 'offline') s.offline = true;
    if (m[2] === 'online') s.offline = s.muted = false;
    if (m[2] === 'mute') s.muted = true;
    res.writeHead(204).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const m = /^\/s\/([\w-]+)\/v1\/ws$/.exec(new URL(req.url ?? '/', 'http://peer').pathname);
    if (!m || session(m[1]).offline) return socket.destroy();
    session(m[1]).upgrades.push(req.url);
    wss.handleUpgrade(req, socket, head, (ws) => connection(session(m[1]), ws));
  });

  /** A JSON error in the shape of the real server's HTTP errors. */
  const httpError = (res, status, code, message) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message } }));

  /** POST /v1/uploads and GET /v1/uploads/:id of one session (see the header). */
  async function uploadRoute(s, id, req, res) {
    s.uploadLog.push({ method: req.method, path: id ? `uploads/${id}` : 'uploads', authorization: req.headers.authorization ?? null });
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !s.tokens.has(token)) {
      req.resume();
      return httpError(res, 401, 'unauthorized', 'The upload token is missing or expired.');
    }
    if (req.method === 'GET' && id) {
      const file = s.files.get(id);
      if (!file) return httpError(res, 404, 'not_found', 'No such upload.');
      return res.writeHead(200, {
        'content-type': file.mime,
        'x-content-type-options': 'nosniff',
        ...(file.mime.startsWith('image/') ? {} : { 'content-disposition': 'attachment' }),
      }).end(file.bytes);
    }
    if (req.method !== 'POST' || id) return httpError(res, 404, 'not_found', 'Not found.');
    const chunks = [];
    for await (const chunk of req) {
      chunks.push(chunk);
      if (s.upload.readDelayMs) await sleep(s.upload.readDelayMs);
    }
    const refuse = s.upload.refuse;
    if (refuse && (refuse.times ?? 1) > 0) {
      refuse.times = (refuse.times ?? 1) - 1;
      return httpError(res, refuse.status, refuse.code, refuse.message);
    }
    const part = multipartFile(req.headers['content-type'] ?? '', Buffer.concat(chunks));
    if (!part) return httpError(res, 400, 'invalid_request', 'Expected one multipart field "file".');
    const max = s.upload.maxBytes ?? s.upload.limits.maxFileBytes;
    if (part.bytes.length > max) return httpError(res, 413, 'payload_too_large', `The file is larger than the ${max}-byte limit.`);
    const file = { id: `upl_${s.files.size + 1}`, name: part.name, mime: part.mime, size: part.bytes.length };
    s.files.set(file.id, { ...file, bytes: part.bytes });
    return res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(file));
  }

  /** Records an event with the next seq, applies it to the thread's items, sends it to subscribers. */
  function emit(s, thread, body) {
    const event = { ...body, threadId: thread.id, seq: thread.events.length + 1 };
    thread.events.push(event);
    if (body.type === 'item.added' || body.type === 'item.done') thread.items.set(body.item.id, structuredClone(body.item));
    if (body.type === 'text.delta') thread.items.get(body.itemId).text += body.delta;
    if (body.type === 'item.removed') thread.items.delete(body.itemId);
    if (body.type === 'run.started') Object.assign(thread, { activeRun: body.runId, currentAgent: body.agent, cancelled: false });
    if (body.type === 'run.finished') Object.assign(thread, { activeRun: null, lastRun: { runId: body.runId, status: body.status } });
    thread.updatedAt = now();
    for (const ws of s.sockets) if (ws.subscribed?.has(thread.id) && ws.readyState === 1) ws.send(JSON.stringify(event));
  }

  async function stream(s, thread, agent, text, { delay = 15, dropAfter = -1, size = 6, pauseEvery = 0 } = {}) {
    const item = { id: `it_${thread.items.size + 1}_${thread.events.length}`, type: 'assistant_message', createdAt: now(), agent, text: '', status: 'in_progress' };
    emit(s, thread, { type: 'item.added', item });
    let sent = 0;
    for (const delta of chunks(text, size)) {
      if (thread.cancelled) {
        emit(s, thread, { type: 'item.done', item: { ...thread.items.get(item.id), status: 'incomplete' } });
        return false;
      }
      if (delay !== null) await sleep(delay); // null: a burst, every delta at once…
      else if (pauseEvery && sent > 0 && sent % pauseEvery === 0) await sleep(100); // …with a breath for a frame now and then
      emit(s, thread, { type: 'text.delta', itemId: item.id, delta });
      if (++sent === dropAfter) for (const ws of s.sockets) ws.terminate();
    }
    emit(s, thread, { type: 'item.done', item: { ...item, text, status: 'done' } });
    return true;
  }

  /** The scripted runs, chosen by a keyword in the visitor's message. */
  async function run(s, thread, text) {
    const runId = `run_${thread.events.length + 1}`;
    emit(s, thread, { type: 'run.started', runId, agent: thread.currentAgent });
    const finish = (status, extra = {}) => emit(s, thread, { type: 'run.finished', runId, status, ...extra });
    if (/refund/i.test(text)) {
      const call = { id: `it_call_${thread.events.length}`, type: 'tool_call', createdAt: now(), agent: 'triage', callId: 'call_refund', name: 'refund_order', arguments: { order_id: '1234' }, status: 'running' };
      emit(s, thread, { type: 'item.added', item: call });
      emit(s, thread, { type: 'item.done', item: { ...call, status: 'awaiting_approval' } });
      thread.awaiting = call;
      return finish('interrupted');
    }
    if (/billing/i.test(text)) {
      emit(s, thread, { type: 'item.added', item: { id: `it_h_${thread.events.length}`, type: 'handoff', createdAt: now(), from: 'triage', to: 'billing' } });
      thread.currentAgent = 'billing';
    }
    if (/blocked/i.test(text)) {
      emit(s, thread, { type: 'item.added', item: { id: `it_g_${thread.events.length}`, type: 'guardrail', createdAt: now(), agent: 'triage', name: 'prompt_injection', stage: 'input', message: 'Sorry, I can’t help with that request.' } });
      return finish('blocked');
    }
    if (/fail/i.test(text)) return finish('failed', { error: { code: 'upstream_error', message: s.failMessage ?? 'The model is unavailable right now.' } });
    const agent = thread.currentAgent;
    const options = /drop/i.test(text)
      ? { delay: 100, dropAfter: 3 }
      : /slow/i.test(text)
        ? { delay: 150 }
        : /burst/i.test(text)
          ? { delay: null, size: 4, pauseEvery: 100 }
          : /essay/i.test(text)
            ? { delay: 20, size: 12 }
            : {};
    const reply = /drop/i.test(text)
      ? 'Alpha bravo charlie delta echo foxtrot golf hotel india juliet.'
      : /slow/i.test(text)
        ? 'This reply takes its time, one small piece after another, so there is plenty of time to press Stop.'
        : /burst|essay/i.test(text)
          ? LONG_ANSWER
          : /markdown/i.test(text)
          ? 'Here is **bold**, *italic* and `code`.\n\n- one\n- two\n\n<img src=x onerror="window.__pwned=1"> [bad](javascript:window.__pwned=1) [good](https://example.com)'
          : `You said: **${text}**. How else can I help?`;
    const completed = await stream(s, thread, agent, reply, options);
    if (!completed) return finish('cancelled');
    if (/withdraw/i.test(text)) {
      const last = [...thread.items.values()].at(-1);
      emit(s, thread, { type: 'item.removed', itemId: last.id, reason: 'output_guardrail' });
      emit(s, thread, { type: 'item.added', item: { id: `it_g_${thread.events.length}`, type: 'guardrail', createdAt: now(), agent, name: 'blocklist', stage: 'output', message: 'A reply was withdrawn.' } });
    }
    return finish('completed');
  }

  function connection(s, ws) {
    const conn = ++s.conns;
    ws.subscribed = new Set();
    s.sockets.add(ws);
    ws.on('close', () => s.sockets.delete(ws));
    let ready = false;
    const send = (msg) => ws.readyState === 1 && ws.send(JSON.stringify(msg));
    const error = (code, message, replyTo) => send({ type: 'error', code, message, retryable: false, ...(replyTo ? { replyTo } : {}) });
    const opened = (thread, extra, replyTo) =>
      send({ type: 'thread.opened', ...(replyTo ? { replyTo } : {}), thread: { id: thread.id, title: thread.title ?? '', workflow: thread.workflow, currentAgent: thread.currentAgent }, workflow: s.workflow ?? WORKFLOW, lastSeq: thread.events.length, ...(thread.activeRun ? { activeRunId: thread.activeRun } : {}), ...extra });

    ws.on('message', (data) => {
      let f;
      try {
        f = JSON.parse(String(data));
      } catch {
        return error('bad_frame', 'frame is not valid JSON');
      }
      s.frames.push({ conn, frame: f, at: Date.now() });
      if (s.muted) return;
      const refusal = s.refusals.find((r) => r.on === f.type && r.times > 0);
      if (refusal) {
        refusal.times -= 1;
        const { code, message, retryAfterMs } = refusal;
        send({ type: 'error', code, message, retryable: code === 'rate_limited', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), ...(f.id ? { replyTo: f.id } : {}) });
        if (refusal.close) ws.close(refusal.close, code);
        return;
      }
      if (!ready && f.type !== 'hello') return error('handshake_required', 'send hello first', f.id);
      const thread = typeof f.threadId === 'string' ? s.threads.get(f.threadId) : undefined;
      switch (f.type) {
        case 'hello': {
          if (f.protocol !== 1) return error('unsupported_protocol', 'protocol 1 only'), ws.close(1008);
          ready = true;
          const known = typeof f.visitorToken === 'string' && f.visitorToken.startsWith('vt_');
          const uploadToken = `up_${conn}`;
          s.tokens.add(uploadToken);
          return send({ type: 'ready', protocol: 1, connectionId: `c${conn}`, user: { id: 'u', kind: 'visitor' }, visitorToken: known ? f.visitorToken : `vt_${++s.visitors}`, uploadToken, limits: { maxMessageChars: 4000, ...s.upload.limits } });
        }
        case 'thread.create': {
          if (f.workflow !== 'support') return error('not_found', 'no such workflow', f.id);
          const t = newThread(s);
          ws.subscribed.add(t.id);
          return opened(t, {}, f.id);
        }
        case 'thread.open': {
          if (!thread) return error('not_found', 'not found', f.id);
          if (f.afterSeq !== undefined && (f.afterSeq < 0 || f.afterSeq > thread.events.length)) return error('invalid_request', 'afterSeq out of range', f.id);
          ws.subscribed.add(thread.id);
          if (f.afterSeq === undefined) {
            const items = [...thread.items.values()].slice(-OPEN_ITEMS);
            const feedback = items.filter((i) => thread.ratings.has(i.id)).map((i) => ({ itemId: i.id, rating: thread.ratings.get(i.id) }));
            return opened(thread, { items, hasMore: thread.items.size > OPEN_ITEMS, ...(feedback.length ? { feedback } : {}) }, f.id);
          }
          opened(thread, {}, f.id);
          for (const e of thread.events.slice(f.afterSeq)) send(e);
          return;
        }
        case 'thread.history': {
          if (!thread) return error('not_found', 'not found', f.id);
          if (f.limit !== undefined && !(Number.isInteger(f.limit) && f.limit >= 1 && f.limit <= 100)) return error('invalid_request', 'limit must be 1..100', f.id);
          const items = [...thread.items.values()];
          const before = typeof f.beforeItemId === 'string' ? items.findIndex((i) => i.id === f.beforeItemId) : -1;
          if (before === -1) return error('not_found', 'No such item.', f.id);
          const limit = f.limit ?? DEFAULT_HISTORY;
          const answer = { type: 'thread.items', ...(f.id ? { replyTo: f.id } : {}), threadId: thread.id, items: items.slice(Math.max(0, before - limit), before), hasMore: before > limit };
          if (s.held) s.held.push(() => send(answer));
          else send(answer);
          return;
        }
        case 'message.send': {
          if (!thread) return error('not_found', 'not found', f.id);
          ws.subscribed.add(thread.id);
          const previous = thread.clientIds.get(f.clientMessageId);
          if (previous) return send({ ...previous, ...(f.id ? { replyTo: f.id } : {}) });
          if (thread.activeRun) return error('run_in_progress', 'a run is active', f.id);
          const ids = f.attachments ?? [];
          if (ids.length > s.upload.limits.maxFilesPerMessage) return error('invalid_request', 'too many attachments', f.id);
          if (!ids.every((id) => s.files.has(id))) return error('invalid_request', 'unknown upload', f.id);
          const attachments = ids.map((id) => {
            const { bytes: _bytes, ...meta } = s.files.get(id);
            return meta;
          });
          const item = { id: `it_u${thread.events.length + 1}`, type: 'user_message', createdAt: now(), text: f.text, attachments };
          if (!thread.title) thread.title = f.text.slice(0, 80);
          const accepted = { type: 'message.accepted', threadId: thread.id, clientMessageId: f.clientMessageId, itemId: item.id, runId: `run_${thread.events.length + 3}` };
          thread.clientIds.set(f.clientMessageId, accepted);
          send({ ...accepted, ...(f.id ? { replyTo: f.id } : {}) });
          emit(s, thread, { type: 'item.added', item });
          emit(s, thread, { type: 'item.done', item });
          void run(s, thread, f.text);
          return;
        }
        case 'run.cancel':
          if (thread?.activeRun === f.runId) thread.cancelled = true;
          return;
        case 'tool.approval': {
          const call = thread?.awaiting;
          if (!call || call.callId !== f.callId) return error('not_found', 'not found', f.id);
          thread.awaiting = null;
          const runId = `run_${thread.events.length + 1}`;
          emit(s, thread, { type: 'run.started', runId, agent: thread.currentAgent });
          emit(s, thread, { type: 'item.done', item: { ...call, status: f.approved ? 'completed' : 'denied', ...(f.approved ? { output: { refunded: true } } : {}) } });
          void stream(s, thread, call.agent, f.approved ? 'Your refund is on its way.' : `Okay, I did not refund it${f.reason ? ` (${f.reason})` : ''}.`).then(() =>
            emit(s, thread, { type: 'run.finished', runId, status: 'completed' }),
          );
          return;
        }
        case 'ping':
          return send({ type: 'pong', ...(f.id ? { replyTo: f.id } : {}) });
        case 'thread.delete':
          if (!thread) return error('not_found', 'not found', f.id);
          s.threads.delete(thread.id);
          return send({ type: 'thread.deleted', threadId: thread.id, ...(f.id ? { replyTo: f.id } : {}) });
        case 'thread.delete_all': {
          const count = s.threads.size;
          s.threads.clear();
          return send({ type: 'threads.deleted', count, ...(f.id ? { replyTo: f.id } : {}) });
        }
        case 'thread.list': {
          const threads = [...s.threads.values()]
            .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.id.localeCompare(a.id)))
            .map((t) => ({ id: t.id, title: t.title, workflow: t.workflow, updatedAt: t.updatedAt }));
          return send({ type: 'threads', threads, nextCursor: null, ...(f.id ? { replyTo: f.id } : {}) });
        }
        case 'feedback': {
          if (!thread || !thread.items.has(f.itemId)) return error('not_found', 'No such item.', f.id);
          thread.ratings.set(f.itemId, f.rating);
          return send({ type: 'feedback.saved', threadId: thread.id, itemId: f.itemId, ...(f.id ? { replyTo: f.id } : {}) });
        }
        case 'run.retry': {
          if (!thread) return error('not_found', 'not found', f.id);
          const previous = thread.retries.get(f.runId);
          if (previous) return send({ type: 'run.retried', threadId: thread.id, retriedRunId: f.runId, runId: previous, ...(f.id ? { replyTo: f.id } : {}) });
          if (thread.activeRun) return error('run_in_progress', 'a run is active', f.id);
          if (thread.lastRun?.runId !== f.runId || (thread.lastRun.status !== 'failed' && thread.lastRun.status !== 'max_turns')) return error('invalid_request', 'Only a reply that failed can be retried.', f.id);
          const runId = `run_${thread.events.length + 1}`;
          thread.retries.set(f.runId, runId);
          send({ type: 'run.retried', threadId: thread.id, retriedRunId: f.runId, runId, ...(f.id ? { replyTo: f.id } : {}) });
          emit(s, thread, { type: 'run.started', runId, agent: thread.currentAgent });
          void stream(s, thread, thread.currentAgent, 'Here is the answer, on the second try.').then(() => emit(s, thread, { type: 'run.finished', runId, status: 'completed' }));
          return;
        }
        default:
          return error('bad_frame', `unknown type ${f.type}`);
      }
    });
  }

  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}`,
    async close() {
      for (const s of sessions.values()) for (const ws of s.sockets) ws.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
