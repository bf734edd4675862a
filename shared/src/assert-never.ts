/**
 * Compile-time exhaustiveness check for a `switch` over a discriminated union: the call only
 * type-checks when every member is handled. Reaching it at run time means a value outside the
 * union got through, and that is a bug.
 */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
