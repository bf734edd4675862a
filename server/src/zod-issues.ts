import type { z } from 'zod';

/**
 * How a hand-written file's validation problems are phrased (workflow files, the sites file):
 * `agents[2].handoffs[0]` for the field, and a message a person can act on.
 */

/** `agents[2].handoffs[0]` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

/** A zod issue's message, with unions and unknown keys said plainly. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length > 0) {
    const expected = issue.errors.map((branch) => (branch[0] && 'expected' in branch[0] ? String(branch[0].expected) : undefined));
    if (expected.every(Boolean)) return `Invalid input: expected ${expected.join(' or ')}`;
  }
  return issue.message;
}
