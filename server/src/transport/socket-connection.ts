import {
  type ClientMessage,
  assertNever,
  type ErrorPayload,
  type Hello,
  type ModelInfo,
  PROTOCOL_VERSION,
  decodeClientMessage,
  isCompatible,
} from '@agent-chat/shared';
import type { RawData, WebSocket } from 'ws';
import type { MessageLimits } from '../config.ts';
import type { ConversationService, RequestOrigin } from '../conversation/conversation-service.ts';
import type { Subscriber } from '../conversation/thread-hub.ts';
import { AppError, errorFrame, toErrorPayload } from '../errors.ts';
import type { HelloOrigin, Identity, IdentityService } from '../identity/identity-service.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { QuotaService } from '../quota/quota-service.ts';
import type { Site } from '../sites/site-registry.ts';
import type { ClientInfo } from './client-info.ts';
import { OutboundQueue, type OutboundQueueOptions, type OutboundTarget } from './outbound-queue.ts';
import { TokenBucket } from './rate-limit.ts';
import { SlicedReplay } from './sliced-replay.ts';

/** Per-socket limits and timers. */
export interface ConnectionOptions {
  /** Time a new socket has to send `hello` before it is closed with 1008. */
  helloTimeoutMs: number;
  rateLimit: { burst: number; perSecond: number };
  outbound: OutboundQueueOptions;
  /** Threads one socket may watch at once; opening more drops the oldest subscription. */
  maxSubscriptions: number;
  /**
   * The socket's budget for `thread.open`, counted in replay slices: each open costs one slice
   * per `replaySliceEvents` events it replays (at least one). A socket past it gets
   * `rate_limited` with `retryAfterMs` instead of more replays.
   */
  replayRate: { burst: number; perSecond: number };
  /** Events per replay slice; the socket yields to the event loop between slices. */
  replaySliceEvents: number;
}

export interface ConnectionDeps {
  service: ConversationService;
  identity: IdentityService;
  limits: MessageLimits;
  /** Which model answers here (`ready.model`). */
  model?: ModelInfo | undefined;
  options: ConnectionOptions;
  log: Logger;
  /** Per-IP hellos; the conversation service asks it about threads and runs. */
  quota?: QuotaService;
}

type Outgoing = Record<string, unknown> & { type: string };

/** What a socket keeps of its identity after `ready`: whose threads, which site. */
type ConnectionIdentity = Pick<Identity, 'ownerKey' | 'siteId' | 'previewWorkflow'>;

/** Requests whose text passes the input guardrails before they are answered. */
const SCREENED: ReadonlySet<ClientMessage['type']> = new Set(['message.send', 'tool.approval', 'feedback']);

/** Resolves on the next event-loop turn. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** WebSocket close codes used here. */
export const CloseCode = { goingAway: 1001, policy: 1008, tooBig: 1009, tryAgainLater: 1013 } as const;

/**
 * The connection of each socket, for the listeners below: one function per event for every
 * socket instead of closures per socket (an idle connection's memory is mostly its objects).
 */
const connectionOf = new WeakMap<WebSocket, SocketConnection>();

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  connectionOf.get(this)?.onFrame(data, isBinary);
}

function onPong(this: WebSocket): void {
  const connection = connectionOf.get(this);
  if (connection) connection.alive = true;
}

function onError(this: WebSocket, error: Error): void {
  connectionOf.get(this)?.onSocketError(error);
}

function onClose(this: WebSocket): void {
  connectionOf.get(this)?.cleanup();
  connectionOf.delete(this);
}

/**
 * One client socket: the hello handshake, validation of every frame, dispatch to the
 * conversation service, replies with `replyTo`, and the thread subscriptions it owns. It
 * cleans up exactly once when the socket closes. Runs are not aborted on close: they belong
 * to the thread, and a client that reconnects resumes them.
 */
