import type { IncomingMessage } from 'node:http';

/** Where a connection comes from, as far as the server can tell. */
export interface ClientInfo {
  /** The client's IP: the socket's peer, or with `trustProxy` the first `X-Forwarded-For` hop. */
  ip: string;
  /** The `Origin` header the browser sent (undefined for non-browser clients). */
  origin: string | undefined;
}

/**
 * Reads the client's IP and origin from an HTTP request. `X-Forwarded-For` is honoured only
 * with `trustProxy`: anyone can send that header, so it counts only behind your own proxy.
 */
export function clientInfo(request: IncomingMessage, trustProxy: boolean): ClientInfo {
  let ip = request.socket.remoteAddress ?? 'unknown';
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) ip = first;
  }
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  const origin = request.headers.origin;
  return { ip, origin: typeof origin === 'string' && origin !== 'null' ? origin : undefined };
}
