import { z } from 'zod';
import { ConnectorId, HeaderValue } from './tool-spec.ts';

/** A variable name in the environment of a connector's child process. */
const ChildEnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/**
 * An MCP server started as a child process and spoken to over its stdin/stdout. The child gets
 * only a minimal environment (PATH, HOME…) plus `env`, where each value is a literal or is read
 * from the host's environment (`{ "env": "GITHUB_TOKEN" }`), so secrets stay out of the file.
 */
export const StdioTransportSpec = z.strictObject({
  type: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(ChildEnvName, HeaderValue).default({}),
  cwd: z.string().min(1).optional(),
});
export type StdioTransportSpec = z.infer<typeof StdioTransportSpec>;

/**
 * An MCP server reached over HTTP: Streamable HTTP, falling back to the older HTTP+SSE
 * transport when the server rejects the first POST with a 4xx and `sseFallback` is on.
 */
export const HttpTransportSpec = z.strictObject({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  headers: z.record(z.string().min(1), HeaderValue).default({}),
  sseFallback: z.boolean().default(true),
});
export type HttpTransportSpec = z.infer<typeof HttpTransportSpec>;

/** How the server reaches a connector's MCP server. */
export const ConnectorTransport = z.discriminatedUnion('type', [StdioTransportSpec, HttpTransportSpec]);
export type ConnectorTransport = z.infer<typeof ConnectorTransport>;

/**
 * One MCP server registered by the operator (`CONNECTORS_FILE`): how to reach it, which of its
 * tools agents may use (`allow`, then `block`, which wins), which need the visitor's approval,
 * and the limits of a call.
 */
export const ConnectorSpec = z.strictObject({
  id: ConnectorId,
  /** Shown to operators (validate output, status pages); never to the model. */
  description: z.string().max(500).optional(),
  transport: ConnectorTransport,
  /** Only these tools are offered (all of them when absent). */
  allow: z.array(z.string().min(1)).optional(),
  /** Never offered, even when `allow` names them. */
  block: z.array(z.string().min(1)).default([]),
  /** Which tools need the visitor's approval before each call: all, none, or those named. */
  approval: z.union([z.enum(['always', 'never'], { error: 'must be "always", "never" or a list of tool names' }), z.array(z.string().min(1))]).default('never'),
  callTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
  /** A result's text beyond this is cut, so one tool cannot flood the model's context. */
  maxOutputChars: z.number().int().positive().max(1_000_000).default(16_000),
  /** How long a tool list is reused before it is asked for again (a `list_changed` drops it sooner). */
  toolsCacheMs: z.number().int().nonnegative().max(86_400_000).default(300_000),
  /** Connect when the server starts rather than on the first use. */
  connectOnStart: z.boolean().default(false),
});
export type ConnectorSpec = z.infer<typeof ConnectorSpec>;

/** The connectors file: `{ "connectors": [ … ] }`, ids unique. */
export const ConnectorsFile = z
  .strictObject({ connectors: z.array(ConnectorSpec) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.connectors.forEach((spec, i) => {
      if (seen.has(spec.id)) ctx.addIssue({ code: 'custom', path: ['connectors', i, 'id'], message: `duplicate connector id "${spec.id}"` });
      seen.add(spec.id);
    });
  });
export type ConnectorsFile = z.infer<typeof ConnectorsFile>;

/** Whether agents may see and call `toolName` of this connector (`block` wins over `allow`). */
export function isToolOffered(spec: Pick<ConnectorSpec, 'allow' | 'block'>, toolName: string): boolean {
  if (spec.block.includes(toolName)) return false;
  return spec.allow === undefined || spec.allow.includes(toolName);
}

/** Whether a call of `toolName` waits for the visitor's approval. */
export function needsApproval(spec: Pick<ConnectorSpec, 'approval'>, toolName: string): boolean {
  if (spec.approval === 'always') return true;
  if (spec.approval === 'never') return false;
  return spec.approval.includes(toolName);
}
