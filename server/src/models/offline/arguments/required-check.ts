/** The last check before the offline model calls a tool: a call missing a required argument is never made. */
import type { ModelTool } from '../../model.ts';
import { parseJson } from '../summarize-output.ts';

/** Whether an argument is given: not absent, null or blank. */
const given = (value: unknown): boolean => value != null && !(typeof value === 'string' && value.trim() === '');

/** The calls whose tool is offered and gets every required argument (a handoff has none). */
export function completeCalls<T extends { name: string; arguments: string }>(calls: T[], tools: ModelTool[]): T[] {
  return calls.filter((call) => {
    const tool = tools.find((t) => t.name === call.name);
    // Unreadable arguments give no field.
    const args = Object(parseJson(call.arguments, {})) as Record<string, unknown>;
    const required: unknown[] = Array.isArray(tool?.parameters.required) ? tool.parameters.required : [];
    return tool !== undefined && required.every((field) => typeof field !== 'string' || given(args[field]));
  });
}
