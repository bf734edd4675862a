import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

/** Debian's nginx (`apt-get install nginx`), or the one NGINX_PATH names; undefined when missing. */
export const NGINX: string | undefined = [process.env.NGINX_PATH ?? '/usr/sbin/nginx'].find((p) => existsSync(p));

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One nginx of our own: its conf, pid, logs and temp files all in `dir`, nothing from /etc/nginx. */
export interface NginxInstance {
  /** The access log so far, one line per request: `<status> <method> <uri>`. */
  accessLog(): string[];
  /** Fast shutdown (SIGTERM): every connection, WebSockets too, is cut. */
  stop(): Promise<void>;
  /** Starts again with the same conf (after `stop`). */
  start(): Promise<void>;
  /** `nginx -s reload` (SIGHUP); resolves once a new worker has started. */
  reload(): Promise<void>;
}

/**
 * Runs nginx in the foreground (`daemon off`) with `siteConf` (text for the `http` block, as a
 * file in /etc/nginx/conf.d/ would be) included in a minimal main configuration. Resolves once
 * `waitPort` accepts connections; rejects with nginx's own error output if it exits first.
 */
export async function startNginx({ dir, siteConf, waitPort }: { dir: string; siteConf: string; waitPort: number }): Promise<NginxInstance> {
  if (!NGINX) throw new Error('nginx is not installed');
  for (const sub of ['logs', 'temp']) mkdirSync(join(dir, sub), { recursive: true });
  const errorLog = join(dir, 'logs/error.log');
  const accessLogFile = join(dir, 'logs/access.log');
  writeFileSync(join(dir, 'site.conf'), siteConf);
  // Debian's binary has /var/lib/nginx/* compiled in as temp paths: point them all here.
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, 'temp', t)};`).join('\n  ');
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} info;
events { worker_connections 256; }
http {
  types { text/html html; text/javascript js; }
  default_type application/octet-stream;
  log_format brief '$status $request';
  access_log ${accessLogFile} brief;
  ${temp}
  include ${join(dir, 'site.conf')};
}
`);
  let child: ChildProcess | undefined;
  const start = async () => {
    let output = '';
    const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(waitPort))) {
      const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start (exit ${proc.exitCode}):\n${output}\n${log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await start();
  return {
    accessLog: () => (existsSync(accessLogFile) ? readFileSync(accessLogFile, 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/ HTTP\/[\d.]+$/, '')) : []),
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
    start,
    async reload() {
      const workers = () => (readFileSync(errorLog, 'utf8').match(/start worker process/g) ?? []).length;
      const before = workers();
      child?.kill('SIGHUP');
      const deadline = Date.now() + 10_000;
      while (workers() === before) {
        if (Date.now() > deadline) throw new Error(`nginx did not reload:\n${readFileSync(errorLog, 'utf8')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
