import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Guardrail } from '../agents/guardrails/guardrail.ts';
import type { Tool } from '../agents/tool.ts';

/** The tools and custom guardrails a site's code adds, as found in one module's exports. */
export interface CodeExtensions {
  tools: Tool[];
  guardrails: Guardrail[];
}

function isTool(value: unknown): value is Tool {
  const v = value as Partial<Tool> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.invoke === 'function';
}

function isGuardrail(value: unknown): value is Guardrail {
  const v = value as Partial<Guardrail> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && Array.isArray(v.stages) && typeof v.execute === 'function';
}

/**
 * Imports the module at `path` (relative to `cwd`) and collects every exported array of tools
 * (such as the demo's `demoTools`) and of custom guardrails: what that code passes to
 * `createServer`. The same tool exported in two arrays counts once.
 *
 * @throws when the module cannot be imported or exports no such array.
 */
export async function importCodeExtensions(path: string, cwd: string = process.cwd()): Promise<CodeExtensions> {
  const exports = (await import(pathToFileURL(resolve(cwd, path)).href)) as Record<string, unknown>;
  const tools = new Set<Tool>();
  const guardrails = new Set<Guardrail>();
  for (const value of Object.values(exports)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    if (value.every(isTool)) for (const tool of value) tools.add(tool);
    else if (value.every(isGuardrail)) for (const guardrail of value) guardrails.add(guardrail);
  }
  if (tools.size === 0 && guardrails.size === 0) throw new Error('it exports no array of tools or guardrails');
  return { tools: [...tools], guardrails: [...guardrails] };
}
