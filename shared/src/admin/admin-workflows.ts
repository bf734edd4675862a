import { z } from 'zod';
import { GuardrailStage } from '../protocol/items.ts';

/**
 * A tool on an agent, as the console draws it: where it comes from and whether a call waits for
 * the visitor's approval (`always`, `never`, or for an MCP connector the tools that do).
 */
export const AdminToolBadge = z.object({
  /** The tool's name; for MCP, the connector id. */
  name: z.string(),
  kind: z.enum(['function', 'http', 'mcp']),
  approval: z.union([z.enum(['always', 'never']), z.array(z.string())]),
  /** MCP: the connector's tools the agent picked (all when absent). */
  tools: z.array(z.string()).optional(),
});
export type AdminToolBadge = z.infer<typeof AdminToolBadge>;

export const AdminGuardrailBadge = z.object({
  name: z.string(),
  kind: z.string(),
  stage: GuardrailStage,
});
export type AdminGuardrailBadge = z.infer<typeof AdminGuardrailBadge>;

export const AdminAgentNode = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  entry: z.boolean(),
  tools: z.array(AdminToolBadge),
  guardrails: z.array(AdminGuardrailBadge),
});
export type AdminAgentNode = z.infer<typeof AdminAgentNode>;

export const AdminHandoffEdge = z.object({
  from: z.string(),
  to: z.string(),
  description: z.string(),
});
export type AdminHandoffEdge = z.infer<typeof AdminHandoffEdge>;

/** A problem the workflow check found: the field path (`agents[2].tools[0]`) and what is wrong. */
export const AdminWorkflowProblem = z.object({
  path: z.string(),
  message: z.string(),
  /** The agent the path is inside, so the console shows the problem on its node. */
  agent: z.string().optional(),
  severity: z.enum(['error', 'warning']),
});
export type AdminWorkflowProblem = z.infer<typeof AdminWorkflowProblem>;

/** One workflow as a graph: agents as nodes, handoffs as edges, tools and guardrails as badges. */
export const AdminWorkflow = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  entryAgent: z.string(),
  agents: z.array(AdminAgentNode),
  handoffs: z.array(AdminHandoffEdge),
  problems: z.array(AdminWorkflowProblem),
  /** The workflow as loaded (defaults filled in), for the read-only JSON view. */
  spec: z.unknown(),
});
export type AdminWorkflow = z.infer<typeof AdminWorkflow>;

/** `GET /v1/admin/workflows`. */
export const AdminWorkflowList = z.object({ workflows: z.array(AdminWorkflow) });
export type AdminWorkflowList = z.infer<typeof AdminWorkflowList>;

/** A tool an MCP connector offers (after its allow/block lists). */
export const AdminConnectorTool = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string(),
  needsApproval: z.boolean(),
});
export type AdminConnectorTool = z.infer<typeof AdminConnectorTool>;

/** One MCP connector's status, and its tools when it is connected. */
export const AdminConnector = z.object({
  id: z.string(),
  description: z.string().optional(),
  transport: z.enum(['stdio', 'http', 'sse']),
  state: z.enum(['idle', 'connecting', 'ready', 'down']),
  since: z.string(),
  consecutiveFailures: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  approval: z.union([z.enum(['always', 'never']), z.array(z.string())]),
  /** Null until it is connected (listing would start it). */
  tools: z.array(AdminConnectorTool).nullable(),
  /** The workflows whose agents use it. */
  usedBy: z.array(z.string()),
});
export type AdminConnector = z.infer<typeof AdminConnector>;

/** `GET /v1/admin/connectors`. */
export const AdminConnectorList = z.object({ connectors: z.array(AdminConnector) });
export type AdminConnectorList = z.infer<typeof AdminConnectorList>;
