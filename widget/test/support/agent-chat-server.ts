/*
 * The REAL agent-chat server as a child process of the browser test runner (real-server-plugin.mjs
 * starts it with `node --import tsx`): the demo workflows and tools, the offline model, and the
 * configuration from the environment (PORT, HOST, DATA_DIR, OFFLINE_MODEL_DELAY_MS), exactly as
 * demo/server.ts runs it.
 *
 * Why not demo/server.ts itself: this one also exits when its stdin closes. The runner holds the
 * other end of that pipe, so when the runner dies — even by SIGKILL, when no cleanup code runs —
 * the pipe closes and the server shuts down instead of lingering as an orphan. With
 * REMOVE_DATA_DIR_WHEN_ORPHANED=1 it then also deletes its (temporary) DATA_DIR, which the
 * runner can no longer do.
 */
import './shifted-clock.ts'; // first: the clock may be set off before anything reads it
import { rmSync } from 'node:fs';
import { demoEnv, demoServerOptions } from '../../../demo/demo-options.ts';
import { runServerCli } from '../../../server/src/index.ts';

let orphaned = false;
const onOrphaned = () => {
  if (orphaned) return;
  orphaned = true;
  // startServer's SIGTERM handler closes gracefully; before it is installed, SIGTERM just ends us.
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 5000).unref();
};
process.on('exit', () => {
  const dir = process.env.DATA_DIR;
  if (orphaned && dir && process.env.REMOVE_DATA_DIR_WHEN_ORPHANED === '1') rmSync(dir, { recursive: true, force: true });
});
process.stdin.on('data', () => {});
process.stdin.on('end', onOrphaned);
process.stdin.on('close', onOrphaned);

await runServerCli({ ...demoServerOptions, env: demoEnv() });
