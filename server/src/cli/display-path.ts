import { isAbsolute, relative } from 'node:path';

/**
 * How a command names a file in its output: relative to the current directory when it is
 * inside it (short, and an editor or terminal opens it from there), absolute otherwise.
 */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
