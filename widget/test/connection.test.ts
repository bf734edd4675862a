import { expect, waitUntil } from '@open-wc/testing';
import type { Ready, ServerMessage } from '@agent-chat/shared';
import { createBackoff } from '../src/connection/backoff.ts';
import { Connection, MAX_FAILED_ATTEMPTS, type SocketError, type SocketStatus } from '../src/connection/connection.ts';
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

/** A Connection to a session that refuses every upgrade (the socket never opens), recording its reports. */
async function unreachable(backoff = createBackoff({ initialMs: 20, maxMs: 80 })) {
  const session = await peerSession();
  await session.offline();
  const reports: Array<{ status: SocketStatus; error?: SocketError | undefined }> = [];
  const connection = new Connection({
    url: socketUrl(session.server),
    hello: () => ({}),
    onReady: () => {},
    onMessage: () => {},
    onStatus: (status, error) => reports.push({ status, error }),
    backoff,
  });
  return { session, connection, reports };
}

/** Every WebSocket the page constructs (one per connection attempt), while `countSockets` is on. */
const sockets: string[] = [];
const NativeWebSocket = WebSocket;
function countSockets(on: boolean): void {
  sockets.length = 0;
  window.WebSocket = on
    ? class extends NativeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(String(url));
        }
      }
    : NativeWebSocket;
}
const attempts = () => sockets.length;

describe('Connection', () => {
  beforeEach(() => countSockets(true));
  afterEach(() => countSockets(false));

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
  it(`gives up with connection_failed after ${MAX_FAILED_ATTEMPTS} attempts in a row that could not open, and start() begins afresh`, async () => {
    const { session, connection, reports } = await unreachable();
    connection.start();
    await waitUntil(() => reports.some((r) => r.status === 'failed'), 'never gave up', wait);
    expect(attempts()).to.equal(MAX_FAILED_ATTEMPTS);
    expect(new Set(sockets)).to.deep.equal(new Set([socketUrl(session.server)]));
    const failed = reports.filter((r) => r.status === 'failed');
    expect(failed).to.have.length(1);
    expect(failed[0]!.error!.code).to.equal('connection_failed');
    expect(failed[0]!.error!.message).to.contain(socketUrl(session.server)).and.contain('could not be opened');
    await new Promise((r) => setTimeout(r, 300)); // the backoff here retries within 20-80 ms
    expect(attempts(), 'no attempt after giving up').to.equal(MAX_FAILED_ATTEMPTS);

    await session.online();
    connection.start();
    await waitUntil(() => connection.isOpen, 'start() after giving up did not connect', wait);
    expect(reports.at(-1)!.status).to.equal('open');
    expect((await session.upgrades()).length).to.equal(1);
    connection.stop();
  });

  it('also gives up when the socket opens but the handshake never completes, and says so', async () => {
    const session = await peerSession();
    await session.mute(); // upgrades succeed, nothing is answered
    const reports: Array<{ status: SocketStatus; error?: SocketError | undefined }> = [];
    const connection = new Connection({
      url: socketUrl(session.server),
      hello: () => ({}),
      onReady: () => {},
      onMessage: () => {},
      onStatus: (status, error) => reports.push({ status, error }),
      backoff: createBackoff({ initialMs: 20, maxMs: 80 }),
      timeoutMs: 100,
    });
    connection.start();
    await waitUntil(() => reports.some((r) => r.status === 'failed'), 'never gave up', wait);
    expect(await session.upgrades()).to.have.length(MAX_FAILED_ATTEMPTS);
    const { error } = reports.find((r) => r.status === 'failed')!;
    expect(error!.code).to.equal('connection_failed');
    expect(error!.message).to.contain('opened but the server did not complete the agent-chat handshake');
  });

  it('counts only failures in a row: a handshake in between starts the count over', async () => {
    // Delays of about 20, 60, 180, then 540 ms: time enough to bring the server back before the last attempt.
    const { session, connection, reports } = await unreachable(createBackoff({ initialMs: 20, factor: 3, maxMs: 2000, random: () => 0.99 }));
    connection.start();
    await waitUntil(() => attempts() >= MAX_FAILED_ATTEMPTS - 1, 'attempts', wait);
    expect(reports.some((r) => r.status === 'failed')).to.equal(false);
    await session.online();
    await waitUntil(() => connection.isOpen, 'never connected', wait);
    const before = attempts();
    await session.offline(); // drops the open socket, then refuses upgrades again
    await waitUntil(() => reports.some((r) => r.status === 'failed'), 'never gave up', wait);
    // The drop of a working socket is no failed attempt; the next attempts are.
    expect(attempts() - before).to.equal(MAX_FAILED_ATTEMPTS);
  });

  it('while the browser is offline, keeps waiting for the online event instead of counting failures', async () => {
    const { connection, reports } = await unreachable();
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      connection.start();
      await waitUntil(() => attempts() >= MAX_FAILED_ATTEMPTS * 2, 'attempts while offline', wait);
      expect(reports.some((r) => r.status === 'failed'), 'gave up while offline').to.equal(false);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine; // back to the prototype's real value
    }
    expect(navigator.onLine).to.equal(true);
    const before = attempts();
    dispatchEvent(new Event('online'));
    await waitUntil(() => reports.some((r) => r.status === 'failed'), 'never gave up once online', wait);
    // The attempt in flight when the network came back (if any) is the first one counted.
    expect(attempts() - before).to.be.within(MAX_FAILED_ATTEMPTS - 1, MAX_FAILED_ATTEMPTS);
  });
});
