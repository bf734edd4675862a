/**
 * `startServer`: a created server that listens, prints one start-up line and stops cleanly on
 * SIGINT/SIGTERM; `runServerCli`, the same for a command line (a failure is one message on
 * stderr and exit code 1, never a stack trace).
 */
import { join } from 'node:path';
import { type Config, describeModelMode, loadConfig } from './config.ts';
import { type AgentChatServer, type CreateServerOptions, createServer } from './create-server.ts';
import { loggerFor } from './pino-logger.ts';
import type { LoadedSites } from './sites/load-sites.ts';
import { DATABASE_FILE } from './store/sqlite/database.ts';

/** Options for `startServer`: `createServer`'s, with the configuration read from `env` by default. */
export interface StartServerOptions extends Omit<CreateServerOptions, 'config'> {
  config?: Config;
  env?: Record<string, string | undefined>;
  /** Close gracefully on SIGINT/SIGTERM and exit (default true). */
  handleSignals?: boolean;
}

/** A server that is listening. */
export interface StartedServer extends AgentChatServer {
  readonly url: string;
  readonly port: number;
}

/**
 * Creates and starts a server, prints ONE line (URL, model mode, data path, workflows), and
 * closes gracefully on SIGINT/SIGTERM. Throws on bad configuration or a bad workflow file.
 */
export async function startServer(options: StartServerOptions = {}): Promise<StartedServer> {
  const { env, handleSignals = true, ...rest } = options;
  const config = options.config ?? loadConfig(env);
  const log = options.log ?? loggerFor(config);
  const server = await createServer({ ...rest, config, log, ...(env ? { env } : {}) });
  let address: { url: string; port: number };
  try {
    address = await server.listen();
  } catch (error) {
    await server.close();
    throw error;
  }
  if (handleSignals) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1); // a second Ctrl-C does not wait
      stopping = true;
      log.info(`agent-chat: ${signal}, shutting down`);
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('agent-chat: shutdown failed', error);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  }
  // Printed last: once it is out, a signal is handled gracefully.
  log.info(
    `agent-chat ${address.url} · model: ${describeModelMode(config)} · data: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : join(config.dataDir, DATABASE_FILE)}` +
      ` · workflows: ${[...server.workflows.keys()].join(', ')}` +
      (server.connectors.list().length > 0 ? ` · connectors: ${server.connectors.list().map((c) => c.id).join(', ')}` : '') +
      ` · ${describeSites(server.sites)}` +
      (config.retentionDays !== undefined ? ` · retention: ${config.retentionDays} days` : '') +
      (server.recoveredRuns.resumed > 0 ? ` · ${server.recoveredRuns.resumed} interrupted run(s) continued` : '') +
      (server.recoveredRuns.ended > 0 ? ` · ${server.recoveredRuns.ended} interrupted run(s) ended` : ''),
  );
  return { ...server, ...address };
}

/**
 * The command-line entry used by `agent-chat serve` and demo/server.ts: `startServer`, and on a start-up
 * failure (bad configuration, bad workflow file, port in use) the message alone on stderr and
 * exit code 1 — no stack trace.
 */
export async function runServerCli(options: StartServerOptions = {}): Promise<StartedServer | undefined> {
  try {
    return await startServer(options);
  } catch (error) {
    process.stderr.write(`agent-chat: cannot start: ${startupFailure(error)}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** What a person should read when the server cannot start. */
function startupFailure(error: unknown): string {
  const { code, address, port } = (error ?? {}) as { code?: string; address?: string; port?: number };
  if (code === 'EADDRINUSE') return `port ${port} on ${address} is already in use (another agent-chat?). Stop it, or set PORT to another port (PORT=0 picks a free one).`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${address}. Use a port above 1023, e.g. PORT=8787.`;
  return error instanceof Error ? error.message : String(error);
}

/** The sites part of the start-up line. */
function describeSites(sites: LoadedSites | undefined): string {
  if (!sites) return 'open mode (no SITES_FILE: any page may embed this server)';
  const off = sites.adminOff.map(({ siteId, env }) => `${siteId} (${env ? `${env} unset` : 'no adminKeyEnv'})`);
  return `sites: ${sites.registry.all.map((s) => s.id).join(', ')}` + (off.length > 0 ? ` · admin API off for ${off.join(', ')}` : '');
}
