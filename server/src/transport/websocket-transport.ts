import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { MessageLimits } from '../config.ts';
import type { ConversationService } from '../conversation/conversation-service.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { Logger } from '../logger.ts';
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
  log: Logger;
  /** Take the client IP from `X-Forwarded-For` (behind your own proxy only). */
  trustProxy?: boolean;
  options?: Partial<TransportOptions>;
}

/** The WebSocket endpoint attached to an HTTP server. */
export interface WebSocketTransport {
  /** Open connections. */
  readonly size: number;
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
  let closing = false;
  const connectionDeps = { service: deps.service, identity: deps.identity, limits: deps.limits, options, log: deps.log };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) return rejectUpgrade(socket, 404, 'Not Found');
    if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const client = clientInfo(request, deps.trustProxy ?? false);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new SocketConnection(ws, client, connectionDeps, (c) => connections.delete(c));
      connections.add(connection);
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

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}
