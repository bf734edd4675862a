import { type ConnectorSpec, type McpToolRef, needsApproval as connectorNeedsApproval, type ToolDisplay } from '@agent-chat/shared';
import type { McpCallResult, McpToolInfo } from '../connectors/index.ts';
import type { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AgentTool, ToolSource } from './agent-tools.ts';
import { ToolError } from './errors.ts';
import { compileParameters } from './http-tool.ts';
import { type Tool, parseToolArguments, runWithTimeout, withImages } from './tool.ts';

/** What the source needs of a connector (an `McpConnector`): its spec, its tools, and calls. */
export interface McpConnectorHandle {
  readonly id: string;
  /** The operator's approval policy and call time limit, from the connectors file. */
  readonly spec: Pick<ConnectorSpec, 'approval' | 'callTimeoutMs'>;
  /** @throws a `ToolError` (the connector is down) */
  listTools(): Promise<McpToolInfo[]>;
  /** @throws a `ToolError` (down, died mid-call, timed out) */
  callTool(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<McpCallResult>;
}

export interface McpToolSourceOptions {
  /** The registered connectors, by id. */
  connectors: { get(id: string): McpConnectorHandle | undefined };
  logger: Logger;
  metrics?: Metrics | undefined;
}

const MAX_TOOL_NAME = 64;
const MAX_ERROR_TEXT = 300;

/** FNV-1a, 32 bits, as 8 hex digits: a short stable suffix for a name that had to be cut. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The name the model calls a connector's tool by: `<connector>__<tool>`, so two servers' `search`
 * tools do not collide. Characters a model API refuses become `_`; a name past 64 characters is
 * cut and ends with a hash of the whole, so it stays unique and the same on every start.
 */
export function mcpToolName(connector: string, tool: string): string {
  const name = `${connector}__${tool.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  if (name.length <= MAX_TOOL_NAME) return name;
  return `${name.slice(0, MAX_TOOL_NAME - 9)}_${shortHash(tool)}`;
}

/** Whether an agent's reference asks for approval of this tool (it can only add to the connector's policy). */
function refNeedsApproval(ref: McpToolRef, tool: string): boolean {
  if (ref.approval === undefined) return false;
  return ref.approval === 'always' || ref.approval.includes(tool);
}

/** An MCP `isError` result: its text is written for the model; kept short, it is what the tool answered. */
function toolReportedError(connector: string, tool: string, output: unknown): ToolError {
  const text = (typeof output === 'string' ? output : JSON.stringify(output ?? '')).replace(/\s+/g, ' ').trim();
  const shown = text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
  return new ToolError(shown ? `The ${tool} tool reported an error: ${shown}` : `The ${tool} tool reported an error.`, {
    detail: `connector ${connector}: ${text.slice(0, 2000)}`,
  });
}

/** The card's title for a tool that has none of its own in the workflow: the server's title, with no placeholders. */
function serverDisplay(info: McpToolInfo): ToolDisplay | undefined {
  const title = info.title?.replace(/[{}]/g, '').trim();
  return title ? { title: title.slice(0, 200) } : undefined;
}

/**
 * Tools of MCP connectors (kind `mcp`), listed from the connector each turn (the connector caches
 * the list and drops it when the server says it changed). A connector that is down gives no tools:
 * the agent runs without them, and the log and `/metrics` say so. Each call's arguments are
 * checked against the tool's JSON schema when zod can read it (the server checks them anyway).
 */
export function mcpToolSource({ connectors, logger, metrics }: McpToolSourceOptions): ToolSource<'mcp'> {
  // One validator per listed tool: the connector hands out the same objects until its list
  // changes, so a changed schema compiles anew and nothing is compiled per call.
  const validators = new WeakMap<McpToolInfo, z.ZodType | null>();
  const validatorFor = (info: McpToolInfo) => {
    let validator = validators.get(info);
    if (validator === undefined) {
      try {
        validator = compileParameters(info.inputSchema);
      } catch {
        validator = null;
      }
      validators.set(info, validator);
    }
    return validator;
  };

  const toAgentTool = (connector: McpConnectorHandle, ref: McpToolRef, info: McpToolInfo): AgentTool => {
    const name = mcpToolName(connector.id, info.name);
    const needsApproval = connectorNeedsApproval(connector.spec, info.name) || refNeedsApproval(ref, info.name);
    const own = ref.display?.[info.name];
    const display = own?.title !== undefined || own?.args !== undefined ? { ...serverDisplay(info), ...own } : serverDisplay(info);
    const tool: Tool = {
      name,
      description: info.description?.trim() || info.title || info.name,
      parameters: info.inputSchema,
      needsApproval,
      timeoutMs: connector.spec.callTimeoutMs,
      ...(display ? { display } : {}),
      async invoke(rawArgs, ctx) {
        const validator = validatorFor(info);
        const args = (validator ? parseToolArguments(name, validator, rawArgs) : (rawArgs ?? {})) as Record<string, unknown>;
        const result = await runWithTimeout(name, connector.spec.callTimeoutMs, ctx.signal, (signal) =>
          connector.callTool(info.name, args, { signal, timeoutMs: connector.spec.callTimeoutMs }),
        );
        if (result.isError) throw toolReportedError(connector.id, info.name, result.output);
        return result.images.length > 0 ? withImages(result.output, result.images) : result.output;
      },
    };
    return { tool, needsApproval, ...(display ? { display } : {}) };
  };

  return {
    async resolve(ref, workflow, agent) {
      const connector = connectors.get(ref.connector);
      const fields = { connector: ref.connector, workflowId: workflow.id, agentId: agent.id };
      if (!connector) {
        logger.warn('an agent names a connector that is not registered; its tools are left out', undefined, fields);
        return [];
      }
      let offered: McpToolInfo[];
      try {
        offered = await connector.listTools();
      } catch (error) {
        metrics?.connectorToolsMissing(ref.connector);
        logger.warn('connector unavailable: the agent runs without its tools this turn', error, fields);
        return [];
      }
      const byName = new Map(offered.map((info) => [info.name, info]));
      const wanted = ref.tools ?? offered.map((info) => info.name);
      const tools: AgentTool[] = [];
      for (const toolName of wanted) {
        const info = byName.get(toolName);
        if (info) tools.push(toAgentTool(connector, ref, info));
        else logger.warn('an agent names a tool its connector does not offer (missing or blocked)', undefined, { ...fields, tool: toolName });
      }
      return tools;
    },
  };
}
