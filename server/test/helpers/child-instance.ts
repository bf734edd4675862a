import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** A server in a process of its own (crash-child.ts), so a test can really kill it. */
export interface ChildInstance {
  wsUrl: string;
  child: ChildProcess;
  /** Settles when the process has exited. */
  exited: Promise<unknown>;
}

/** Starts one with `env` over ours; resolves once it listens, rejects if it exits first. */
export function startChildInstance(env: Record<string, string>): Promise<ChildInstance> {
  const child = spawn(process.execPath, ['--conditions=agent-chat-source', '--import', 'tsx', ENTRY], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve({ wsUrl: m[1]!, child, exited });
    });
    child.once('exit', () => reject(new Error(`the server process exited before it listened: ${out}`)));
  });
}
