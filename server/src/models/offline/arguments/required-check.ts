/**
 * The last check before the offline model calls a tool: every required argument has a value.
 * A call that would go out without one is never made.
 */
import type { ModelTool } from '../../model.ts';

/** The required fields of `parameters` that `args` leaves empty (absent, null or blank). */
export function missingRequired(parameters: Record<string, unknown>, args: Record<string, unknown>): string[] {
  const required = Array.isArray(parameters.required) ? (parameters.required as unknown[]).filter((f): f is string => typeof f === 'string') : [];
  return required.filter((field) => {
    const value = args[field];
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  });
}

function parse(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The calls whose tool is offered and gets every required argument (a handoff has none). */
export function completeCalls<T extends { name: string; arguments: string }>(calls: T[], tools: ModelTool[]): T[] {
  return calls.filter((call) => {
    const tool = tools.find((t) => t.name === call.name);
    return tool !== undefined && missingRequired(tool.parameters, parse(call.arguments)).length === 0;
  });
}
