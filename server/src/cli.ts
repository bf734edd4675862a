#!/usr/bin/env node
/**
 * `agent-chat <command>`: the operator's command line (server/dist/cli.js, the package's bin).
 * The configuration comes from the environment, as documented in the README; each command's
 * `--help` lists its flags.
 */
import { SERVER_VERSION } from './app.ts';
import { type CommandIo, ExitCode, backupCommand, evalCommand, migrateCommand, serveCommand, usageCommand, validateCommand } from './cli/index.ts';

interface Command {
  summary: string;
  /** The exit code, or undefined for a command that keeps running (serve). */
  run(args: string[], io: CommandIo): Promise<number | undefined>;
}

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'start the server; SIGTERM/SIGINT let replies in flight finish, then exit 0', run: serveCommand },
  validate: { summary: 'check the workflow files and the sites file, print every problem at once', run: validateCommand },
  backup: { summary: 'copy the SQLite database to <file>, consistent while the server serves', run: backupCommand },
  eval: { summary: 'grade workflows on a JSONL file of cases (A/B with --variant); eval export: threads as cases', run: evalCommand },
  migrate: { summary: 'bring the database schema up to date (--check: only say whether it is)', run: migrateCommand },
  usage: { summary: 'tokens and cost per day, site, workflow, agent and model (or --thread <id>)', run: usageCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `agent-chat ${SERVER_VERSION}`,
    '',
    'Usage: agent-chat <command> [options]     (agent-chat <command> --help for its options)',
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
    process.exitCode = ExitCode.usage;
    return;
  }
  const io: CommandIo = { env: process.env, stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
  const code = await command.run(args, io);
  if (code !== undefined) process.exitCode = code;
}

await main(process.argv.slice(2));
