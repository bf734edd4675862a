import type { ClientMessage, ErrorCode, Hello, PROTOCOL_VERSION, Ready, ServerMessage } from '@agent-chat/shared';
import { createBackoff, type Backoff } from './backoff.ts';
import { parseServerFrame } from './frame-check.ts';

/** The protocol this widget speaks; typed against shared's constant without importing zod. */
const PROTOCOL: typeof PROTOCOL_VERSION = 1;

/** Errors after which retrying cannot help: the server will refuse every attempt the same way. */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['unsupported_protocol', 'unauthorized', 'forbidden']);

/**
 * Socket-level state. `open` means the handshake finished (`ready` arrived), not merely that
 * the TCP/WebSocket connection is up.
 */
export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';

/** Options for {@link Connection}. */
export interface ConnectionOptions {
  /** The WebSocket URL (`ws://…/v1/ws`). */
  url: string;
  /** The `hello` fields for the next attempt; read on every attempt so a new visitor token is used. */
  hello: () => Omit<Hello, 'type' | 'protocol'>;
  /** Called once per successful handshake. */
  onReady: (ready: Ready) => void;
  /** Every server frame after `ready` (pongs excluded). */
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: SocketStatus, error?: { code: string; message: string }) => void;
  backoff?: Backoff;
  /** App-level `ping` period; proxies drop idle sockets after 30-60 s. */
  pingIntervalMs?: number;
  /** How long to wait for any frame after a ping (or for `ready` after `hello`) before giving up on the socket. */
  timeoutMs?: number;
}

/**
 * One logical connection to the server: opens the socket, performs the `hello`/`ready`
 * handshake, keeps it alive with pings, and reconnects with backoff when it drops, until
 * {@link Connection.stop}. It knows nothing about threads; the chat controller does.
 */
export class Connection {
  #options: Required<Omit<ConnectionOptions, 'backoff'>> & { backoff: Backoff };
  #socket: WebSocket | null = null;
  #ready = false;
  #stopped = true;
  #fatal: { code: string; message: string } | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;

  constructor({ backoff = createBackoff(), pingIntervalMs = 25_000, timeoutMs = 10_000, ...rest }: ConnectionOptions) {
    this.#options = { ...rest, backoff, pingIntervalMs, timeoutMs };
  }

  /** Whether the handshake is done and frames can be sent. */
  get isOpen(): boolean {
    return this.#ready && this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Starts connecting (no-op when already started). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#fatal = null;
    this.#options.backoff.reset();
    addEventListener('online', this.#handleOnline);
    this.#connect();
  }

  /** Closes the socket and cancels every timer; no reconnect follows. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    removeEventListener('online', this.#handleOnline);
    clearTimeout(this.#retryTimer);
    this.#drop(false);
    this.#options.onStatus('closed');
  }

  /** Sends one frame. Returns false (and sends nothing) unless the handshake is done. */
  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    this.#socket!.send(JSON.stringify(message));
    return true;
  }

  #connect(): void {
    const retrying = this.#options.backoff.attempts > 0;
    this.#options.onStatus(retrying ? 'reconnecting' : 'connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#options.url);
    } catch (error) {
      // An invalid URL can never work.
      this.#fail({ code: 'invalid_request', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.#socket = socket;
    this.#ready = false;
    socket.onopen = () => {
      socket.send(JSON.stringify({ ...this.#options.hello(), type: 'hello', protocol: PROTOCOL } satisfies Hello));
      this.#armDeadline();
    };
    socket.onmessage = (event) => this.#handleFrame(event.data);
    socket.onclose = () => this.#drop(true);
  }

  #handleFrame(data: unknown): void {
    this.#armDeadline(false);
    const message = parseServerFrame(data);
    if (!message) return; // not ours to understand: ignore rather than crash the page
    if (!this.#ready) {
      if (message.type === 'ready') {
        this.#ready = true;
        this.#options.backoff.reset();
        this.#pingTimer = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
        this.#options.onStatus('open');
        this.#options.onReady(message);
      } else if (message.type === 'error' && FATAL_CODES.has(message.code)) {
        this.#fatal = { code: message.code, message: message.message };
      }
      return;
    }
    if (message.type !== 'pong') this.#options.onMessage(message);
  }

  #ping(): void {
    // Keep an armed deadline: re-arming on every ping would postpone it forever.
    if (this.send({ type: 'ping' }) && this.#deadline === undefined) this.#armDeadline();
  }

  /** With `arm`, starts the liveness deadline; otherwise clears it (a frame arrived). */
  #armDeadline(arm = true): void {
    clearTimeout(this.#deadline);
    this.#deadline = arm ? setTimeout(() => this.#drop(true), this.#options.timeoutMs) : undefined;
  }

  /** Forgets the current socket and, when `retry`, schedules the next attempt. */
  #drop(retry: boolean): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    const socket = this.#socket;
    this.#socket = null;
    this.#ready = false;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // A dead network can hold close() for minutes; we don't wait for it.
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close();
    }
    if (!retry || this.#stopped) return;
    if (this.#fatal) {
      this.#fail(this.#fatal);
      return;
    }
    const delay = this.#options.backoff.next();
    this.#options.onStatus('reconnecting');
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #fail(error: { code: string; message: string }): void {
    this.#stopped = true;
    removeEventListener('online', this.#handleOnline);
    this.#options.onStatus('failed', error);
  }

  /** The browser says the network is back: retry now instead of waiting out the backoff. */
  #handleOnline = (): void => {
    if (this.#stopped || this.#socket) return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  };
}
