import type { IncomingMessage } from 'node:http';

/** Where a connection comes from, as far as the server can tell. */
export interface ClientInfo {
  /** The client's IP: the socket's peer, or with `trustProxy` the last `X-Forwarded-For` hop. */
  ip: string;
  /** The `Origin` header the browser sent (undefined for non-browser clients). */
  origin: string | undefined;
}

/**
 * Reads the client's IP and origin from an HTTP request. `X-Forwarded-For` is honoured only
 * with `trustProxy`: anyone can send that header, so it counts only behind your own proxy, and
 * only its last hop, which that proxy wrote.
 */
export function clientInfo(request: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: boolean): ClientInfo {
  let ip = request.socket.remoteAddress ?? 'unknown';
  if (trustProxy) {
    // The last hop is the one our own proxy added; hops before it are whatever the client sent
    // (a proxy that appends, like nginx's $proxy_add_x_forwarded_for, keeps them).
    const forwarded = request.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded.at(-1) : forwarded;
    const last = header?.split(',').at(-1)?.trim();
    if (last) ip = last;
  }
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  const origin = request.headers.origin;
  return { ip, origin: typeof origin === 'string' && origin !== 'null' ? origin : undefined };
}
