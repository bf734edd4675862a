#!/usr/bin/env node
// `pnpm screenshots`: the README's pictures of the widget (docs/images/widget-*.png), made in
// Chromium from the real demo server, so they never go stale. Builds the widget bundle if it is
// missing, starts demo/server.ts on loopback (offline model, a temporary data dir), drives
// /usr/bin/chromium (or CHROME_PATH) with playwright-core and writes one PNG per shot.
//
//   node scripts/screenshots.mjs [--out DIR]    (default docs/images)
//
// Deterministic: fixed viewports, device scale 1, reduced motion and no caret, and
// conversations the offline model answers the same way every time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--font-render-hinting=none',
  // The page is served by playwright (no address), so loopback would count as a more private network.
  '--disable-features=LocalNetworkAccessChecks'];
const QUESTION = 'I was charged twice for order 1234';

/**
 * The shots: `name` → the file widget-<name>.png. `size` is the viewport; `element` shots crop
 * to the widget (420 × 720). scripts/test/screenshots.test.ts checks the same list.
 */
const SHOTS = [
  { name: 'inline-light', size: { width: 460, height: 760 }, element: true, attrs: 'mode="inline" theme="light"', ask: true },
  { name: 'inline-dark', size: { width: 460, height: 760 }, element: true, attrs: 'mode="inline" theme="dark"', ask: true, dark: true },
  { name: 'launcher-closed', size: { width: 640, height: 400 }, attrs: 'theme="light"' },
  { name: 'launcher-open', size: { width: 640, height: 780 }, attrs: 'theme="light"', open: true, ask: true },
  { name: 'phone', size: { width: 390, height: 844 }, attrs: 'theme="light"', open: true, ask: true },
  // Arabic strings and right-to-left layout come with the widget's languages; the shot is already here.
  { name: 'arabic', size: { width: 460, height: 760 }, element: true, attrs: 'mode="inline" theme="light" lang="ar"', ask: 'تم خصم المبلغ مرتين للطلب 1234' },
];

/** The page around the widget: a plain made-up shop, so the launcher shots show it on a site. */
function page(server, shot) {
  const inline = shot.attrs.includes('inline');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Northwind Outfitters</title>
<style>
  body { margin: 0; padding: ${inline ? '20px' : '32px'}; font: 16px/1.5 system-ui, sans-serif; color: #1f2937;
         background: ${shot.dark ? '#030712' : '#f9fafb'}; }
  h1 { margin: 0 0 8px; font-size: 28px; } p { max-width: 36em; color: #4b5563; }
  .cards { display: flex; gap: 16px; flex-wrap: wrap; margin-top: 24px; }
  .card { width: 160px; height: 120px; border-radius: 12px; background: #e5e7eb; }
  agent-chat[mode='inline'] { height: 720px; width: 420px; }
</style>
<script type="module" src="${server}/widget.js"></script></head>
<body>${inline ? '' : '<h1>Northwind Outfitters</h1><p>Tents, packs and boots for every trail. Questions about an order? Ask in the chat.</p><div class="cards"><div class="card"></div><div class="card"></div><div class="card"></div></div>'}
<agent-chat workflow="support" server="${server}" ${shot.attrs}></agent-chat></body></html>`;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** Starts the demo (demo/server.ts, offline model) on a free loopback port; resolves with its URL and a stop function. */
async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-chat-shots-'));
  const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '0' };
  const child = spawn(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', 'demo/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  let output = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo server did not start:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /agent-chat (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the demo server exited (${code}):\n${output}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url, stop };
}

/** Sends `text` as the visitor and waits until the run it started is over. */
async function ask(tab, text) {
  const chat = tab.locator('agent-chat');
  await tab.waitForFunction(() => {
    const vm = document.querySelector('agent-chat').viewModel;
    return vm.connection === 'connected' && vm.thread !== null;
  }, undefined, { timeout: 30_000 });
  await chat.evaluate((el, message) => el.send(message), text);
  await tab.waitForFunction(() => {
    const vm = document.querySelector('agent-chat').viewModel;
    return vm.activeRunId === null && vm.lastRun && vm.items.some((i) => i.type === 'assistant_message' && i.status === 'done');
  }, undefined, { timeout: 30_000 });
}

/** Takes every shot into `out`; returns the files written. */
async function takeScreenshots(out) {
  if (!existsSync(join(root, 'widget/dist/widget.js'))) run(process.execPath, ['scripts/build.mjs']);
  mkdirSync(out, { recursive: true });
  const demo = await startDemo();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const written = [];
  try {
    for (const shot of SHOTS) {
      const context = await browser.newContext({ viewport: shot.size, deviceScaleFactor: 1, reducedMotion: 'reduce', colorScheme: shot.dark ? 'dark' : 'light', locale: 'en-US', timezoneId: 'UTC' });
      const tab = await context.newPage();
      // The page comes from the server's own origin, so the widget connects as on a real site.
      const address = `${demo.url}/__screenshot-${shot.name}.html`;
      await tab.route(address, (route) => route.fulfill({ contentType: 'text/html', body: page(demo.url, shot) }));
      await tab.goto(address);
      await tab.locator('agent-chat').evaluate((el) => el.updateComplete);
      if (shot.open) await tab.locator('agent-chat [part~="launcher"]').click();
      if (shot.ask) await ask(tab, shot.ask === true ? QUESTION : shot.ask);
      await tab.evaluate(() => document.querySelector('agent-chat').shadowRoot.activeElement?.blur());
      await tab.evaluate(() => document.fonts.ready);
      const file = join(out, `widget-${shot.name}.png`);
      const options = { path: file, animations: 'disabled', caret: 'hide', scale: 'css' };
      if (shot.element) await tab.locator('agent-chat').screenshot(options);
      else await tab.screenshot(options);
      written.push(file);
      await context.close();
    }
  } finally {
    await browser.close();
    await demo.stop();
  }
  return written;
}

const at = process.argv.indexOf('--out');
const files = await takeScreenshots(resolve(at > 0 ? process.argv[at + 1] : join(root, 'docs/images')));
for (const file of files) process.stdout.write(`${file}\n`);
