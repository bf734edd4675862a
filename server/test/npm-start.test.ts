import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDataDir } from './helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Whether anything answers on `url`. */
const answers = (url: string) => fetch(url).then(() => true, () => false);

describe('npm start', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it.each(['SIGTERM', 'SIGINT'] as const)('Should shut the server down cleanly when %s is sent to the outermost process (npm), leaving nothing listening', async (signal) => {
    const data = tempDataDir();
    dirs.push(data);
    // The README's command itself; the workspace is already installed and built for the tests.
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, AGENT_CHAT_PREPARED: '1', PORT: '0', DATA_DIR: data, LOG_FORMAT: 'json', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /"msg":"agent-chat (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`npm start exited before listening:\n${out}`)));
    });
    expect(await answers(`${url}/health`)).toBe(true);
    npm.kill(signal);
    expect(await exited).toBe(0);
    expect(out).toContain(`agent-chat: ${signal}, shutting down`);
    // Nothing was left behind listening (the server process exited, not just npm).
    expect(await answers(`${url}/health`)).toBe(false);
  }, 60_000);
});
