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

/**
 * A union issue whose input had the type of one branch (an object where a name or an object is
 * allowed), as that branch's own issue with the full path: "agents[0].tools[1].args.amount.format:
 * Invalid option…" rather than "agents[0].tools[1]: Invalid input". Any other issue as it is.
 */
export function branchIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || !('errors' in issue)) return issue;
  const wrongType = (branch: z.core.$ZodIssue[]) => branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
  const branch = issue.errors.find((b) => b.length > 0 && !wrongType(b));
  if (!branch?.[0]) return issue;
  const inner = branchIssue(branch[0]);
  return { ...inner, path: [...issue.path, ...inner.path] };
}
