import { type ThreadEvent, isThreadEvent } from '@agent-chat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, removeDir, startTestServer } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { TestClient, seqs, textFromDeltas } from './helpers/ws-client.ts';

/** Over a real WebSocket on loopback, against the real stack: support workflow, offline model via the openai client. */
describe('WebSocket round trip (real stack)', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await t.close();
    removeDir(t.dataDir);
  });

  async function open(hello: Record<string, unknown> = {}) {
    const opened = await TestClient.open(t.wsUrl, hello);
    clients.push(opened.client);
    return opened;
  }

  async function newThread(client: TestClient): Promise<string> {
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    expect(opened.type).toBe('thread.opened');
    return (opened as Extract<typeof opened, { type: 'thread.opened' }>).thread.id;
  }

  it('Should stream a reply: hello → thread.create → message.send → numbered events with no gaps', async () => {
    const { client, ready } = await open();
    expect(ready).toMatchObject({ protocol: 1, user: { kind: 'visitor' }, limits: { maxMessageChars: 8000 } });
    expect(ready.visitorToken).toMatch(/^vt1\./);
    expect(ready.uploadToken).toMatch(/^ut1\./);

    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    expect(opened).toMatchObject({ type: 'thread.opened', lastSeq: 0, items: [], thread: { currentAgent: 'triage' } });
    expect(opened.type === 'thread.opened' && opened.workflow.agents.map((a) => a.id)).toEqual(['triage', 'billing', 'technical', 'product']);
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';

    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'Hello! Which membership plans do you have?' });
    expect(accepted).toMatchObject({ type: 'message.accepted', threadId, clientMessageId: 'm1' });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    const finished = await client.runFinished(runId);
    expect(finished.status).toBe('completed');

    const events = client.events(threadId);
    expect(seqs(events)).toEqual(events.map((_, i) => i + 1));
    expect(events.slice(0, 3).map((e) => e.type)).toEqual(['item.added', 'item.done', 'run.started']);
    expect(events[0]).toMatchObject({ item: { type: 'user_message', text: 'Hello! Which membership plans do you have?' } });
    expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
    expect(client.received.indexOf(accepted)).toBeLessThan(client.received.indexOf(events[0]!));

    const assistantDone = events.filter((e): e is Extract<ThreadEvent, { type: 'item.done' }> => e.type === 'item.done' && e.item.type === 'assistant_message');
    expect(assistantDone.length).toBeGreaterThan(0);
    for (const done of assistantDone) {
      const text = done.item.type === 'assistant_message' ? done.item.text : '';
      expect(text.length).toBeGreaterThan(0);
      expect(textFromDeltas(events, done.item.id)).toBe(text);
    }
    expect(events.filter((e) => e.type === 'text.delta').length).toBeGreaterThan(0);
    expect(client.invalid).toEqual([]);

    // Opening it again shows the stored items, and the title is the start of the message.
    const reopened = await client.request({ type: 'thread.open', threadId });
    expect(reopened).toMatchObject({ type: 'thread.opened', lastSeq: events.at(-1)!.seq, hasMore: false, thread: { title: 'Hello! Which membership plans do you have?' } });
    const items = reopened.type === 'thread.opened' ? reopened.items ?? [] : [];
    expect(items[0]).toMatchObject({ type: 'user_message' });
    expect(items.at(-1)).toMatchObject({ type: 'assistant_message', status: 'done' });
  });

  it('Should answer bad frames with bad_frame or invalid_request and keep the socket working', async () => {
    const { client } = await open();
    const before = client.received.length;
    client.sendRaw('{not json');
    client.sendRaw('[1,2,3]');
    client.sendRaw(Buffer.from([1, 2, 3]), true);
    client.sendRaw('{"id":"x"}');
    client.sendRaw('{"type":"launch.missiles","id":"y"}');
    client.sendRaw('"just a string"');
    client.send({ type: 'thread.open', id: 'bad1' }); // known type, missing threadId
    client.send({ type: 'message.send', id: 'bad2', threadId: 't', clientMessageId: 'c', text: 42 });
    await client.waitFor((m) => m.replyTo === 'bad2');
    const errors = client.received.slice(before);
    expect(errors.map((m) => m.type === 'error' && m.code)).toEqual([
      'bad_frame', 'bad_frame', 'bad_frame', 'bad_frame', 'bad_frame', 'bad_frame', 'invalid_request', 'invalid_request',
    ]);
    expect(errors.slice(6).map((m) => m.replyTo)).toEqual(['bad1', 'bad2']);
    expect(errors.every((m) => m.type === 'error' && m.retryable === false)).toBe(true);
    expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(await client.request({ type: 'hello', protocol: 1 })).toMatchObject({ type: 'error', code: 'invalid_request' });
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it('Should require hello first, refuse another protocol with 1008, and refuse user tokens with no site configured', async () => {
    const early = await TestClient.connect(t.wsUrl);
    clients.push(early);
    expect(await early.request({ type: 'ping' })).toMatchObject({ type: 'error', code: 'handshake_required' });
    expect(await early.request({ type: 'thread.list' })).toMatchObject({ type: 'error', code: 'handshake_required' });
    // No model key here: `ready` says the replies come from the offline demo model.
    expect(await early.request({ type: 'hello', protocol: 1 })).toMatchObject({ type: 'ready', model: { offline: true } });

    const wrong = await TestClient.connect(t.wsUrl);
    clients.push(wrong);
    expect(await wrong.request({ type: 'hello', protocol: 2 })).toMatchObject({ type: 'error', code: 'unsupported_protocol' });
    expect((await wrong.closed).code).toBe(1008);

    const withUser = await TestClient.connect(t.wsUrl);
    clients.push(withUser);
    expect(await withUser.request({ type: 'hello', protocol: 1, userToken: 'a.b.c' })).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect((await withUser.closed).code).toBe(1008);
  });

  it('Should keep a visitor by signed token, give a forged token a new visitor, and hide threads of others', async () => {
    const { client: a, ready } = await open();
    const threadId = await newThread(a);
    const again = await open({ visitorToken: ready.visitorToken });
    expect(again.ready.user.id).toBe(ready.user.id);
    const list = await again.client.request({ type: 'thread.list' });
    expect(list.type === 'threads' && list.threads.map((th) => th.id)).toEqual([threadId]);

    const [kind, payload, sig] = ready.visitorToken.split('.');
    const otherId = Buffer.from(JSON.stringify({ v: 'vis_AAAAAAAAAAAAAAAAAAAAAA' })).toString('base64url');
    for (const forged of [`${kind}.${otherId}.${sig}`, `${kind}.${payload}.${sig!.slice(0, -2)}xx`, 'garbage', '']) {
      const { client: f, ready: fr } = await open({ visitorToken: forged });
      expect(fr.user.id).not.toBe(ready.user.id);
      expect(fr.user.id).not.toBe('vis_AAAAAAAAAAAAAAAAAAAAAA');
      const theirs = await f.request({ type: 'thread.list' });
      expect(theirs).toMatchObject({ type: 'threads', threads: [], nextCursor: null });
      expect(await f.request({ type: 'thread.open', threadId })).toMatchObject({ type: 'error', code: 'not_found' });
      expect(await f.request({ type: 'message.send', threadId, clientMessageId: 'x', text: 'hi' })).toMatchObject({ type: 'error', code: 'not_found' });
      expect(await f.request({ type: 'thread.delete', threadId })).toMatchObject({ type: 'error', code: 'not_found' });
    }
    expect(await a.request({ type: 'thread.create', workflow: 'nope' })).toMatchObject({ type: 'error', code: 'not_found' });
  });

  it('Should page thread.list, delete threads, and refuse a message that is too long', async () => {
    const { client } = await open();
    const ids = [await newThread(client), await newThread(client), await newThread(client)];
    const first = await client.request({ type: 'thread.list', limit: 2 });
    expect(first.type === 'threads' && first.threads).toHaveLength(2);
    const cursor = first.type === 'threads' ? first.nextCursor : null;
    expect(cursor).toEqual(expect.any(String));
    const second = await client.request({ type: 'thread.list', limit: 2, cursor });
    expect(second).toMatchObject({ type: 'threads', nextCursor: null });
    const all = [...(first.type === 'threads' ? first.threads : []), ...(second.type === 'threads' ? second.threads : [])];
    expect(new Set(all.map((th) => th.id))).toEqual(new Set(ids));
    expect(await client.request({ type: 'thread.list', cursor: 'nope' })).toMatchObject({ type: 'error', code: 'invalid_request' });

    expect(await client.request({ type: 'message.send', threadId: ids[0], clientMessageId: 'long', text: 'x'.repeat(8001) })).toMatchObject({
      type: 'error', code: 'payload_too_large',
    });
    expect(await client.request({ type: 'thread.delete', threadId: ids[0] })).toMatchObject({ type: 'thread.deleted', threadId: ids[0] });
    expect(await client.request({ type: 'thread.open', threadId: ids[0] })).toMatchObject({ type: 'error', code: 'not_found' });
  });

  it('Should deliver the run to a socket that sends to a thread it never opened, and record feedback', async () => {
    const { client: a, ready } = await open();
    const threadId = await newThread(a);
    const { client: b } = await open({ visitorToken: ready.visitorToken });
    const accepted = await b.request({ type: 'message.send', threadId, clientMessageId: 'from-b', text: 'Is the website down?' });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    await b.runFinished(runId);
    await a.runFinished(runId); // a is subscribed since thread.create
    expect(seqs(b.events(threadId))).toEqual(seqs(a.events(threadId)));
    const assistant = b.events(threadId).find((e) => e.type === 'item.done' && e.item.type === 'assistant_message');
    const itemId = assistant?.type === 'item.done' ? assistant.item.id : '';
    expect(await b.request({ type: 'feedback', threadId, itemId, rating: 'up' })).toMatchObject({ type: 'feedback.saved', threadId, itemId });
    expect(await b.request({ type: 'feedback', threadId, itemId: 'itm_none', rating: 'up' })).toMatchObject({ type: 'error', code: 'not_found' });
  });

  it('Should not leak internals in any frame', () => {
    for (const c of clients) {
      for (const m of c.received) {
        expect(JSON.stringify(m)).not.toMatch(/\n\s+at |node_modules|SQLITE/);
        if (isThreadEvent(m)) expect(m.seq).toBeGreaterThan(0);
      }
      expect(c.invalid).toEqual([]);
    }
  });
});

