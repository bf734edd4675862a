// A web-test-runner plugin that puts the REAL agent-chat server behind a reverse proxy under a
// path prefix, as operators do (`https://shop.example/chat/` → the server's `/`): HTTP requests
// and WebSocket upgrades under /chat/ are forwarded with the prefix stripped, so the page loads
// the BUILT bundle from <proxy>/chat/widget.js (the server reads widget/dist/widget.js).
// Routes on the test runner's own server:
//   GET  /__agent-chat-proxy         { url: "http://127.0.0.1:PORT/chat/", upgrades: [paths] }
//   POST /__agent-chat-proxy/close   stop listening and cut every connection: nothing listens on PORT
//   POST /__agent-chat-proxy/listen  listen again on the same PORT
// On start it rebuilds the bundle when widget/dist/widget.js is older than the widget's or
// shared's sources, so a test never runs against a stale build.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE = join(ROOT, 'widget/dist/widget.js');
const PREFIX = '/chat';

/** Newest modification time of the files under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir, { recursive: true })) latest = Math.max(latest, statSync(join(dir, String(name))).mtimeMs);
  return latest;
}

/** Runs `vite build` (the root vite.config.ts) unless the bundle is newer than its sources. */
async function ensureBundle() {
  const sources = Math.max(newest(join(ROOT, 'widget/src')), newest(join(ROOT, 'shared/src')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs, newest(join(ROOT, 'scripts/vite')));
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

/** The plugin; `target()` is the upstream server's base URL (`http://127.0.0.1:PORT`). */
export function pathPrefixProxyPlugin({ target }) {
  let server;
  let port = 0;
  const upgrades = [];
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const upstream = () => new URL(target());

  function forward(req, res) {
    if (!req.url.startsWith(`${PREFIX}/`)) return res.writeHead(404).end();
    const { hostname, port: upstreamPort } = upstream();
    const out = request({ host: hostname, port: upstreamPort, method: req.method, path: req.url.slice(PREFIX.length), headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(out);
  }

  /** Replays the upgrade request upstream on a raw socket and pipes both ways, as nginx does. */
  function forwardUpgrade(req, socket, head) {
    upgrades.push(req.url);
    if (!req.url.startsWith(`${PREFIX}/`)) return socket.destroy();
    const { hostname, port: upstreamPort } = upstream();
    const out = connect(Number(upstreamPort), hostname, () => {
      const lines = [`${req.method} ${req.url.slice(PREFIX.length)} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      out.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) out.write(head);
      out.pipe(socket);
      socket.pipe(out);
    });
    track(out);
    out.on('error', () => socket.destroy());
    socket.on('error', () => out.destroy());
    socket.on('close', () => out.destroy());
    out.on('close', () => socket.destroy());
  }

  function listen() {
    server = createServer(forward);
    server.on('connection', track);
    server.on('upgrade', forwardUpgrade);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port; // later listens reuse it, so the widget's URL stays valid
        resolve();
      });
    });
  }

  function close() {
    if (!server?.listening) return Promise.resolve();
    const closed = new Promise((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return closed;
  }

  return {
    name: 'agent-chat-path-prefix-proxy',
    async serverStart() {
      await ensureBundle();
      await listen();
    },
    async serverStop() {
      await close();
    },
    async serve(context) {
      if (context.path === '/__agent-chat-proxy' && context.method === 'GET') {
        return { body: JSON.stringify({ url: `http://127.0.0.1:${port}${PREFIX}/`, upgrades }), type: 'json' };
      }
      if (context.path === '/__agent-chat-proxy/close' && context.method === 'POST') {
        await close();
        return { body: '{}', type: 'json' };
      }
      if (context.path === '/__agent-chat-proxy/listen' && context.method === 'POST') {
        if (!server.listening) await listen();
        return { body: '{}', type: 'json' };
      }
    },
  };
}
