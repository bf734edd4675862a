import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** The demo as `npm start` runs it (tsx demo/server.ts), on a free port with a temporary data dir. */
export interface DemoServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts demo/server.ts in a child process and waits for its one start-up line. */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-chat-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', 'demo/server.ts'], {
    cwd: root,
    env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OFFLINE_MODEL_DELAY_MS: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /agent-chat (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`demo server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