describe('Group commit on a paced stream (real stack)', () => {
  const scope = useTestScope();

  it('Should commit and send each paced token at the end of its own turn, not hold it for company', async () => {
    // 10 ms between tokens: every token arrives in its own event-loop turn, as from a real model.
    const s = await scope.boot({ env: { OFFLINE_MODEL_DELAY_MS: '10' } });
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const before = s.server.eventLog.stats;
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'c1', text: 'What does the Summit plan include?' });
    await client.runFinished(accepted.type === 'message.accepted' ? accepted.runId : '');
    const after = s.server.eventLog.stats;
    const deltas = client.events(threadId).filter((e) => e.type === 'text.delta').length;
    expect(deltas).toBeGreaterThan(20);
    // Latency first: no token waited for the next one, so most of them went out alone (a delta
    // window would have grouped them and kept this near 0).
    expect(after.loneDeltas - before.loneDeltas).toBeGreaterThan(deltas / 2);
    expect(after.transactions - before.transactions).toBeGreaterThanOrEqual(deltas);
  });
});

describe('ready.model (real stack)', () => {
  const scope = useTestScope();

  it('Should not call the replies offline on a server configured with a model endpoint', async () => {
    // Nothing listens on the endpoint: the handshake never calls the model.
    const s = await scope.boot({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    const { ready } = await scope.connect(s);
    expect(ready.model).toEqual({ offline: false });
  });
});
