import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this test runs in. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What `npm run build` writes; the release tests need it (`npm test` builds first). */
const BUILT = ['shared/dist/index.js', 'widget/dist/widget.js', 'widget/dist/lib/index.js', 'console/dist/console.js', 'server/dist/cli.js', 'server/dist/index.d.ts'];

/** Throws a clear message when the release is not built. */
export function assertBuilt(): void {
  const missing = BUILT.filter((file) => !existsSync(join(REPO_ROOT, file)));
  if (missing.length > 0) throw new Error(`the release is not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
}

/** Runs pnpm (the one running these tests when there is one, else the one on PATH) in `cwd`. */
export function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  const [command, pre] = execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ['pnpm', []];
  const env = { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node.h') ? '/usr' : '') };
  const result = spawnSync(command, [...pre, ...args], { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pnpm ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** What an operator copies to a server: the paths docs/deploy.md lists (its `tar` command). */
export const RELEASE_PATHS = [
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'shared/package.json',
  'shared/dist',
  'widget/package.json',
  'widget/dist',
  'console/package.json',
  'console/dist',
  'server/package.json',
  'server/bin',
  'server/dist',
] as const;

/** Copies the release (`RELEASE_PATHS` of the built repository) to `dir`. */
export function copyRelease(dir: string): void {
  for (const path of RELEASE_PATHS) cpSync(join(REPO_ROOT, path), join(dir, path), { recursive: true });
}

/** A one-agent workflow; by default it needs no code of its own (only the built-in `current_time` tool). */
export function writeHelpdeskWorkflow(dir: string, tools: string[] = ['current_time']): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'helpdesk.json'),
    JSON.stringify({
      id: 'helpdesk',
      name: 'Help desk',
      entryAgent: 'desk',
      agents: [{ id: 'desk', name: 'Desk', instructions: 'Answer the visitor in a few sentences.', tools }],
    }),
  );
  return dir;
}

/** A server process and its output so far. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Spawns `node <args>` in `cwd` and resolves once its JSON start-up line names the URL. */
export function spawnServer(args: string[], cwd: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line in 30 s:\n${out}`)), 30_000);
    const look = () => {
      const m = /"msg":"agent-chat (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve({ child, url: m[1]!, output: () => out, exited });
    };
    child.stdout!.on('data', look);
    void exited.then(() => reject(new Error(`exited before listening:\n${out}`)));
  });
}
