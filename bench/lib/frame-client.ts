import WebSocket from 'ws';

/** A parsed server frame (the bench only reads a few fields). */
export type Frame = Record<string, unknown> & { type: string };

/**
 * The bench's protocol client: a real `ws` socket that parses every frame with `JSON.parse` and
 * nothing more (no schema check), so both sides of a comparison pay the same per frame on the
 * client. Each frame is handed to `onFrame` with the time it arrived.
 */
export class FrameClient {
  readonly ws: WebSocket;
  onFrame: ((frame: Frame, at: number, raw: string) => void) | undefined;
  #ids = 0;
  #pending = new Map<string, (frame: Frame) => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const at = performance.now();
      const raw = data.toString();
      const frame = JSON.parse(raw) as Frame;
      const replyTo = frame.replyTo;
      if (typeof replyTo === 'string' && this.#pending.has(replyTo)) {
        this.#pending.get(replyTo)!(frame);
        this.#pending.delete(replyTo);
      }
      this.onFrame?.(frame, at, raw);
    });
  }

  static connect(url: string): Promise<FrameClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new FrameClient(ws)));
      ws.once('error', reject);
    });
  }

  send(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends with a fresh `id`; resolves with the frame whose `replyTo` is that id. Rejects on `error` replies. */
  request(message: Record<string, unknown>, timeoutMs = 10_000): Promise<Frame> {
    const id = `b${++this.#ids}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${message.type} in ${timeoutMs} ms`)), timeoutMs);
      this.#pending.set(id, (frame) => {
        clearTimeout(timer);
        if (frame.type === 'error') reject(new Error(`${message.type} failed: ${JSON.stringify(frame)}`));
        else resolve(frame);
      });
      this.send({ ...message, id });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