export class SocketConnection {
  readonly id = newId('con');
  /** The peer's IP and origin, read at the upgrade. */
  readonly client: ClientInfo;
  #ws: WebSocket;
  #deps: ConnectionDeps;
  /** Who the hello proved this is (without the visitor token, which only `ready` carries). */
  #identity: ConnectionIdentity | undefined;
  /** Threads watched, each with its unsubscribe; made at the first one (idle sockets need none). */
  #subscriptions: Map<string, () => void> | undefined;
  /** Delivers a watched thread's events to this socket; made with the first subscription. */
  #subscriber: Subscriber | undefined;
  /** Made when a frame first has to wait (most sockets never fall behind). */
  #queue: OutboundQueue | undefined;
  #bucket: TokenBucket;
  /** Made at the first `thread.open`: an idle socket does not need one. */
  #replayBudget: TokenBucket | undefined;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  /** The site the upgrade's `?key=` named, handed to the identity check at hello. */
  #keySite: Site | undefined;
  #handshaking = false;
  /** Frames that arrived while the hello was being verified. */
  #held: ClientMessage[] | undefined;
  /** The request being handled and those queued behind it (made at the first request). */
  #turn: Promise<void> | undefined;
  #closed = false;
  #flooded = false;
  #onClosed: (connection: SocketConnection) => void;
  /** Cleared on each heartbeat ping, set by the pong. */
  alive = true;

  constructor(
    ws: WebSocket,
    client: ClientInfo,
    deps: ConnectionDeps,
    onClosed: (connection: SocketConnection) => void,
    keySite?: Site,
  ) {
    this.#ws = ws;
    this.client = client;
    this.#keySite = keySite;
    this.#deps = deps;
    this.#onClosed = onClosed;
    this.#bucket = new TokenBucket(deps.options.rateLimit);
    this.#helloTimer = setTimeout(closeForHelloTimeout, deps.options.helloTimeoutMs, this);
    connectionOf.set(ws, this);
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    // Without an 'error' listener a socket error (e.g. an oversized frame, closed with 1009)
    // would crash the process; 'close' always follows, and cleanup happens there.
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  /** A socket error (the socket closes next). */
  onSocketError(error: Error): void {
    this.#deps.log.warn('socket error', error, this.#logFields());
  }

  /** Sends a ping, or terminates the socket if the previous ping got no pong. */
  heartbeat(): void {
    if (!this.alive) {
      this.#ws.terminate();
      return;
    }
    this.alive = false;
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.ping();
  }

  /** Closes the socket with a code and reason (idempotent). */
  close(code: number, reason: string): void {
    if (this.#ws.readyState === this.#ws.OPEN || this.#ws.readyState === this.#ws.CONNECTING) this.#ws.close(code, reason);
  }

  /** Closes without a handshake (a dead peer). */
  terminate(): void {
    this.#ws.terminate();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A frame from the client. */
  onFrame(data: RawData, isBinary: boolean): void {
    if (this.#closed) return;
    if (!this.#bucket.take()) {
      if (!this.#flooded) this.#deps.log.warn('frame flood: closing the socket', undefined, this.#logFields());
      this.#flooded = true;
      this.#error({ code: 'rate_limited', message: 'Too many frames; slow down.', retryAfterMs: Math.ceil(1000 / this.#deps.options.rateLimit.perSecond) });
      this.close(CloseCode.policy, 'rate limit');
      return;
    }
    const text = isBinary ? undefined : rawToString(data);
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.#error({ code: decoded.code, message: decoded.message }, decoded.replyTo);
      return;
    }
    this.#handle(decoded.message);
  }

  #handle(message: ClientMessage): void {
    // Verifying a hello is asynchronous (a userToken's signature); frames sent right behind it
    // wait and are handled in order once it is done.
    if (this.#handshaking) {
      (this.#held ??= []).push(message);
      return;
    }
    const identity = this.#identity;
    if (identity) {
      this.#turn = (this.#turn ?? Promise.resolve()).then(() => this.#request(message, identity));
      return;
    }
    try {
      this.#handshake(message);
    } catch (error) {
      this.#failed(message, error);
    }
  }

  /**
   * Handles one request in its turn: requests start in the order they arrived, and a request
   * answered from storage alone is answered before the next one starts, so such replies keep
   * the order of their requests. One that waits on guardrails (seconds, on a model) holds up
   * the socket's later frames for one event-loop turn at most: a refusal from its checks still
   * comes first, its answer comes when it is ready.
   */
  async #request(message: ClientMessage, identity: ConnectionIdentity): Promise<void> {
    const done = this.#dispatch(message, identity).catch((error: unknown) => this.#failed(message, error));
    if (SCREENED.has(message.type)) await Promise.race([done, nextTurn()]);
    else await done;
  }

  /** A request failed: its sender gets a typed error, the socket and its other requests carry on. */
  #failed(message: ClientMessage, error: unknown): void {
    if (!(error instanceof AppError)) this.#deps.log.error(`${message.type} failed`, error, { ...this.#logFields(), type: message.type });
    this.#error(toErrorPayload(error), message.id);
  }

  #handshake(message: ClientMessage): void {
    if (message.type !== 'hello') {
      throw new AppError('handshake_required', 'Send hello first.');
    }
    if (!isCompatible(message.protocol)) {
      this.#error({ code: 'unsupported_protocol', message: `This server speaks protocol ${PROTOCOL_VERSION}.` }, message.id);
      this.close(CloseCode.policy, 'unsupported protocol');
      return;
    }
    try {
      this.#deps.quota?.hello(this.client.ip);
    } catch (error) {
      // Counted before any identity work; the socket goes so a retry loop holds nothing open.
      this.#failed(message, error);
      this.close(CloseCode.tryAgainLater, 'rate_limited');
      return;
    }
    this.#handshaking = true;
    const from: HelloOrigin = { origin: this.client.origin, keySite: this.#keySite };
    this.#keySite = undefined;
    this.#deps.identity.resolve(message satisfies Hello, from).then(
      (identity) => this.#ready(message, identity),
      (error: unknown) => {
        this.#failed(message, error);
        this.#held = undefined;
        this.close(CloseCode.policy, toErrorPayload(error).code);
      },
    );
  }

  #ready(message: Hello, identity: Identity): void {
    if (this.#closed) return;
    clearTimeout(this.#helloTimer);
    this.#helloTimer = undefined;
    const { visitorToken } = identity;
    this.#identity = {
      ownerKey: identity.ownerKey,
      siteId: identity.siteId,
      ...(identity.previewWorkflow !== undefined ? { previewWorkflow: identity.previewWorkflow } : {}),
    };
    this.#handshaking = false;
    this.#send({
      type: 'ready',
      ...(message.id !== undefined ? { replyTo: message.id } : {}),
      protocol: PROTOCOL_VERSION,
      connectionId: this.id,
      user: identity.user,
      visitorToken,
      uploadToken: this.#deps.identity.uploadToken(identity),
      limits: this.#deps.limits,
      ...(this.#deps.model ? { model: this.#deps.model } : {}),
    });
    const held = this.#held;
    this.#held = undefined;
    for (const message of held ?? []) this.#handle(message);
  }

