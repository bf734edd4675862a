import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, assertBuilt, pnpm, spawnServer, writeHelpdeskWorkflow } from '../helpers/release.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';
import { TestClient } from '../helpers/ws-client.ts';

/** A host program written against the published API: its own tool, its own workflow directory. */
const HOST_PROGRAM = `
import { createServer, defineTool, z } from '@agent-chat/server';

const orderStatus = defineTool({
  name: 'order_status',
  description: 'Look up the status of an order by its number',
  parameters: z.object({ order: z.string() }),
  execute: ({ order }) => ({ order, status: 'shipped' }),
});

const server = await createServer({ tools: [orderStatus], workflows: './workflows' });
await server.listen().then(({ url }) => console.log(JSON.stringify({ level: 'info', msg: 'agent-chat ' + url })));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;

describe('The packages as published (pnpm pack), installed in a scratch project', () => {
  const packs = tempDataDir();
  const project = tempDataDir();

  beforeAll(() => {
    assertBuilt();
    for (const pkg of ['shared', 'widget', 'console', 'server']) pnpm(['pack', '--pack-destination', packs], join(REPO_ROOT, pkg));
    const tarball = (name: string) => `file:${join(packs, readdirSync(packs).find((f) => f.startsWith(`agent-chat-${name}-`))!)}`;
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'scratch-host',
        private: true,
        type: 'module',
        dependencies: { '@agent-chat/server': tarball('server') },
        // Until they are on the registry, the server's own dependencies on its siblings come from the tarballs too.
        pnpm: { overrides: { '@agent-chat/shared': tarball('shared'), '@agent-chat/widget': tarball('widget'), '@agent-chat/console': tarball('console') }, onlyBuiltDependencies: ['better-sqlite3'] },
      }),
    );
    writeFileSync(join(project, 'main.mjs'), HOST_PROGRAM);
    // It names the host's tool: the server refuses to start unless the tool reached it.
    writeHelpdeskWorkflow(join(project, 'workflows'), ['order_status', 'current_time']);
    pnpm(['install', '--prefer-offline'], project);
  }, 600_000);
  afterAll(() => [packs, project].forEach(removeDir));

  it('Should ship compiled JavaScript and declarations only: no TypeScript sources, no tests', () => {
    const list = (name: string) =>
      spawnSync('tar', ['-tzf', join(packs, readdirSync(packs).find((f) => f.startsWith(`agent-chat-${name}-`))!)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    const server = list('server');
    expect(server).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli.js', 'package/bin/agent-chat.js']));
    expect(list('widget')).toEqual(expect.arrayContaining(['package/dist/widget.js', 'package/dist/lib/index.js', 'package/dist/types/index.d.ts',
      'package/dist/lib/react.js', 'package/dist/types/react.d.ts', 'package/dist/lib/vue.js', 'package/dist/types/vue.d.ts']));
    // The console is its one bundle: no sources, nothing to install with it.
    expect(list('console').sort()).toEqual(['package/dist/console.js', 'package/package.json']);
    for (const file of [...server, ...list('shared'), ...list('widget')]) expect(file).not.toMatch(/\/src\/|\.test\.|(?<!\.d)\.ts$|\/testing\//);
  });

  it('Should run a host program with its own tool, and serve the widget from the installed package', async () => {
    const data = tempDataDir();
    const server = await spawnServer(['main.mjs'], project, { DATA_DIR: data, ADMIN_TOKEN: 'pack-test-admin-token-0123456789' });
    try {
      const widget = await fetch(`${server.url}/widget.js`);
      expect(widget.status).toBe(200);
      // The admin console too, from the installed @agent-chat/console.
      expect((await fetch(`${server.url}/console`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/console/console.js`)).text()).toContain('agent-console');
      const { client } = await TestClient.open(`${server.url.replace(/^http/, 'ws')}/v1/ws`);
      const opened = await client.request({ type: 'thread.create', workflow: 'helpdesk' });
      const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
      const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'q', text: 'Hello there' });
      const finished = await client.runFinished(accepted.type === 'message.accepted' ? accepted.runId : '', 20_000);
      expect(finished.status).toBe('completed');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      removeDir(data);
    }
  }, 60_000);

  it('Should give a TypeScript host the types (createServer, defineTool) from the declarations', () => {
    mkdirSync(join(project, 'typed'), { recursive: true });
    writeFileSync(
      join(project, 'typed/host.ts'),
      `import { createServer, defineTool, z, type AgentChatServer } from '@agent-chat/server';
const tool = defineTool({ name: 't', description: 'd', parameters: z.object({ n: z.number() }), execute: ({ n }) => ({ twice: n * 2 }) });
const server: Promise<AgentChatServer> = createServer({ tools: [tool] });
// @ts-expect-error: createServer takes no such option
void createServer({ nope: true });
void server;
`,
    );
    const tsc = spawnSync(
      join(REPO_ROOT, 'node_modules/.bin/tsc'),
      ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules/@types'), 'typed/host.ts'],
      { cwd: project, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('Should install the `agent-chat` command', () => {
    const version = spawnSync(join(project, 'node_modules/.bin/agent-chat'), ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe('0.1.0');
  });
});
