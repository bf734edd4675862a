#!/usr/bin/env node
/**
 * `agent-chat <command>`: the operator's command line (server/dist/cli.js, the package's bin).
 * The configuration comes from the environment, as documented in the README.
 */
import { SERVER_VERSION } from './app.ts';
import { runServerCli } from './start-server.ts';

interface Command {
  summary: string;
  run(args: string[]): Promise<number | undefined>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'start the server (configuration from the environment; stops cleanly on SIGTERM/SIGINT)',
    async run() {
      await runServerCli();
      return undefined; // keeps serving; startServer exits on a signal
    },
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `agent-chat ${SERVER_VERSION}`,
    '',
    'Usage: agent-chat <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'Configuration is read from the environment (PORT, DATA_DIR, DATABASE_URL, WORKFLOWS_DIR…): see the README.',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${SERVER_VERSION}\n`);
    return;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`agent-chat: unknown command "${name}"\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  const code = await command.run(args);
  if (code !== undefined) process.exitCode = code;
}

await main(process.argv.slice(2));
