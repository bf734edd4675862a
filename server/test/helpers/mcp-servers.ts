import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type ConnectorSpec, ConnectorSpec as ConnectorSpecSchema } from '@agent-chat/shared';

/** The reference MCP servers the connector tests run (root devDependencies). */
export const EVERYTHING_SERVER = fileURLToPath(new URL('../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url));
export const MEMORY_SERVER = fileURLToPath(new URL('../../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url));
/** The tests' own small server (tool paging, list_changed, sleeps, its environment). */
export const SCRIPTED_SERVER = fileURLToPath(new URL('../fixtures/mcp/scripted-server.mjs', import.meta.url));

/** A connector spec with the schema's defaults, from the fields a test cares about. */
export function connectorSpec(fields: Record<string, unknown>): ConnectorSpec {
  return ConnectorSpecSchema.parse(fields);
}

/** A stdio connector running `script` with this Node. */
export function nodeStdioSpec(id: string, script: string, fields: Record<string, unknown> = {}, args: string[] = []): ConnectorSpec {
  const { env, ...rest } = fields;
  return connectorSpec({ id, transport: { type: 'stdio', command: process.execPath, args: [script, ...args], ...(env ? { env } : {}) }, ...rest });
}

/** Whether a process with this id exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The everything server in one of its HTTP modes, as a child process. */
export interface HttpMcpServer {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the everything server with `mode` (`streamableHttp` or `sse`) on `port` (a free one by default) and
 * resolves once it says it listens (its stderr), rejecting if it exits first.
 */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse', port?: number): Promise<HttpMcpServer> {
  port ??= await freePort();
  const child = spawn(process.execPath, [EVERYTHING_SERVER, mode], { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/listening on port|running on port/i.test(err)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the everything server (${mode}) exited with ${code} before it listened: ${err}`)));
  });
  return {
    port,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
