import type { ClientMessage, ErrorCode, Hello, PROTOCOL_VERSION, Ready, ServerMessage } from '@agent-chat/shared';
import { createBackoff, type Backoff } from './backoff.ts';
import { parseServerFrame } from './frame-check.ts';

/** The protocol this widget speaks; typed against shared's constant without importing zod. */
const PROTOCOL: typeof PROTOCOL_VERSION = 1;

/** Errors after which retrying cannot help: the server will refuse every attempt the same way. */
const FATAL_CODES: ReadonlySet<string> = new Set<ErrorCode>(['unsupported_protocol', 'unauthorized', 'forbidden']);

/** Close code for a policy refusal (docs/protocol.md, Close codes). */
const CLOSE_POLICY = 1008;

/**
 * Attempts in a row that may end before the handshake (`ready`) before the connection gives up
 * with `connection_failed`. With the default backoff the fifth failure comes after about 4-8 s.
 * Attempts the server answered with a wait (`rate_limited`), and attempts while the browser is
 * offline, do not count: the server is there, or the network is missing, and both pass.
 */
export const MAX_FAILED_ATTEMPTS = 5;

/** An error the server sent on this socket, kept to explain the close that follows it. */
export interface SocketError {
  /** A server `ErrorCode`, or the widget's own `connection_failed` (the server could not be reached). */
  code: string;
  message: string;
  retryAfterMs?: number | undefined;
}

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
  /**
   * `failed` comes with the error that ended it (`connection_failed` when
   * {@link MAX_FAILED_ATTEMPTS} attempts in a row could not reach the server); `reconnecting`
   * may come with the refusal that delays the next attempt (`rate_limited` with `retryAfterMs`).
   */
  onStatus: (status: SocketStatus, error?: SocketError) => void;
  backoff?: Backoff;
  /** App-level `ping` period; proxies drop idle sockets after 30-60 s. */
  pingIntervalMs?: number;
  /** How long to wait for any frame after a ping (or for `ready` after `hello`) before giving up on the socket. */
  timeoutMs?: number;
  /** Item types already reported as unknown; pass the element's own set so each is reported once per element. */
  unknownItemTypes?: Set<string>;
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
  /**
   * The last error frame on the current socket, to explain a close that follows: a fatal one
   * ends retrying, a wait about the socket itself (not a reply to a request) delays it.
   */
  #lastError: (SocketError & { reply: boolean }) | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** No attempt before this time (epoch ms): the server asked us to wait. */
  #notBefore = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  /** Attempts in a row that ended before `ready` (see {@link MAX_FAILED_ATTEMPTS}). */
  #failures = 0;
  /** Whether the current socket's WebSocket opened, to tell why an attempt failed. */
  #opened = false;

  constructor({ backoff = createBackoff(), pingIntervalMs = 25_000, timeoutMs = 10_000, unknownItemTypes = new Set(), ...rest }: ConnectionOptions) {
    this.#options = { ...rest, backoff, pingIntervalMs, timeoutMs, unknownItemTypes };
  }

  /** Whether the handshake is done and frames can be sent. */
  get isOpen(): boolean {
    return this.#ready && this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Starts connecting (no-op when already started); after a failure, starts over with fresh attempts. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#failures = 0;
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
    this.#opened = false;
    this.#lastError = null;
    socket.onopen = () => {
      this.#opened = true;
      socket.send(JSON.stringify({ ...this.#options.hello(), type: 'hello', protocol: PROTOCOL } satisfies Hello));
      this.#armDeadline();
    };
    socket.onmessage = (event) => this.#handleFrame(event.data);
    socket.onclose = (event) => this.#drop(true, event.code);
  }

  #handleFrame(data: unknown): void {
    this.#armDeadline(false);
    const message = parseServerFrame(data, this.#options.unknownItemTypes);
    if (!message) return; // not ours to understand: ignore rather than crash the page
    if (message.type === 'error') {
      const { code, message: text, retryAfterMs, replyTo } = message;
      this.#lastError = { code, message: text, retryAfterMs, reply: replyTo !== undefined };
    }
    if (!this.#ready) {
      if (message.type === 'ready') {
        this.#ready = true;
        this.#failures = 0;
        this.#options.backoff.reset();
        this.#pingTimer = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
        this.#options.onStatus('open');
        this.#options.onReady(message);
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

  /**
   * Forgets the current socket and, when `retry`, schedules the next attempt. A refusal that
   * cannot change (unauthorized, forbidden, unsupported protocol before `ready`, or with a
   * policy close) ends retrying; a `retryAfterMs` from the server is waited out at least.
   */
  #drop(retry: boolean, closeCode?: number): void {
    const wasReady = this.#ready;
    const error = this.#lastError;
    this.#lastError = null;
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
    if (error && FATAL_CODES.has(error.code) && (!wasReady || closeCode === CLOSE_POLICY)) {
      this.#fail({ code: error.code, message: error.message });
      return;
    }
    // A refused message (a daily budget) must not hold back reconnecting; a refused socket does.
    const wait = error?.code === 'rate_limited' && !error.reply ? (error.retryAfterMs ?? 0) : 0;
    if (!wasReady && wait === 0 && navigator.onLine !== false && ++this.#failures >= MAX_FAILED_ATTEMPTS) {
      this.#fail({ code: 'connection_failed', message: this.#failureReason(closeCode) });
      return;
    }
    const delay = Math.max(this.#options.backoff.next(), wait);
    this.#notBefore = Date.now() + wait;
    // Only a refusal that delays us is worth telling the visitor about.
    this.#options.onStatus('reconnecting', wait > 0 ? { code: error!.code, message: error!.message, retryAfterMs: wait } : undefined);
    this.#retryTimer = setTimeout(() => this.#connect(), Math.min(delay, 2 ** 31 - 1));
  }

  /** Why the last attempts failed, for the site owner (the browser hides the details from scripts). */
  #failureReason(closeCode: number | undefined): string {
    const why = this.#opened
      ? `the WebSocket opened but the server did not complete the agent-chat handshake${closeCode ? ` (close code ${closeCode})` : ''}`
      : 'the WebSocket could not be opened (server unreachable, or a proxy that does not forward WebSocket upgrades)';
    return `Could not connect to ${this.#options.url} after ${this.#failures} attempts: ${why}.`;
  }

  #fail(error: SocketError): void {
    this.#stopped = true;
    removeEventListener('online', this.#handleOnline);
    this.#options.onStatus('failed', error);
  }

  /** The browser says the network is back: retry now instead of waiting out the backoff. */
  #handleOnline = (): void => {
    if (this.#stopped || this.#socket || Date.now() < this.#notBefore) return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  };
}
