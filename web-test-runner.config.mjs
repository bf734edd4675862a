// Browser tests for the widget: mocha + @open-wc/testing in Debian's headless Chromium.
// Run: pnpm exec wtr   (esbuild reads tsconfig.base.json directly, since it
// ignores `extends`, so Lit's legacy decorators compile; Chromium needs --no-sandbox as root.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { startProtocolPeer } from './widget/test/support/protocol-peer.mjs';
import { pathPrefixProxyPlugin } from './widget/test/support/path-prefix-proxy-plugin.mjs';
import { realServerPlugin } from './widget/test/support/real-server-plugin.mjs';
import { adminApiProxy } from './console/test/support/admin-api-proxy.mjs';
import { evalSeedPlugin } from './console/test/support/eval-seed-plugin.mjs';

// `ws` is a dependency of the server package; borrow it from there.
const { WebSocketServer } = createRequire(new URL('./server/package.json', import.meta.url))('ws');

const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Runs the scripted protocol peer for the whole test run; tests GET /__agent-chat-peer for its URL. */
function protocolPeerPlugin() {
  let peer;
  return {
    name: 'agent-chat-protocol-peer',
    async serverStart() {
      peer = await startProtocolPeer({ WebSocketServer });
    },
    async serverStop() {
      await peer?.close();
    },
    serve(context) {
      if (context.path === '/__agent-chat-peer') return { body: JSON.stringify({ url: peer.url }), type: 'json' };
    },
  };
}

/** Counts passed and failed tests into .tmp/wtr-summary.json, for the one-line summary of `npm test`. */
function summaryFileReporter() {
  const count = (suite, totals) => {
    for (const test of suite?.tests ?? []) {
      if (test.skipped) totals.skipped++;
      else if (test.passed) totals.passed++;
      else totals.failed++;
    }
    for (const child of suite?.suites ?? []) count(child, totals);
    return totals;
  };
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that failed to load has no results but counts as a failure.
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length) totals.failed++;
      }
      mkdirSync('.tmp', { recursive: true });
      writeFileSync('.tmp/wtr-summary.json', JSON.stringify(totals));
    },
  };
}

const realServer = realServerPlugin();

export default {
  files: ['widget/test/**/*.test.ts', 'console/test/**/*.test.ts'],
  // Workspace packages from their TypeScript sources (their `agent-chat-source` export), not dist/.
  nodeResolve: { exportConditions: ['agent-chat-source'] },
  testFramework: { config: { timeout: 10_000 } },
  // The console on the test page calls /v1/admin on its own origin, as it does when the server
  // serves it: forwarded to the real server.
  middleware: [adminApiProxy(realServer.serverUrl)],
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.base.json', target: 'es2022' }), protocolPeerPlugin(),
    // The REAL server (demo workflows and tools, offline model) for widget/test/real-server.test.ts,
    // and the same server behind a proxy under /chat/ for widget/test/behind-proxy.test.ts.
    realServer, pathPrefixProxyPlugin({ target: realServer.serverUrl }),
    // `agent-chat eval` storing a run in that server's database, for console/test/evals.test.ts.
    evalSeedPlugin(realServer.dataDir)],
  browsers: [playwrightLauncher({ product: 'chromium',
    launchOptions: { executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args } })],
  reporters: [defaultReporter(), summaryFileReporter()],
};
