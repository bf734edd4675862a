import { describe, expect, it } from 'vitest';
import { useTestScope } from './helpers/test-scope.ts';
import { TestClient } from './helpers/ws-client.ts';

const QUESTION = 'I was charged twice for order 1234';

describe('Graceful shutdown (SHUTDOWN_GRACE_MS)', () => {
  const scope = useTestScope();

  async function startRun(client: TestClient, clientMessageId = 'q') {
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId, text: QUESTION });
    return { threadId, runId: accepted.type === 'message.accepted' ? accepted.runId : '' };
  }

  it('Should let a reply in flight finish, refusing new sockets and messages meanwhile, then close with 1001', async () => {
    const s = await scope.boot({ env: { OFFLINE_MODEL_DELAY_MS: '8' } });
    const { client } = await scope.connect(s);
    const idle = await client.request({ type: 'thread.create', workflow: 'support' });
    const idleThread = idle.type === 'thread.opened' ? idle.thread.id : '';
    const { threadId, runId } = await startRun(client);
    await client.waitFor(() => client.events(threadId).some((e) => e.type === 'text.delta'), 10_000);

    const closed = s.server.close({ graceMs: 30_000 });
    // No new socket…
    await expect(TestClient.connect(s.wsUrl)).rejects.toThrow(/ECONNREFUSED/); // the port is closed
    // …and no new reply, with a message the visitor can act on.
    const refused = await client.request({ type: 'message.send', threadId: idleThread, clientMessageId: 'late', text: 'Hello?' });
    expect(refused).toMatchObject({ type: 'error', code: 'internal', message: expect.stringMatching(/restarting/) });

    // The reply in flight streams to its end on the open socket, then the socket closes.
    const finished = await client.runFinished(runId, 30_000);
    expect(finished.status).toBe('completed');
    await closed;
    expect((await client.closed).code).toBe(1001);
    const done = client.events(threadId).filter((e) => e.type === 'item.done' && e.item.type === 'assistant_message');
    expect(done.at(-1)).toMatchObject({ item: { status: 'done' } }); // not 'incomplete'
  });

  it('Should cut the replies still running when the grace ends, with a status their visitor sees', async () => {
    const s = await scope.boot({ env: { OFFLINE_MODEL_DELAY_MS: '200' } });
    const { client } = await scope.connect(s);
    const { threadId, runId } = await startRun(client);
    await client.waitFor(() => client.events(threadId).some((e) => e.type === 'text.delta'), 10_000);

    const started = Date.now();
    await s.server.close({ graceMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const finished = await client.runFinished(runId, 1000);
    expect(finished).toMatchObject({ status: 'failed', error: { code: 'interrupted_by_restart' } });
    expect((await client.closed).code).toBe(1001);
  });

  it('Should stop at once when nothing is running, whatever the grace', async () => {
    const s = await scope.boot();
    const { client } = await scope.connect(s);
    const { runId } = await startRun(client);
    await client.runFinished(runId);
    const started = Date.now();
    await s.server.close({ graceMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await client.closed).code).toBe(1001);
  });
});
