import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, tempDataDir, type TestServer } from '../server/test/helpers/test-server.ts';
import { ensureWidgetBundle, ensureWidgetPackage } from '../server/test/helpers/widget-bundle.ts';
import { type CommandResult, runCommand } from './test-support/run-command.ts';
import { serveStatic, type StaticServer } from './test-support/static-server.ts';

// The React and Vue example apps as a site owner builds them: their own type checker over the
// shipped declarations of @agent-chat/widget (dist/types), `vite build`, then the built app in
// real Chromium against a real agent-chat server. Debian's chromium; the flags keep it off the network.
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Each example, and the type checker its own package pins (vue-tsc needs TypeScript's JavaScript API, so the Vue app keeps TypeScript 6). */
const EXAMPLES = [
  { name: 'react', typecheck: 'tsc' },
  { name: 'vue', typecheck: 'vue-tsc' },
] as const;

interface ExampleRun {
  typecheck: Promise<CommandResult>;
  build: Promise<CommandResult>;
  outDir: string;
}

let server: TestServer;
let browser: Browser;
const runs = new Map<string, ExampleRun>();
const hosts: StaticServer[] = [];

/** The built app's JavaScript, every file of it. */
function builtScript(outDir: string): string {
  const assets = join(outDir, 'assets');
  return readdirSync(assets).filter((name) => name.endsWith('.js')).map((name) => readFileSync(join(assets, name), 'utf8')).join('\n');
}

beforeAll(async () => {
  await ensureWidgetBundle();
  await ensureWidgetPackage();
  server = await startTestServer();
  // Both type checks and both builds at once: the slowest (vue-tsc) sets the pace.
  for (const { name, typecheck } of EXAMPLES) {
    const dir = join(HERE, name);
    const outDir = tempDataDir();
    const bin = (tool: string) => join(dir, 'node_modules/.bin', tool);
    runs.set(name, {
      outDir,
      typecheck: runCommand(bin(typecheck), ['-p', 'tsconfig.json'], dir),
      build: runCommand(bin('vite'), ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], dir, { VITE_AGENT_CHAT_SERVER: server.url }),
    });
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([...runs.values()].flatMap((run) => [run.typecheck, run.build]));
  await Promise.all(hosts.map((host) => host.close()));
  await browser?.close();
  await server?.close();
  for (const run of runs.values()) removeDir(run.outDir);
});

describe.each(EXAMPLES)('the $name example', ({ name, typecheck }) => {
  it(`type-checks with ${typecheck}, including the lines that must be type errors`, async () => {
    const result = await runs.get(name)!.typecheck;
    // A `@ts-expect-error` / `@vue-expect-error` line that is no longer an error fails the check.
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 180_000);

  it('builds with vite, the widget bundled into the app', async () => {
    const run = runs.get(name)!;
    const result = await run.build;
    expect(result.code, result.output).toBe(0);
    const script = builtScript(run.outDir);
    expect(script).toMatch(/customElements\.define\(\s*["'`]agent-chat["'`]/);
    expect(script).toContain(server.url);
  }, 120_000);

  it('runs in Chromium: <agent-chat> upgrades, connects, tells the app it is ready, and answers', async () => {
    const run = runs.get(name)!;
    expect((await run.build).code).toBe(0);
    const host = await serveStatic(run.outDir);
    hosts.push(host);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(host.url);

    // The app's own listener (typed `onagent-chat-ready` / `@agent-chat-ready`) saw the event.
    await expect.poll(() => page.locator('#chat-status').textContent(), { timeout: 20_000 }).toBe('ready');
    const chat = page.locator('agent-chat');
    const state = await chat.evaluate((element) => {
      const el = element as HTMLElement & { viewModel: { connection: string; thread: { id: string } | null } };
      return {
        upgraded: element instanceof customElements.get('agent-chat')!,
        shadowRoot: el.shadowRoot !== null,
        connection: el.viewModel.connection,
        threadId: el.viewModel.thread?.id,
        // Set as properties by the framework, reflected by the element.
        mode: el.getAttribute('mode'),
        theme: el.getAttribute('theme'),
      };
    });
    expect(state).toMatchObject({ upgraded: true, shadowRoot: true, connection: 'connected', mode: 'inline', theme: 'light' });
    expect(await page.locator('#chat-thread').textContent()).toBe(state.threadId);

    const input = page.locator('agent-chat [part~="input"]');
    await input.fill('Hello from the example app');
    await input.press('Enter');
    await expect.poll(() => page.locator('agent-chat [part~="assistant-message"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
