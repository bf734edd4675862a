import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PostgresStorage } from '../../src/store/postgres/postgres-storage.ts';
import { startChildInstance } from '../helpers/child-instance.ts';
import { createTestDatabase, stopTestPostgres, type TestDatabase } from '../helpers/postgres.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { NO_QUOTAS, tempDataDir } from '../helpers/test-server.ts';
import { seqs, textFromDeltas } from '../helpers/ws-client.ts';

// Three instances on one PostgreSQL database, two of them in processes of their own so they can
// be killed, on a workflow whose tools are HTTP calls to a shop API the test counts.

/** The shop API the tools call: counts each call and answers it. */
async function startShop(): Promise<{ url: string; calls: Array<{ path: string; key: string | undefined }>; server: Server }> {
  const calls: Array<{ path: string; key: string | undefined }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      calls.push({ path: req.url ?? '', key: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ in_stock: true, ships: 'tomorrow', status: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

/** A workflow with one agent and two HTTP tools of the shop: a lookup, and a refund that needs approval. */
function shopWorkflow(dir: string, shop: string): void {
  const host = new URL(shop).host;
  const order = { type: 'object', properties: { order_id: { type: 'string', pattern: '^[0-9]{3,10}$' } }, required: ['order_id'] };
  writeFileSync(
    join(dir, 'shop.json'),
    JSON.stringify({
      id: 'shop',
      name: 'Shop',
      entryAgent: 'desk',
      agents: [{ id: 'desk', name: 'Desk', instructions: 'Help with orders.', tools: ['check_stock', 'refund_payment'] }],
      tools: [
        { name: 'check_stock', kind: 'http', description: 'Check whether an order is in stock and when it ships.', method: 'POST', url: `${shop}/stock/{order_id}`, parameters: order, allowedHosts: [host] },
        { name: 'refund_payment', kind: 'http', description: 'Refund the payment of an order.', method: 'POST', url: `${shop}/refund/{order_id}`, parameters: order, allowedHosts: [host], needsApproval: true },
      ],
    }),
  );
}

describe('three instances on one PostgreSQL database', () => {
  const scope = useTestScope();
  const databases: TestDatabase[] = [];
  const children: ChildProcess[] = [];
  const servers: Server[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const server of servers.splice(0)) server.close();
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
    await stopTestPostgres();
  });

  it('serves one visitor across all three; a killed instance’s reply goes on elsewhere, its finished tool call not repeated; an approval given through another instance completes the run', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const shop = await startShop();
    servers.push(shop.server);
    const flows = tempDataDir();
    scope.dirs.push(flows);
    shopWorkflow(flows, shop.url);
    const env = { ...NO_QUOTAS, DATABASE_URL: db.url, WORKFLOWS_DIR: flows, OFFLINE_MODEL_DELAY_MS: '15', RUN_LEASE_MS: '1500' };
    const [a, b] = await Promise.all([startChildInstance(env), startChildInstance(env)]);
    children.push(a.child, b.child);
    const c = await scope.boot({ env, workflows: undefined, tools: [] });
    await (c.server.storage as PostgresStorage).commits.listening;

    // One visitor, a socket on each instance; the message goes through A.
    const { client: onA, ready } = await scope.connect({ wsUrl: a.wsUrl });
    const { client: onB } = await scope.connect({ wsUrl: b.wsUrl }, ready.visitorToken);
    const { client: onC } = await scope.connect(c, ready.visitorToken);
    const created = await onA.request({ type: 'thread.create', workflow: 'shop' });
    const threadId = created.type === 'thread.opened' ? created.thread.id : '';
    for (const client of [onB, onC]) expect(await client.request({ type: 'thread.open', threadId })).toMatchObject({ type: 'thread.opened' });
    const accepted = await onA.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'Is order 1234 in stock?' });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';

    // A called the shop once and is streaming the answer (followed live on B and C) when it dies.
    await onB.waitFor((m) => m.type === 'text.delta', 20_000);
    expect(shop.calls.map((call) => call.path)).toEqual(['/stock/1234']);
    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    const [onBEnd, onCEnd] = await Promise.all([onB.runFinished(runId, 20_000), onC.runFinished(runId, 20_000)]);
    const continuedIn = Date.now() - killedAt;
    expect(onBEnd.status).toBe('completed');
    expect(onCEnd.status).toBe('completed');
    expect(continuedIn).toBeLessThan(10_000);
    // Every watcher holds the same gap-free, duplicate-free thread; the finished call ran once.
    for (const client of [onB, onC]) {
      const events = client.events(threadId);
      expect(seqs(events)).toEqual(events.map((_, i) => i + 1));
      const answers = events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'assistant_message' ? [e.item] : []));
      expect(answers.map((x) => x.status)).toEqual(['incomplete', 'done']);
      for (const answer of answers) expect(textFromDeltas(events, answer.id)).toBe(answer.text);
      const calls = events.flatMap((e) => (e.type === 'item.done' && e.item.type === 'tool_call' ? [e.item] : []));
      expect(calls.map((call) => `${call.name}:${call.status}`)).toEqual(['check_stock:completed']);
    }
    expect(onB.events(threadId)).toEqual(onC.events(threadId).filter((e) => e.seq <= onB.events(threadId).at(-1)!.seq));
    expect(shop.calls.map((call) => call.path)).toEqual(['/stock/1234']);
    expect(shop.calls[0]!.key).toMatch(new RegExp(`^${threadId}:`));

    // An action waits for approval (the run ends interrupted); the instance that asked dies;
    // the visitor approves through another one, which runs the call once and completes the run.
    const ask = await onB.request({ type: 'message.send', threadId, clientMessageId: 'm2', text: 'Please refund order 1234.' });
    const askRun = ask.type === 'message.accepted' ? ask.runId : '';
    expect((await onC.runFinished(askRun, 20_000)).status).toBe('interrupted');
    const waiting = onC.events(threadId).flatMap((e) => (e.type === 'item.done' && e.item.type === 'tool_call' && e.item.status === 'awaiting_approval' ? [e.item] : []));
    expect(waiting.map((call) => call.name)).toEqual(['refund_payment']);
    b.child.kill('SIGKILL');
    await b.exited;
    // (tool.approval has no reply of its own: the run it starts is the answer.)
    onC.send({ type: 'tool.approval', threadId, callId: waiting[0]!.callId, approved: true });
    const approvalRun = await onC.waitFor((m) => m.type === 'run.finished' && m.threadId === threadId && m.runId !== askRun && m.runId !== runId, 20_000);
    expect(approvalRun).toMatchObject({ status: 'completed' });
    expect(shop.calls.map((call) => call.path)).toEqual(['/stock/1234', '/refund/1234']);
    const all = onC.events(threadId);
    expect(seqs(all)).toEqual(all.map((_, i) => i + 1));
  }, 90_000);
});
