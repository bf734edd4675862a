/**
 * The directory that served this module (widget.js), so `<agent-chat>` talks to the server it
 * came from unless told otherwise, also behind a proxy that mounts the server under a path:
 * `https://shop.example/chat/widget.js` gives `https://shop.example/chat/`. In the one-file
 * bundle `import.meta.url` is widget.js's own URL. Falls back to the page's origin when the
 * module URL is not http(s) (for example when the bundle is inlined into a blob: or data: URL).
 */
export function defaultServer(moduleUrl: string = import.meta.url): string {
  try {
    const url = new URL(moduleUrl);
    // './' drops the file name, query and hash; the URL is passed as a variable so the bundler
    // leaves this expression alone (it rewrites `new URL(literal, import.meta.url)` as an asset).
    if (url.protocol === 'http:' || url.protocol === 'https:') return new URL('./', url).href;
  } catch {
    // not a URL: fall through
  }
  return location.origin;
}

/**
 * The server's base URL, normalized: absolute (resolved against the page), no query or hash,
 * one trailing slash. A path is kept so a server mounted under a prefix works.
 * Throws a TypeError for anything that is not an http(s) or ws(s) URL.
 */
export function normalizeServer(server: string): string {
  const url = new URL(server, location.href);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new TypeError(`unsupported server URL: ${server}`);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/**
 * The WebSocket endpoint of a server: `/v1/ws` under its base URL, http→ws and https→wss.
 * With a site's public key it adds `?key=<publicKey>`, so the server can check the site and
 * the page's origin before the upgrade completes.
 */
export function socketUrl(server: string, publicKey?: string): string {
  const url = new URL('v1/ws', normalizeServer(server));
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (publicKey) url.searchParams.set('key', publicKey);
  return url.href;
}

/**
 * An HTTP endpoint under the server's base URL (`v1/uploads` → `https://…/v1/uploads`),
 * ws→http and wss→https, for the routes the widget calls with fetch or XMLHttpRequest.
 */
export function httpUrl(server: string, path: string): string {
  const url = new URL(path, normalizeServer(server));
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.href;
}
