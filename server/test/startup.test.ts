import { spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDataDir } from './helpers/temp-dir.ts';

const DEMO_SERVER = fileURLToPath(new URL('../../demo/server.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs demo/server.ts (the `npm start` entry) with `env`; `whenOutput` may act on stdout (e.g. send SIGTERM). */
function runDemoServer(env: Record<string, string>, whenOutput?: (stdout: string, stop: () => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO_SERVER], {
      env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      whenOutput?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Start-up (demo/server.ts)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const dir = () => {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  };

  it('Should print one line with the URL, model mode and data path, then stop cleanly on SIGTERM', async () => {
    const data = dir();
    let stopped = false;
    const run = await runDemoServer({ PORT: '0', DATA_DIR: data }, (out, stop) => {
      if (!stopped && out.includes('\n')) {
        stopped = true;
        stop();
      }
    });
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^agent-chat http:\/\/127\.0\.0\.1:\d+ · model: offline model/);
    expect(lines[0]).toContain(join(data, 'agent-chat.db'));
    expect(lines[0]).toContain('workflows: support, weather');
    expect(lines[0]).toContain('open mode (no SITES_FILE: any page may embed this server)');
    expect(lines.slice(1).every((l) => /shutting down/.test(l))).toBe(true);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  }, 20_000);

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
});
