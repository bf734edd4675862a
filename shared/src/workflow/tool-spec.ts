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
 * A tool an agent names: a built-in or site tool, or one of the workflow's HTTP tools. `title`
 * and `args` give a tool provided by code (or override an HTTP tool's) its title and argument labels.
 */
export const NamedToolRef = z.object({
  kind: z.literal('tool').optional(),
  name: z.string().min(1),
  needsApproval: z.boolean().optional(),
  ...displayFields,
});
export type NamedToolRef = z.infer<typeof NamedToolRef>;

/**
 * A connector id. No underscore: the run loop names a connector's tools `<id>__<tool>`, so the
 * id must never contain the separator.
 */
export const ConnectorId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and - only (at most 32), starting with a letter or digit');

/**
 * Tools of an MCP server registered in the connectors file. `tools` picks some of the tools
 * the connector offers (default: all of them); `approval` can only add to the connector's own
 * approval policy (a workflow cannot loosen what the operator chose); `display` gives a tool
 * its card title and argument labels, by the server's tool name.
 */
export const McpToolRef = z.object({
  kind: z.literal('mcp'),
  connector: ConnectorId,
  tools: z.array(z.string().min(1)).min(1).optional(),
  approval: z.union([z.literal('always'), z.array(z.string().min(1))]).optional(),
  display: z.record(z.string(), z.object(displayFields)).optional(),
});
export type McpToolRef = z.infer<typeof McpToolRef>;

/**
 * How an agent names its tools, a union on `kind`: a name (a string, or `{ name }`, kind `tool`),
 * or the tools of an MCP connector (kind `mcp`).
 */
export const ToolRef = z.union([z.string().min(1), z.discriminatedUnion('kind', [McpToolRef, NamedToolRef])]);
export type ToolRef = z.infer<typeof ToolRef>;

/** Each kind of tool reference, by its `kind` (a name, string or object, is kind `tool`). */
export interface ToolRefOfKind {
  tool: string | NamedToolRef;
  mcp: McpToolRef;
}
export type ToolRefKind = keyof ToolRefOfKind;

/** The kind of a tool reference: `tool` for a name, else its `kind`. */
export function toolRefKind(ref: ToolRef): ToolRefKind {
  return typeof ref === 'string' || ref.kind !== 'mcp' ? 'tool' : 'mcp';
}

/** The name a named tool reference points at. */
export function toolRefName(ref: string | NamedToolRef): string {
  return typeof ref === 'string' ? ref : ref.name;
}
