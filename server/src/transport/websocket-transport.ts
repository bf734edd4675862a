import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorPayload, ModelInfo } from '@agent-chat/shared';
import { type WebSocket, WebSocketServer } from 'ws';
import type { MessageLimits } from '../config.ts';
import type { ConversationService } from '../conversation/conversation-service.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import { errorFrame, toErrorPayload } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { QuotaService } from '../quota/quota-service.ts';
import type { Site, SiteRegistry } from '../sites/site-registry.ts';
import { clientInfo } from './client-info.ts';
import { DEFAULT_OUTBOUND } from './outbound-queue.ts';
import { CloseCode, type ConnectionOptions, SocketConnection } from './socket-connection.ts';

/** Everything the WebSocket endpoint can be tuned with (tests shorten the timers). */
export interface TransportOptions extends ConnectionOptions {
  /** Path of the endpoint. */
  path: string;
  /** Largest frame accepted; a bigger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** Ping interval; a socket that missed the previous pong is terminated. */
  heartbeatMs: number;
  /** How long `close()` waits for sockets to finish their closing handshake. */
  closeTimeoutMs: number;
}

export const DEFAULT_TRANSPORT: TransportOptions = {
  path: '/v1/ws',
  maxPayloadBytes: 64 * 1024,
  heartbeatMs: 30_000,
  closeTimeoutMs: 2_000,
  helloTimeoutMs: 5_000,
  rateLimit: { burst: 60, perSecond: 20 },
  outbound: DEFAULT_OUTBOUND,
  maxSubscriptions: 50,
  // A reconnect replays at most maxReplayEvents (1000 by default): 10 slices, within the burst.
  replayRate: { burst: 20, perSecond: 5 },
  replaySliceEvents: 100,
};

export interface TransportDeps {
  service: ConversationService;
  identity: IdentityService;
  limits: MessageLimits;
  /** Which model answers here, told to every client in `ready.model`. */
  model?: ModelInfo | undefined;
  log: Logger;
  /** Open sockets and hellos per IP; without one they are not limited. */
  quota?: QuotaService;
  /** Take the client IP from `X-Forwarded-For` (behind your own proxy only). */
  trustProxy?: boolean;
  /** The configured sites; without them the endpoint is open to any page. */
  sites?: SiteRegistry | undefined;
  options?: Partial<TransportOptions>;
  /** Where the open sockets are counted (none by default). */
  metrics?: Metrics;
}

/** The WebSocket endpoint attached to an HTTP server. */
export interface WebSocketTransport {
  /** Open connections. */
  readonly size: number;
  /** Refuses new sockets (503) from now on; open ones go on (a graceful stop lets their replies finish). */
  refuseNew(): void;
  /** Refuses new sockets, closes open ones with `code` (1001 by default) and stops the heartbeat. */
  close(code?: number, reason?: string): Promise<void>;
}

/**
 * Serves the protocol on `GET <path>` of `server`, on the same port as HTTP: `ws` in noServer
 * mode behind the server's 'upgrade' event. Any other upgrade path gets a 404.
 */
