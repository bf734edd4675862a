#!/usr/bin/env node
// The README's commands end here: `npm start` → `node scripts/run.mjs start`,
// `npm test` → `node scripts/run.mjs test`, `npm run bench` → `node scripts/run.mjs bench`.
// Only Node 20 and npm are assumed: this script
// brings pnpm (the version pinned in package.json), installs the workspace, and for tests
// makes sure Debian's chromium (and, as root, nginx for the deployment test) is there.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const command = process.argv[2] ?? 'start';
const env = { ...process.env };
// better-sqlite3 compiles from source here; node-gyp must use the local Node headers, not download them.
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';

function log(message) {
  process.stdout.write(`[agent-chat] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function versionOf(cmd) {
  try {
    return execFileSync(cmd, ['--version'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Returns [command, leadingArgs] that run the pinned pnpm. */
function findPnpm() {
  if (versionOf('pnpm') === pinned) return ['pnpm', []];
  log(`installing pnpm ${pinned} with npm…`);
  const global = spawnSync('npm', ['install', '--global', `pnpm@${pinned}`], { stdio: 'inherit', env });
  if (global.status === 0 && versionOf('pnpm') === pinned) return ['pnpm', []];
  log(`no global install possible; using npx pnpm@${pinned}`);
  return ['npx', ['--yes', `pnpm@${pinned}`]];
}

function chromiumPath() {
  return [env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
}

function ensureChromium() {
  if (chromiumPath()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && versionOf('apt-get')) {
    log('installing Debian chromium for the browser tests (apt-get install chromium)…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (chromiumPath()) return;
  }
  console.error(
    '[agent-chat] The browser tests need Chromium at /usr/bin/chromium (or set CHROME_PATH).\n' +
      '  On Debian/Ubuntu, as root:  apt-get update && apt-get install -y chromium\n' +
      '  Then run `npm test` again.',
  );
  process.exit(1);
}

const NGINX = '/usr/sbin/nginx';
const POLICY_RC = '/usr/sbin/policy-rc.d';

/**
 * The deployment test (server/test/deploy/nginx-proxy.test.ts) runs Debian's nginx and openssl.
 * As root with apt-get they are installed when missing, the binaries only: a temporary
 * policy-rc.d (Debian's switch for "no service starts during this install") keeps the package
 * from starting an nginx on port 80. Otherwise that test is reported as not run, never passed.
 */
function ensureNginx() {
  if (existsSync(NGINX) && existsSync('/usr/bin/openssl')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !versionOf('apt-get')) {
    log('nginx or openssl is not installed: the nginx deployment test will be reported as skipped (apt-get install nginx openssl).');
    return;
  }
  log('installing Debian nginx and openssl for the deployment test (apt-get install nginx openssl; no service is started)…');
  // Not run(): a failed install must not leave the policy file behind, nor stop the other tests.
  const policy = !existsSync(POLICY_RC);
  if (policy) writeFileSync(POLICY_RC, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'nginx', 'openssl']]) {
      if (spawnSync('apt-get', args, { stdio: 'inherit', env: aptEnv }).status !== 0) break;
    }
  } finally {
    if (policy) rmSync(POLICY_RC, { force: true });
  }
  if (!existsSync(NGINX)) log('nginx could not be installed: the nginx deployment test will be reported as skipped.');
}

// AGENT_CHAT_PREPARED=1: the workspace is installed and built already (the tests that run
// `npm start` itself set it, so they do not reinstall or rebuild under the other tests).
const prepared = env.AGENT_CHAT_PREPARED === '1';
const [pnpm, pre] = prepared ? ['pnpm', []] : findPnpm();
const pnpmRun = (...args) => run(pnpm, [...pre, ...args]);
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
if (!prepared) pnpmRun('install', ...frozen);

switch (command) {
  case 'start': {
    if (!prepared) pnpmRun('run', 'build');
    // The server runs in ONE process under this one (tsx as a loader, no pnpm or tsx wrapper
    // between them), and a SIGINT or SIGTERM sent to this process, or to npm above it, is
    // passed on: the server shuts down cleanly and nothing is left listening.
    const child = spawn(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', 'demo/server.ts'], { cwd: root, stdio: 'inherit', env });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
    break;
  }
  case 'test': {
    ensureChromium();
    ensureNginx();
    env.CHROME_PATH = chromiumPath();
    // The same steps as `pnpm run check`, run one by one so the counts can be summed up.
    rmSync(join(root, '.tmp/vitest.json'), { force: true });
    rmSync(join(root, '.tmp/wtr-summary.json'), { force: true });
    pnpmRun('run', 'typecheck');
    pnpmRun('run', 'build');
    pnpmRun('exec', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.tmp/vitest.json');
    pnpmRun('exec', 'wtr');
    const node = JSON.parse(readFileSync(join(root, '.tmp/vitest.json'), 'utf8'));
    const browser = JSON.parse(readFileSync(join(root, '.tmp/wtr-summary.json'), 'utf8'));
    const passed = node.numPassedTests + browser.passed;
    const failed = node.numFailedTests + browser.failed;
    const notRun = node.numPendingTests ? ` (${node.numPendingTests} not run, see "skipped" above)` : '';
    log(`node ${node.numPassedTests} passed${notRun} · browser ${browser.passed} passed`);
    console.log(`tests: ${passed} passed, ${failed} failed`);
    if (failed > 0 || passed === 0) process.exit(1);
    break;
  }
  case 'bench':
    // `pnpm bench --quick`, `pnpm bench --only relay`: the flags go to the runner.
    pnpmRun('run', 'build');
    run(process.execPath, ['--expose-gc', '--conditions=agent-chat-source', '--import', 'tsx', 'bench/run.ts', ...process.argv.slice(3)]);
    break;
  default:
    console.error(`usage: node scripts/run.mjs start|test|bench`);
    process.exit(2);
}
