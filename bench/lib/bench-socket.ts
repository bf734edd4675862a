import { PROTOCOL_VERSION } from '../../shared/src/index.ts';
import WebSocket from 'ws';

/** A server frame as the bench reads it: parsed JSON, not schema-checked (that costs client CPU). */
export type Frame = { type: string; replyTo?: string; [key: string]: unknown };

/**
 * A light protocol client for the bench: one socket, requests matched by `replyTo`, and every
 * other frame handed to `onFrame` as it arrives. Many of them share one process, so it does no
 * more per frame than parse it.
 */
export class BenchSocket {
  readonly ws: WebSocket;
  /** Frames that are not replies; set before the frames you want arrive. */
  onFrame: (frame: Frame, at: number) => void = () => {};
  #pending = new Map<string, (frame: Frame) => void>();
  #ids = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(data.toString()) as Frame;
      const waiting = frame.replyTo === undefined ? undefined : this.#pending.get(frame.replyTo);
      if (waiting) {
        this.#pending.delete(frame.replyTo!);
        waiting(frame);
      } else this.onFrame(frame, at);
    });
    ws.on('close', () => {
      for (const waiting of this.#pending.values()) waiting({ type: 'error', message: 'socket closed' });
      this.#pending.clear();
    });
  }

  /** Opens a socket to `url`; rejects on a failed upgrade. */
  static connect(url: string): Promise<BenchSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(new BenchSocket(ws)));
      ws.once('error', reject);
    });
  }

  /** Connects and says hello as a new visitor; throws unless the server answers `ready`. */
  static async open(url: string): Promise<BenchSocket> {
    const socket = await BenchSocket.connect(url);
    const ready = await socket.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    if (ready.type !== 'ready') throw new Error(`hello answered ${JSON.stringify(ready).slice(0, 200)}`);
    return socket;
  }

  /** Sends with a fresh `id`; resolves with the frame that answers it. */
  request(message: Record<string, unknown>, timeoutMs = 60_000): Promise<Frame> {
    const id = `b${++this.#ids}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer to ${String(message.type)} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
      this.ws.send(JSON.stringify({ ...message, id }));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Runs `fn` over `items`, at most `limit` at a time (opening a thousand sockets at once overflows the accept backlog). */
export async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
