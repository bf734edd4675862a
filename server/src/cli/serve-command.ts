import { runServerCli } from '../start-server.ts';
import { parseCommandArgs } from './command-args.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { type CodeExtensions, importCodeExtensions } from './tools-module.ts';

/** `agent-chat serve --help`. */
export const SERVE_USAGE = `Usage: agent-chat serve [--tools <module>]...

Starts the server with the configuration from the environment (PORT, DATA_DIR, DATABASE_URL,
WORKFLOWS_DIR…: see the README) and serves until SIGTERM or SIGINT, which let the replies in
flight finish (SHUTDOWN_GRACE_MS) before it exits 0.

  --tools <module>   a JavaScript module exporting the array(s) of tools and guardrails your
                     workflows name; repeatable

Exit: 0 after a clean stop, 1 when it cannot start (the reason is printed), 2 bad arguments.`;

/**
 * `agent-chat serve`: `runServerCli` with the tools and guardrails of `--tools` modules. Resolves
 * once the server listens (it then serves until a signal) or has failed to start.
 */
export async function serveCommand(args: string[], io: CommandIo): Promise<number | undefined> {
  const parsed = parseCommandArgs(args, { tools: { type: 'string', multiple: true } }, { usage: SERVE_USAGE, maxPositionals: 0 }, io);
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const code: CodeExtensions = { tools: [], guardrails: [] };
  for (const module of parsed.values.tools ?? []) {
    try {
      const found = await importCodeExtensions(module);
      code.tools.push(...found.tools);
      code.guardrails.push(...found.guardrails);
    } catch (error) {
      io.stderr(`agent-chat: cannot start: --tools ${module}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.failed;
    }
  }
  const server = await runServerCli({ ...code, env: io.env });
  // Listening: the process stays up until a signal; a failed start has set the exit code.
  return server ? undefined : ExitCode.failed;
}
