/**
 * What a command-line command reads and writes instead of `process`: the environment and the
 * two output streams. `cli.ts` passes the real ones; tests pass their own and read the text.
 */
export interface CommandIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The exit codes every command uses. */
export const ExitCode = {
  /** Done, nothing wrong. */
  ok: 0,
  /** The command ran and found or met a problem (invalid files, pending migrations, a failed backup). */
  failed: 1,
  /** The command was not run: bad flags or arguments, or it does not apply to this configuration. */
  usage: 2,
} as const;
