import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

/**
 * The console page's own policy: its one script and the admin API from this server, no inline
 * script or style attribute, no plugin, no framing, forms post nowhere.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page: a shell for `<agent-console>`; the script path is relative, so a path prefix in front of the server works. */
const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>agent-chat console</title>
<script type="module" src="console/console.js"></script>
</head>
<body data-console-page>
<agent-console></agent-console>
</body>
</html>
`;

/** Where the console bundle is: `@agent-chat/console`'s `dist/console.js` (built by `npm run build`). */
export function defaultConsoleFile(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@agent-chat/console/package.json')), 'dist/console.js');
}

/**
 * `GET /console` (the page) and `GET /console/console.js` (its bundle). The page holds no data:
 * everything it shows it reads from `/v1/admin` with the key the operator signs in with.
 */
export function consoleRoutes(bundleFile: string): Hono {
  const route = new Hono();
  let bundle: { etag: string; body: string } | undefined;

  route.get('/console', (c) => {
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('Cache-Control', 'no-cache');
    return c.html(SHELL);
  });
  // `/console/` would resolve the script under itself.
  route.get('/console/', (c) => c.redirect('../console', 301));

  route.get('/console/console.js', async (c) => {
    try {
      const { mtimeMs, size } = await stat(bundleFile);
      const etag = `"${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}"`;
      if (bundle?.etag !== etag) bundle = { etag, body: await readFile(bundleFile, 'utf8') };
    } catch {
      bundle = undefined;
      return c.text('The console is not built yet. Run `npm run build` and reload.', 503);
    }
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', bundle.etag);
    if (c.req.header('If-None-Match') === bundle.etag) return c.body(null, 304);
    return c.body(bundle.body);
  });
  return route;
}