export function attachWebSocketTransport(server: Server, deps: TransportDeps): WebSocketTransport {
  const options: TransportOptions = { ...DEFAULT_TRANSPORT, ...deps.options };
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false });
  const connections = new Set<SocketConnection>();
  deps.metrics?.trackOpenSockets(() => connections.size);
  let closing = false;
  const connectionDeps = {
    service: deps.service,
    identity: deps.identity,
    limits: deps.limits,
    model: deps.model,
    options,
    log: deps.log,
    ...(deps.quota ? { quota: deps.quota } : {}),
  };

  // One function for every connection (not a closure each): idle sockets should cost little.
  const onClosed = (connection: SocketConnection) => {
    connections.delete(connection);
    deps.quota?.closeSocket(connection.client.ip);
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroySocket);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) return rejectUpgrade(socket, 404, 'Not Found');
    if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const client = clientInfo(request, deps.trustProxy ?? false);
    const admitted = deps.sites ? admitUpgrade(deps.sites, request, (key) => deps.identity.verifyPreviewTicket(key) !== undefined) : { ok: true as const, site: undefined };
    if (!admitted.ok) {
      // For the operator: a page on a new domain that is missing from allowedOrigins shows up here.
      deps.log.info(`upgrade refused (${admitted.status}): ${admitted.why}; origin ${(request.headers.origin ?? '(none)').slice(0, 200)}, ip ${client.ip}`);
      if (admitted.status === 403) return rejectUpgrade(socket, 403, 'Forbidden');
      // A key that names no site protects nothing, so the socket opens just long enough to say
      // why: a browser never sees the status of a failed upgrade, and the widget should stop
      // retrying and tell the page's owner, not spin.
      return wss.handleUpgrade(request, socket, head, (ws) =>
        refuseSocket(ws, { code: 'unauthorized', message: 'This chat is not set up for this site.' }, CloseCode.policy),
      );
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      try {
        deps.quota?.openSocket(client.ip);
      } catch (error) {
        // Refused after the upgrade, not with an HTTP 429: a browser's WebSocket never shows
        // the status of a failed upgrade, but it reads this error frame and the close code.
        return refuseSocket(ws, toErrorPayload(error));
      }
      connections.add(new SocketConnection(ws, client, connectionDeps, onClosed, admitted.site));
    });
  };
  server.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    get size() {
      return connections.size;
    },
    refuseNew() {
      closing = true;
    },
    async close(code = CloseCode.goingAway, reason = 'server shutting down') {
      closing = true;
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      for (const connection of connections) connection.close(code, reason);
      const deadline = Date.now() + options.closeTimeoutMs;
      while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const connection of connections) connection.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** One listener for every upgrading socket: a closure here would keep the upgrade's request state alive. */
function destroySocket(this: Duplex): void {
  this.destroy();
}

/** Sends one error frame on a socket that will not be served, then closes it with `closeCode`. */
function refuseSocket(ws: WebSocket, payload: ErrorPayload, closeCode: number = CloseCode.tryAgainLater): void {
  ws.on('error', () => ws.terminate());
  ws.send(JSON.stringify(errorFrame(payload)));
  ws.close(closeCode, payload.code);
}

/**
 * With sites configured, decides before the upgrade completes: `?key=` must name a site (else
 * 401, answered as an `unauthorized` error frame) and a browser's `Origin` must be one that site
 * allows (else HTTP 403 and no socket, which stops cross-site WebSocket hijacking). Without a key, only a page on
 * an origin some site allows gets through, and `hello.publicKey` names the site. A client with no
 * `Origin` (a backend, not a browser) is let through with a valid key in the URL. A console
 * preview ticket in `?key=` is let through from any origin: an admin key minted it, it is
 * short-lived, and the hello that follows is bound to its one workflow and a preview owner.
 */
function admitUpgrade(
  sites: SiteRegistry,
  request: IncomingMessage,
  isPreviewTicket: (key: string) => boolean,
): { ok: true; site: Site | undefined } | { ok: false; status: 401 | 403; why: string } {
  const key = new URL(request.url ?? '/', 'http://localhost').searchParams.get('key');
  // Read raw: a sandboxed frame sends `Origin: null`, which is a browser, not a backend.
  const origin = request.headers.origin;
  if (key !== null) {
    const site = sites.byPublicKey(key);
    if (!site && isPreviewTicket(key)) return { ok: true, site: undefined };
    if (!site) return { ok: false, status: 401, why: 'unknown key' };
    if (origin !== undefined && !sites.isOriginAllowed(site, origin)) return { ok: false, status: 403, why: `origin not allowed for site ${site.id}` };
    return { ok: true, site };
  }
  if (origin === undefined) return { ok: false, status: 401, why: 'no key and no origin' }; // a backend names its site in the URL
  if (!sites.isKnownOrigin(origin)) return { ok: false, status: 403, why: 'origin not allowed for any site' };
  return { ok: true, site: undefined };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}
