import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { ChildReply, ChildSpec, MemorySample } from './child-server-protocol.ts';

export type { ChildSpec, MemorySample } from './child-server-protocol.ts';

const ENTRY = resolve(import.meta.dirname, 'child-server-main.ts');
const ROOT = resolve(import.meta.dirname, '../..');

/** A bench server running in a child process; its memory is read over IPC. */
export interface ChildServer {
  wsUrl: string;
  /** The child's memory after a full garbage collection. */
  memory(): Promise<MemorySample>;
  /** The highest memory sampled (every 20 ms) since start or the last call, which resets it. */
  peak(): Promise<MemorySample>;
  stop(): Promise<void>;
}

/**
 * Starts `spec` in a fresh Node process (`--import tsx --expose-gc`), so each side of a memory
 * comparison starts the same way and is measured without the bench's own client sockets.
 */
export async function startChildServer(spec: ChildSpec): Promise<ChildServer> {
  const child: ChildProcess = fork(ENTRY, [JSON.stringify(spec)], {
    cwd: ROOT,
    // BENCH_CPU_PROF=<dir> writes each bench server's CPU profile there (open it in Chrome DevTools).
    execArgv: ['--conditions=agent-chat-source', '--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`bench server (${spec.kind}) exited: ${code ?? signal}`))),
  );
  exited.catch(() => {});
  const next = <T extends ChildReply['type']>(type: T): Promise<Extract<ChildReply, { type: T }>> =>
    Promise.race([
      exited,
      new Promise<Extract<ChildReply, { type: T }>>((done) => {
        const on = (message: ChildReply) => {
          if (message.type !== type) return;
          child.off('message', on);
          done(message as Extract<ChildReply, { type: T }>);
        };
        child.on('message', on);
      }),
    ]);
  const { wsUrl } = await next('listening');
  let stopped = false;
  return {
    wsUrl,
    async memory() {
      child.send({ cmd: 'memory' });
      return (await next('memory')).memory;
    },
    async peak() {
      child.send({ cmd: 'peak' });
      return (await next('peak')).memory;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const gone = new Promise<void>((done) => child.once('exit', () => done()));
      child.send({ cmd: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
