import { PROTOCOL_VERSION, type ServerMessage, type ThreadEvent, decodeServerMessage, isThreadEvent } from '@agent-chat/shared';
import WebSocket from 'ws';

type Msg = ServerMessage & Record<string, unknown>;

/**
 * A protocol client for tests over a real `ws` socket. Every frame received is validated with
 * the shared server schema (a malformed server frame fails the test) and kept in `received`.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly received: Msg[] = [];
  /** Server frames that failed the shared schema (must stay empty). */
  readonly invalid: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: Array<() => void> = [];
  #ids = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      const decoded = decodeServerMessage(text);
      if (decoded.ok) this.received.push(decoded.message as Msg);
      else this.invalid.push(`${decoded.message}: ${text.slice(0, 200)}`);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  /** Opens a socket to `url` (ws://…/v1/ws). */
  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Connects and completes the handshake; resolves with the client and its `ready`. */
  static async open(url: string, hello: Record<string, unknown> = {}): Promise<{ client: TestClient; ready: Extract<Msg, { type: 'ready' }> }> {
    const client = await TestClient.connect(url);
    const ready = await client.request({ type: 'hello', protocol: PROTOCOL_VERSION, ...hello });
    if (ready.type !== 'ready') throw new Error(`hello failed: ${JSON.stringify(ready)}`);
    return { client, ready: ready as Extract<Msg, { type: 'ready' }> };
  }

  send(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Sends with a fresh `id` and resolves with the reply (or error) carrying `replyTo: id`. */
  async request(message: Record<string, unknown>, timeoutMs = 5000): Promise<Msg> {
    const id = `r${++this.#ids}`;
    this.send({ ...message, id });
    return this.waitFor((m) => m.replyTo === id, timeoutMs);
  }

  /** The first message received (now or later) that matches. */
  async waitFor(match: (m: Msg) => boolean, timeoutMs = 5000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received: ${JSON.stringify(this.received.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for `run.finished` of a run. */
  runFinished(runId: string, timeoutMs = 10_000): Promise<Extract<Msg, { type: 'run.finished' }>> {
    return this.waitFor((m) => m.type === 'run.finished' && m.runId === runId, timeoutMs) as Promise<Extract<Msg, { type: 'run.finished' }>>;
  }

  /** Thread events received for a thread, in arrival order. */
  events(threadId: string): ThreadEvent[] {
    return this.received.filter((m): m is Msg & ThreadEvent => isThreadEvent(m) && m.threadId === threadId);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/** Asserts that events are numbered from `first`, one by one. Returns the seqs. */
export function seqs(events: ThreadEvent[]): number[] {
  return events.map((e) => e.seq);
}

/** The final text of an assistant item built the way a client builds it: from its deltas. */
export function textFromDeltas(events: ThreadEvent[], itemId: string): string {
  return events.filter((e) => e.type === 'text.delta' && e.itemId === itemId).map((e) => (e as { delta: string }).delta).join('');
}
