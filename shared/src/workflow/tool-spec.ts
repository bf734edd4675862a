import { z } from 'zod';
import { ArgDisplay } from '../protocol/tool-display.ts';

/** A JSON-schema object describing a tool's arguments (validated before every call). */
export const JsonSchemaObject = z
  .object({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()).default({}) })
  .catchall(z.unknown());
export type JsonSchemaObject = z.infer<typeof JsonSchemaObject>;

/** A header value: a literal, or a secret read from an environment variable at call time. */
export const HeaderValue = z.union([
  z.string(),
  z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name'), prefix: z.string().default('') }),
]);
export type HeaderValue = z.infer<typeof HeaderValue>;

/**
 * What a tool call looks like to the visitor: `title`, a template whose `{name}` placeholders are
 * arguments ("Refund order {order_id} — {amount}"), and `args`, a label and format per argument.
 */
const displayFields = {
  title: z.string().min(1).max(200).optional(),
  args: z.record(z.string(), ArgDisplay).optional(),
};

/** A declarative HTTP tool, defined in the workflow file. `{param}` in `url` is filled from the arguments. */
export const HttpToolSpec = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)'),
  description: z.string().min(1),
  kind: z.literal('http'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: z.string().min(1),
  headers: z.record(z.string(), HeaderValue).default({}),
  parameters: JsonSchemaObject.default({ type: 'object', properties: {} }),
  allowedHosts: z.array(z.string().min(1)).min(1),
  timeoutMs: z.number().int().positive().max(120_000).default(10_000),
  maxResponseBytes: z.number().int().positive().max(10_000_000).default(100_000),
  needsApproval: z.boolean().default(false),
  ...displayFields,
});
export type HttpToolSpec = z.infer<typeof HttpToolSpec>;

/**
 * How an agent names a tool: by name, or by name with per-agent options. `title` and `args` give
 * a tool provided by code (or override an HTTP tool's) its title and argument labels.
 */
export const ToolRef = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), needsApproval: z.boolean().optional(), ...displayFields }),
]);
export type ToolRef = z.infer<typeof ToolRef>;

/** The name a tool reference points at. */
export function toolRefName(ref: ToolRef): string {
  return typeof ref === 'string' ? ref : ref.name;
}
