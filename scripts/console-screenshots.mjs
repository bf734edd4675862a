#!/usr/bin/env node
// `pnpm screenshots:console`: docs/console.md's pictures of the admin console
// (docs/images/console-*.png), made in Chromium from the real demo server (offline model, a
// temporary data dir, an ADMIN_TOKEN), so they never go stale. Builds the bundles if missing,
// seeds conversations over a real WebSocket and an A/B eval run with the real `agent-chat eval`,
// signs in and shoots each view.
//
//   node scripts/console-screenshots.mjs [--out DIR]    (default docs/images)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WebSocket = createRequire(join(root, 'server/package.json'))('ws');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--font-render-hinting=none'];
const ADMIN_TOKEN = 'screenshot-admin-token-0123456789abcdef';
const PROTOCOL_VERSION = 1;
/** The CSP hash of an empty inline style. */
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** The shots: `hash` is the console route; `dark` uses the dark colour scheme. */
const SHOTS = [
  { name: 'sign-in', hash: '', signIn: false },
  { name: 'conversations', hash: '#/conversations' },
  { name: 'transcript', hash: 'refund' },
  { name: 'workflow', hash: '#/workflows/support' },
  { name: 'workflow-dark', hash: '#/workflows/support', dark: true },
  { name: 'workflow-preview', hash: '#/workflows/support', preview: 'Is the Summit 2 tent in stock?' },
  { name: 'connectors', hash: '#/connectors' },
  { name: 'trace', hash: 'refund-trace' },
  { name: 'trace-dark', hash: 'refund-trace', dark: true },
  { name: 'usage', hash: '#/usage' },
  { name: 'usage-dark', hash: '#/usage', dark: true },
  { name: 'evals', hash: '#/evals' },
  // The A/B table, then the cases the variants disagree on with a failing cell opened.
  { name: 'eval-run', hash: 'eval-run', differing: true },
  { name: 'eval-run-dark', hash: 'eval-run', dark: true, differing: true },
];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** Starts the demo with an ADMIN_TOKEN on a free loopback port. */
async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-chat-console-shots-'));
  const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '0', ADMIN_TOKEN };
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
  return { url, dataDir, stop };
}

/**
 * The demo's eval cases on its support workflow and on the variant without the inventory
 * connector, stored in the demo's database by the real command; returns the run's id.
 */
function seedEval(dataDir) {
  const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', DATABASE_URL: '', DATA_DIR: dataDir, CONNECTORS_FILE: 'demo/connectors.json', WORKFLOWS_DIR: 'demo/workflows' };
  const args = ['--conditions=agent-chat-source', '--import', 'tsx', 'server/src/cli.ts', 'eval', 'demo/evals/support.jsonl', '--tools', 'demo/tools/index.ts',
    '--variant', 'baseline=demo/workflows/support.json', '--variant', 'no-inventory=demo/evals/support-variant.json'];
  const result = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' });
  const stored = /^eval: stored as (\S+) /m.exec(result.stderr ?? '');
  if (!stored) throw new Error(`agent-chat eval stored nothing:\n${result.stderr}`);
  return stored[1];
}

