import { expect, waitUntil } from '@open-wc/testing';
import type { Ready, ServerMessage } from '@agent-chat/shared';
import { createBackoff } from '../src/connection/backoff.ts';
import { Connection, type SocketStatus } from '../src/connection/connection.ts';
import { socketUrl } from '../src/connection/server-url.ts';
import { peerSession } from './support/peer.ts';

const wait = { timeout: 5000, interval: 20 };

/** A Connection to a fresh peer session, recording what it reports. */
async function connect(options: { pingIntervalMs?: number; timeoutMs?: number } = {}) {
  const session = await peerSession();
  const statuses: SocketStatus[] = [];
  const readies: Ready[] = [];
  const messages: ServerMessage[] = [];
  const connection = new Connection({
    url: socketUrl(session.server),
    hello: () => (readies[0] ? { visitorToken: readies[0].visitorToken } : {}),
    onReady: (r) => readies.push(r),
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    backoff: createBackoff({ initialMs: 50, maxMs: 200 }),
    ...options,
  });
  connection.start();
  await waitUntil(() => connection.isOpen, 'handshake', wait);
  return { session, connection, statuses, readies, messages };
}

describe('Connection', () => {
  it('says hello with protocol 1 and becomes open on ready', async () => {
    const { session, connection, statuses, readies } = await connect();
    expect(readies).to.have.length(1);
    expect(statuses).to.deep.equal(['connecting', 'open']);
    expect((await session.frames()).map((f) => f.frame)).to.deep.equal([{ type: 'hello', protocol: 1 }]);
    expect(connection.send({ type: 'thread.create', workflow: 'support' })).to.equal(true);
    connection.stop();
    expect(statuses.at(-1)).to.equal('closed');
    expect(connection.send({ type: 'ping' })).to.equal(false);
  });

  it('pings on an interval and stays open while pongs come back', async () => {
    const { session, connection, statuses } = await connect({ pingIntervalMs: 40, timeoutMs: 300 });
    await new Promise((r) => setTimeout(r, 400));
    const pings = (await session.frames()).filter((f) => f.frame.type === 'ping');
    expect(pings.length).to.be.greaterThan(4);
    expect(connection.isOpen).to.equal(true);
    expect(statuses).to.deep.equal(['connecting', 'open']);
    connection.stop();
  });

  it('gives up on a silent socket and reconnects as the same visitor', async () => {
    const { session, connection, statuses, readies } = await connect({ pingIntervalMs: 40, timeoutMs: 150 });
    await session.mute();
    await waitUntil(() => statuses.includes('reconnecting'), 'never noticed the silence', wait);
    await session.online();
    await waitUntil(() => readies.length === 2 && connection.isOpen, 'never reconnected', wait);
    const hellos = (await session.frames()).filter((f) => f.frame.type === 'hello');
    expect(hellos.at(-1)!.frame.visitorToken).to.equal(readies[0]!.visitorToken);
    connection.stop();
  });

  it('stop() cancels a scheduled reconnect', async () => {
    const { session, connection, statuses } = await connect();
    await session.offline();
    await waitUntil(() => statuses.includes('reconnecting'), 'no reconnecting', wait);
    connection.stop();
    const count = (await session.frames()).length;
    await session.online();
    await new Promise((r) => setTimeout(r, 400));
    expect((await session.frames()).length).to.equal(count);
    expect(statuses.at(-1)).to.equal('closed');
  });

  it('stops for good when, after the handshake, an unauthorized refusal comes with close 1008', async () => {
    const { session, connection, statuses } = await connect();
    await session.refuse({ on: 'thread.create', code: 'unauthorized', message: 'token expired', close: 1008 });
    const seen = statuses.length;
    connection.send({ type: 'thread.create', id: 'c1', workflow: 'support' });
    await waitUntil(() => statuses.includes('failed'), 'never failed', wait);
    expect(statuses.slice(seen)).to.deep.equal(['failed']);
    await new Promise((r) => setTimeout(r, 600)); // the backoff here retries within 50-200 ms
    expect((await session.frames()).filter((f) => f.frame.type === 'hello')).to.have.length(1);
  });

  it('a refused request with a long wait (a budget) does not hold back reconnecting after a drop', async () => {
    const { session, connection, readies } = await connect();
    await session.refuse({ on: 'thread.create', code: 'rate_limited', message: 'Daily budget reached.', retryAfterMs: 3_600_000 });
    connection.send({ type: 'thread.create', id: 'c1', workflow: 'support' });
    await waitUntil(async () => (await session.frames()).some((f) => f.frame.type === 'thread.create'), 'request not seen', wait);
    await new Promise((r) => setTimeout(r, 50)); // let the refusal arrive before the drop
    await session.drop();
    await waitUntil(() => readies.length === 2 && connection.isOpen, 'did not reconnect promptly', wait);
    connection.stop();
  });
});
