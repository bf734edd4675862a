import type { CommandIo } from '../../src/cli/command-io.ts';

/** A `CommandIo` on `env` that keeps what a command prints, for assertions. */
export function capturedIo(env: Record<string, string | undefined>): CommandIo & { out: () => string; err: () => string; lines: () => string[] } {
  let out = '';
  let err = '';
  return {
    env,
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    out: () => out,
    err: () => err,
    lines: () => out.split('\n').filter(Boolean),
  };
}
