import { spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SITE_SECRETS, twoSites, writeSitesFile } from './helpers/sites.ts';
import { removeDir, tempDataDir } from './helpers/temp-dir.ts';

const DEMO_SERVER = fileURLToPath(new URL('../../demo/server.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs demo/server.ts (the `npm start` entry) with `env`; `whenOutput` may act on stdout (e.g. send SIGTERM). */
function runDemoServer(
  env: Record<string, string>,
  whenOutput?: (stdout: string, stop: () => void) => void,
  /** Runs once the process started; it may stop it (SIGTERM) whenever it likes. */
  watch?: (stop: () => void) => Promise<void>,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', DEMO_SERVER], {
      env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      whenOutput?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    void watch?.(() => child.kill('SIGTERM'));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A TCP port that was free a moment ago. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('Start-up (demo/server.ts)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const dir = () => {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  };

  it('Should log one JSON line with the URL, model mode and data path, then stop cleanly on SIGTERM', async () => {
    const data = dir();
    let stopped = false;
    const run = await runDemoServer({ PORT: '0', DATA_DIR: data }, (out, stop) => {
      if (!stopped && out.includes('\n')) {
        stopped = true;
        stop();
      }
    });
    // Standard output is not a terminal here, so the log is JSON lines.
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { level: string; time: string; msg: string });
    expect(lines[0]).toMatchObject({ level: 'info', msg: expect.stringMatching(/^agent-chat http:\/\/127\.0\.0\.1:\d+ · model: offline model/) });
    expect(new Date(lines[0]!.time).toISOString()).toBe(lines[0]!.time);
    expect(lines[0]!.msg).toContain(join(data, 'agent-chat.db'));
    expect(lines[0]!.msg).toContain('workflows: support, weather');
    expect(lines[0]!.msg).toContain('open mode (no SITES_FILE: any page may embed this server)');
    expect(lines.slice(1).every((l) => /shutting down/.test(l.msg))).toBe(true);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  }, 20_000);

  it('Should log readable lines with LOG_FORMAT=pretty, and nothing below LOG_LEVEL', async () => {
    const pretty = await runDemoServer({ PORT: '0', DATA_DIR: dir(), LOG_FORMAT: 'pretty' }, stopOnFirstLine());
    expect(pretty.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: agent-chat http:\/\/127\.0\.0\.1:\d+ · model: offline model/);
    expect(pretty.code).toBe(0);
    // Nothing is logged at warn: the server is stopped once it answers /health.
    const port = await freePort();
    const quiet = runDemoServer({ PORT: String(port), DATA_DIR: dir(), LOG_LEVEL: 'warn' }, undefined, async (stop) => {
      while (!(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 100));
      stop();
    });
    expect((await quiet).stdout).toBe('');
    expect((await quiet).code).toBe(0);
    const bad = await runDemoServer({ PORT: '0', DATA_DIR: dir(), LOG_LEVEL: 'loud' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LOG_LEVEL: must be one of error, warn, info, debug, silent');
  }, 90_000);

  it('Should stop with the loader message and exit code 1 on a bad workflow file, without a stack trace', async () => {
    const flows = dir();
    writeFileSync(
      join(flows, 'support.json'),
      JSON.stringify({ id: 'support', name: 'S', entryAgent: 'triage', agents: [{ id: 'triage', name: 'T', instructions: 'x', handoffs: [{ agent: 'biling', description: 'd' }] }] }),
    );
    const run = await runDemoServer({ PORT: '0', DATA_DIR: dir(), WORKFLOWS_DIR: flows });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('support.json: agents[0].handoffs[0]: unknown agent "biling"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  }, 20_000);

  it('Should say which port is taken, and how to pick another, when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const run = await runDemoServer({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir() });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(run.stderr).toContain('PORT=0');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('Should stop with exit code 1 naming the variable on bad configuration', async () => {
    const run = await runDemoServer({ PORT: 'eighty', DATA_DIR: dir() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT: must be an integer between 0 and 65535');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 20_000);
  /** Stops the server as soon as it printed its start-up line. */
  const stopOnFirstLine = () => {
    let stopped = false;
    return (out: string, stop: () => void) => {
      if (!stopped && out.includes('\n')) {
        stopped = true;
        stop();
      }
    };
  };

  it('Should refuse to start open in production, naming SITES_FILE and ALLOW_OPEN', async () => {
    const run = await runDemoServer({ PORT: '0', DATA_DIR: dir(), NODE_ENV: 'production', SITES_FILE: '', ALLOW_OPEN: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^agent-chat: cannot start: NODE_ENV=production without SITES_FILE .*ALLOW_OPEN=1/);
    expect(run.stdout).toBe('');
  }, 20_000);

  it('Should start open in production with ALLOW_OPEN=1, and say it runs open', async () => {
    const run = await runDemoServer({ PORT: '0', DATA_DIR: dir(), NODE_ENV: 'production', ALLOW_OPEN: '1', SITES_FILE: '' }, stopOnFirstLine());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('open mode (no SITES_FILE: any page may embed this server)');
  }, 20_000);

  it('Should list the sites on the start-up line, and which sites have no admin key', async () => {
    const data = dir();
    const { BLOG_ADMIN_KEY: _unset, ...secrets } = SITE_SECRETS;
    const run = await runDemoServer({ PORT: '0', DATA_DIR: data, NODE_ENV: 'production', SITES_FILE: writeSitesFile(data, twoSites()), BLOG_ADMIN_KEY: '', ...secrets }, stopOnFirstLine());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sites: shop, blog · admin API off for blog (BLOG_ADMIN_KEY unset)');
    expect(run.stdout).not.toContain('open mode');
  }, 20_000);

  it('Should stop naming the sites file, the site and the variable when a user-token secret is missing', async () => {
    const data = dir();
    const run = await runDemoServer({ PORT: '0', DATA_DIR: data, SITES_FILE: writeSitesFile(data, twoSites()), ...SITE_SECRETS, SHOP_USER_SECRET: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sites.json: sites[0].userTokenSecretEnv: site "shop" names SHOP_USER_SECRET, which is not set');
    expect(run.stderr).not.toContain(SITE_SECRETS.BLOG_USER_SECRET!);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 20_000);
});
