/**
 * The last check before the offline model calls a tool: every required argument has a value.
 * A call that would go out without one is never made.
 */

/** The required fields of `parameters` that `args` leaves empty (absent, null or blank). */
export function missingRequired(parameters: Record<string, unknown>, args: Record<string, unknown>): string[] {
  const required = Array.isArray(parameters.required) ? (parameters.required as unknown[]).filter((f): f is string => typeof f === 'string') : [];
  return required.filter((field) => {
    const value = args[field];
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  });
}
