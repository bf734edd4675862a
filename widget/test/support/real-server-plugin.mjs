// A web-test-runner plugin that runs the REAL agent-chat server (agent-chat-server.ts: the demo
// workflows and tools on the offline model) as a child process for the whole test run, so
// widget tests can talk to it over a real WebSocket. Routes on the test runner's own server:
//   GET  /__agent-chat-server          { url, adminToken } of the running server (its ADMIN_TOKEN,
//                                      for the console tests)
//   POST /__agent-chat-server/restart  SIGTERM the server, start it again on the SAME port and
//                                      data dir, answer { url } once it listens again;
//                                      `?clockOffsetMs=-86400000` starts it with its clock that far
//                                      off (conversations "from yesterday"); a plain restart resets it
// The child gets a fresh temp DATA_DIR, removed on serverStop. It also exits by itself when the
// runner dies (its stdin is a pipe from us), so no server is left behind.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./agent-chat-server.ts', import.meta.url));
/** startServer's one start-up line (a JSON log line here): `agent-chat http://127.0.0.1:PORT · model: … · data: …`. */
const START_LINE = /agent-chat (http:\/\/[^\s"]+) /;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** The server's ADMIN_TOKEN: the console tests sign in with it. */
export const ADMIN_TOKEN = 'wtr-console-admin-token-0123456789abcdef';

/** The server's environment: ours minus anything that would reach a real model or other workflows. */
function childEnv(port, dataDir, clockOffsetMs) {
  const env = { ...process.env };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'WORKFLOWS_DIR', 'SECRET', 'MAX_MESSAGE_CHARS']) delete env[name];
  // 5 ms between offline-model tokens: slow enough that a reply visibly streams in. No shutdown
  // grace: a restart cuts the reply in flight, as when SHUTDOWN_GRACE_MS runs out (the widget's
  // harder case; a reply finishing within the grace is tested on the server and behind nginx).
  return { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '5',
    SHUTDOWN_GRACE_MS: '0', REMOVE_DATA_DIR_WHEN_ORPHANED: '1', ADMIN_TOKEN,
    ...(clockOffsetMs ? { AGENT_CHAT_TEST_CLOCK_OFFSET_MS: String(clockOffsetMs) } : {}) };
}

/**
 * Spawns the server and resolves once it printed its start-up line. `log` keeps the last
 * lines of its output, shown when it fails to start or dies unexpectedly.
 */
function startChild({ port, dataDir, log, clockOffsetMs }) {
  const child = spawn(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: childEnv(port, dataDir, clockOffsetMs),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const remember = (line) => {
    log.push(line);
    if (log.length > 40) log.shift();
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent-chat server did not start in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    lines.on('line', (line) => {
      remember(line);
      const m = START_LINE.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`agent-chat server exited during start-up (${signal ?? `code ${code}`}):\n${log.join('\n')}`));
    });
  });
  return { child, exited, started };
}

/** Stops a child: SIGTERM (graceful, no grace: runs end interrupted_by_restart), SIGKILL if it hangs. */
async function stopChild(running) {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await running.exited;
  clearTimeout(timer);
}

/** The plugin; tests find the server through GET /__agent-chat-server. */
export function realServerPlugin() {
  let dataDir;
  let running;
  let url;
  let port = 0;
  let stopping = false;
  /** Serializes start/restart/stop so two restarts never race for the port. */
  let queue = Promise.resolve();
  const log = [];
  const killNow = () => running?.child.kill('SIGKILL');

  async function start(clockOffsetMs = 0) {
    const next = startChild({ port, dataDir, log, clockOffsetMs });
    running = next;
    next.exited.then(({ code, signal }) => {
      if (running === next && !stopping && !next.stopping) {
        console.error(`[agent-chat server] exited unexpectedly (${signal ?? `code ${code}`}):\n${log.join('\n')}`);
      }
    });
    url = await next.started;
    port = Number(new URL(url).port); // restarts reuse it, so the widget's URL stays valid
  }

  const serialized = (task) => {
    const result = queue.then(task);
    queue = result.catch(() => {});
    return result;
  };

  return {
    name: 'agent-chat-real-server',
    /** The running server's base URL, for other plugins (the path-prefix proxy). */
    serverUrl: () => url,
    /** The running server's DATA_DIR, for other plugins (the console's eval runs). */
    dataDir: () => dataDir,
    async serverStart() {
      dataDir = mkdtempSync(join(tmpdir(), 'agent-chat-wtr-'));
      process.once('exit', killNow); // last resort if serverStop never runs
      await serialized(start);
    },
    async serverStop() {
      stopping = true;
      await serialized(async () => {
        if (running) await stopChild(running);
      });
      process.off('exit', killNow);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async serve(context) {
      if (context.path === '/__agent-chat-server' && context.method === 'GET') {
        return { body: JSON.stringify({ url, adminToken: ADMIN_TOKEN }), type: 'json' };
      }
      if (context.path === '/__agent-chat-server/restart' && context.method === 'POST') {
        const clockOffsetMs = Number(context.query.clockOffsetMs ?? 0);
        if (!Number.isSafeInteger(clockOffsetMs)) return { status: 400, body: 'clockOffsetMs must be a whole number' };
        await serialized(async () => {
          running.stopping = true;
          await stopChild(running);
          await start(clockOffsetMs);
        });
        return { body: JSON.stringify({ url }), type: 'json' };
      }
    },
  };
}