  /**
   * One request after the handshake. Replies carry `replyTo` and go out once the request's
   * reads and writes are done; errors are rejected as AppError. Each reply finds its request by
   * `replyTo`, and the conversation service keeps a thread's order (one run at a time,
   * idempotent sends).
   */
  async #dispatch(message: ClientMessage, identity: ConnectionIdentity): Promise<void> {
    const { service } = this.#deps;
    const owner = identity.ownerKey;
    const reply = (body: Outgoing) => this.#send(message.id !== undefined ? { ...body, replyTo: message.id } : body);
    switch (message.type) {
      case 'hello':
        throw new AppError('invalid_request', 'Already said hello.');
      case 'thread.create': {
        this.#deps.identity.assertWorkflowAllowed(identity, message.workflow);
        const opened = await service.createThread(owner, message.workflow, this.#origin);
        this.#watch(opened.thread.id, await service.subscribe(owner, opened.thread.id, this.#events()));
        reply(opened);
        return;
      }
      case 'thread.list':
        reply(await service.listThreads(owner, message));
        return;
      case 'thread.open': {
        this.#replayBudget ??= new TokenBucket(this.#deps.options.replayRate);
        const wait = this.#replayBudget.msUntilToken();
        if (wait > 0) throw new AppError('rate_limited', 'Too many thread replays; wait a moment.', { retryAfterMs: wait });
        const { replaySliceEvents } = this.#deps.options;
        const replay = new SlicedReplay(replaySliceEvents, (event, isReplay, frame) => this.#send(event, isReplay, frame));
        // Live events may reach `replay.deliver` before this resolves; it holds them until the replay is out.
        const { opened, events, unsubscribe } = await service.openThread(owner, message, replay.deliver);
        // Re-opening replaces the old subscription (and stops its replay); the new replay covers what the client asked for.
        this.#watch(message.threadId, () => {
          replay.cancel();
          unsubscribe();
        });
        this.#replayBudget.charge(SlicedReplay.slices(events.length, replaySliceEvents));
        reply(opened);
        replay.start(events, opened.lastSeq);
        return;
      }
      case 'thread.history':
        reply(await service.history(owner, message));
        return;
      case 'thread.delete': {
        const deleted = await service.deleteThread(owner, message.threadId);
        this.#unwatch(message.threadId);
        reply(deleted);
        return;
      }
      case 'thread.delete_all': {
        const deleted = await service.deleteAllThreads(owner);
        for (const threadId of [...(this.#subscriptions?.keys() ?? [])]) this.#unwatch(threadId);
        reply(deleted);
        return;
      }
      case 'message.send':
        await this.#ensureWatching(owner, message.threadId);
        reply(await service.sendMessage(owner, message, this.#origin));
        return;
      case 'run.cancel':
        await service.cancelRun(owner, message);
        return;
      case 'tool.approval':
        await this.#ensureWatching(owner, message.threadId);
        await service.approveTool(owner, message, this.#origin);
        return;
      case 'feedback':
        reply(await service.feedback(owner, message));
        return;
      case 'run.retry':
        await this.#ensureWatching(owner, message.threadId);
        reply(await service.retryRun(owner, message, this.#origin));
        return;
      case 'ping':
        reply({ type: 'pong' });
        return;
      default:
        return assertNever(message);
    }
  }

  /** The subscriber for watched threads (one per socket, made when first needed). */
  #events(): Subscriber {
    return (this.#subscriber ??= (event, frame) => this.#send(event, false, frame));
  }

  /** What per-IP quotas count a request against. */
  get #origin(): RequestOrigin {
    return { ip: this.client.ip };
  }

  /** What the operator's log says about this socket. */
  #logFields() {
    return { connectionId: this.id, ip: this.client.ip, origin: this.client.origin, owner: this.#identity?.ownerKey };
  }

  /** `message.send` and `tool.approval` on a thread not opened yet subscribe the socket to it. */
  async #ensureWatching(owner: string, threadId: string): Promise<void> {
    if (this.#subscriptions?.has(threadId)) return;
    const unsubscribe = await this.#deps.service.subscribe(owner, threadId, this.#events());
    // A `thread.open` that finished meanwhile watches it already (its replay must not be replaced).
    if (this.#subscriptions?.has(threadId)) unsubscribe();
    else this.#watch(threadId, unsubscribe);
  }

  /** Keeps a subscription until the thread is unwatched or the socket closes (at once, if it already has). */
  #watch(threadId: string, unsubscribe: () => void): void {
    if (this.#closed) {
      unsubscribe();
      return;
    }
    this.#unwatch(threadId);
    const subscriptions = (this.#subscriptions ??= new Map());
    subscriptions.set(threadId, unsubscribe);
    if (subscriptions.size > this.#deps.options.maxSubscriptions) {
      const oldest = subscriptions.keys().next().value!;
      this.#unwatch(oldest);
    }
  }

  #unwatch(threadId: string): void {
    this.#subscriptions?.get(threadId)?.();
    this.#subscriptions?.delete(threadId);
  }

  #error(payload: ErrorPayload, replyTo?: string): void {
    this.#send(errorFrame(payload, replyTo));
  }

  /** Queues a message; `frame` is its JSON when already serialised (a thread event). */
  #send(message: Outgoing, replay = false, frame?: string): void {
    if (this.#closed) return;
    if (!this.#queue) {
      // The common case, with no queue object at all: the socket keeps up, the frame goes now.
      if (this.#ws.readyState !== this.#ws.OPEN) return;
      if (this.#ws.bufferedAmount < this.#deps.options.outbound.highWaterBytes) return this.#ws.send(frame ?? JSON.stringify(message));
      this.#queue = new OutboundQueue(new SocketTarget(this.#ws), this.#deps.options.outbound);
    }
    this.#queue.push(message, frame === undefined ? { replay } : { replay, frame });
  }

  /** Runs once, on 'close': stops timers, drops subscriptions and the queue. */
  cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#helloTimer);
    this.#held = undefined;
    for (const unsubscribe of this.#subscriptions?.values() ?? []) unsubscribe();
    this.#subscriptions = undefined;
    this.#queue?.dispose();
    this.#onClosed(this);
  }
}

function closeForHelloTimeout(connection: SocketConnection): void {
  connection.close(CloseCode.policy, 'hello timeout');
}

/** What the outbound queue writes to: the socket, while it is open (one small object, no closures). */
class SocketTarget implements OutboundTarget {
  #ws: WebSocket;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  send(data: string): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(data);
  }

  /** The client cannot keep up: it reconnects and resumes instead of growing our memory. */
  overflow(): void {
    if (this.#ws.readyState === this.#ws.OPEN || this.#ws.readyState === this.#ws.CONNECTING) this.#ws.close(CloseCode.tryAgainLater, 'client too slow');
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