/** A visitor's conversations: a refund approved after waiting, a billing question, a docs question. */
async function seed(url) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`);
  const received = [];
  let wake = () => {};
  ws.on('message', (data) => {
    received.push(JSON.parse(String(data)));
    wake();
  });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let ids = 0;
  const waitFor = async (match) => {
    for (;;) {
      const found = received.find(match);
      if (found) return found;
      await new Promise((r) => ((wake = r), setTimeout(r, 200)));
    }
  };
  const request = (message) => {
    const id = `s${++ids}`;
    ws.send(JSON.stringify({ ...message, id }));
    return waitFor((m) => m.replyTo === id);
  };
  const ask = async (text) => {
    const opened = await request({ type: 'thread.create', workflow: 'support' });
    const accepted = await request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: `m${ids}`, text });
    await waitFor((m) => m.type === 'run.finished' && m.runId === accepted.runId);
    return { threadId: opened.thread.id, runId: accepted.runId };
  };
  await request({ type: 'hello', protocol: PROTOCOL_VERSION });
  await ask('How do I reset my password?');
  await ask('I was charged twice for order 1234');
  // The product agent checks stock through the inventory connector: it connects and lists its tools.
  await ask('Is the Summit 2 tent in stock? Check stock please');
  const refund = await ask('Please refund order 1234');
  const call = received.find((m) => m.threadId === refund.threadId && m.type === 'item.added' && m.item.status === 'awaiting_approval');
  if (call) {
    ws.send(JSON.stringify({ type: 'tool.approval', threadId: refund.threadId, callId: call.item.callId, approved: true }));
    const started = await waitFor((m) => m.type === 'run.started' && m.threadId === refund.threadId && m.runId !== refund.runId);
    await waitFor((m) => m.type === 'run.finished' && m.runId === started.runId);
  }
  ws.close();
  return { refund: refund.threadId, refundRun: refund.runId };
}

/** The live preview beside a workflow: connected, and with `message` asked and answered when given. */
async function waitForPreview(tab, message) {
  const chat = tab.locator('console-workflow-preview agent-chat');
  await tab.waitForFunction(() => {
    const preview = document.querySelector('agent-console').shadowRoot.querySelector('console-workflows').shadowRoot.querySelector('console-workflow-preview');
    return preview?.shadowRoot.querySelector('agent-chat')?.viewModel?.connection === 'connected';
  }, undefined, { timeout: 15_000 });
  if (!message) return;
  await chat.locator('[part~="input"]').fill(message);
  await chat.locator('[part~="input"]').press('Enter');
  await tab.waitForFunction(() => {
    const preview = document.querySelector('agent-console').shadowRoot.querySelector('console-workflows').shadowRoot.querySelector('console-workflow-preview');
    const model = preview?.shadowRoot.querySelector('agent-chat')?.viewModel;
    return model?.lastRun !== null && model?.activeRunId === null;
  }, undefined, { timeout: 20_000 });
  await tab.waitForTimeout(300);
}

async function takeScreenshots(out) {
  if (!existsSync(join(root, 'console/dist/console.js'))) run(process.execPath, ['scripts/build.mjs']);
  mkdirSync(out, { recursive: true });
  const demo = await startDemo();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const written = [];
  try {
    const { refund, refundRun } = await seed(demo.url);
    const evalRun = seedEval(demo.dataDir);
    for (const shot of SHOTS) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, reducedMotion: 'reduce', colorScheme: shot.dark ? 'dark' : 'light', locale: 'en-US', timezoneId: 'UTC' });
      const tab = await context.newPage();
      const hash =
        shot.hash === 'refund' ? `#/conversations/${refund}`
        : shot.hash === 'refund-trace' ? `#/conversations/${refund}/runs/${refundRun}`
        : shot.hash === 'eval-run' ? `#/evals/${evalRun}`
        : shot.hash;
      // The console's own policy must let everything it needs through (the preview widget included).
      // (The widget's first render writes an empty style attribute, whose refusal, the empty
      // string's hash, loses nothing.)
      const refused = [];
      tab.on('console', (message) => {
        const text = message.text();
        if (/Content Security Policy/i.test(text) && !text.includes(EMPTY_STYLE_HASH)) refused.push(text);
      });
      await tab.goto(`${demo.url}/console${hash}`);
      if (shot.signIn !== false) {
        await tab.locator('input[name="key"]').fill(ADMIN_TOKEN);
        await tab.locator('button[type="submit"]').click();
        await tab.locator('nav[aria-label="Console"]').waitFor();
        await tab.waitForFunction(() => !document.querySelector('agent-console').shadowRoot.querySelector('main').innerText.includes('Loading'), undefined, { timeout: 10_000 }).catch(() => {});
        await tab.waitForTimeout(300);
      }
      if (shot.differing) {
        await tab.locator('input[name="differing"]').check();
        await tab.locator('td.fail summary').first().click();
        await tab.waitForTimeout(200);
      }
      if (shot.hash.startsWith('#/workflows')) await waitForPreview(tab, shot.preview);
      await tab.evaluate(() => document.fonts.ready);
      if (refused.length > 0) throw new Error(`the console's CSP refused: ${refused.join('; ')}`);
      const file = join(out, `console-${shot.name}.png`);
      await tab.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'css' });
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
