import { type AgentSpec, type ToolDisplay, type ToolRef, type ToolRefKind, type ToolRefOfKind, toolRefKind, type Workflow } from '@agent-chat/shared';
import type { Tool } from './tool.ts';

/** A tool as one agent gets it: the agent's tool reference may turn approval on or off. */
export interface AgentTool {
  tool: Tool;
  needsApproval: boolean;
  /** The tool's display, with the agent's reference's `title` and `args` laid over it. */
  display?: ToolDisplay;
}

/** The tool's own display with a reference's `title` and per-argument `args` taking precedence. */
export function mergeDisplay(own: ToolDisplay | undefined, ref: string | Pick<ToolDisplay, 'title' | 'args'>): ToolDisplay | undefined {
  if (typeof ref === 'string' || (ref.title === undefined && ref.args === undefined)) return own;
  const title = ref.title ?? own?.title;
  const args = own?.args || ref.args ? { ...own?.args, ...ref.args } : undefined;
  return { ...(title !== undefined ? { title } : {}), ...(args ? { args } : {}) };
}

/**
 * Where the tools of one kind of reference come from: the registry of named tools, a
 * workflow's HTTP tools, an MCP connector. `resolve` may reach a remote server; a source that is
 * down gives no tools (and logs why) rather than failing the run.
 */
export interface ToolSource<K extends ToolRefKind = ToolRefKind> {
  /** The tools one reference gives an agent, each under the name the model calls it by. */
  resolve(ref: ToolRefOfKind[K], workflow: Workflow, agent: AgentSpec): AgentTool[] | Promise<AgentTool[]>;
}

/** A source for each kind of tool reference: adding a kind adds one source here. */
export type ToolSources = { [K in ToolRefKind]: ToolSource<K> };

/** The tools of an agent in a workflow, by the name the model calls each, resolved for one turn. */
export type ToolResolver = (workflow: Workflow, agent: AgentSpec) => Promise<Map<string, AgentTool>>;

function resolveRef(sources: ToolSources, ref: ToolRef, workflow: Workflow, agent: AgentSpec) {
  const kind = toolRefKind(ref);
  // The kind decides the reference's shape (toolRefKind): the cast only restates that.
  return (sources[kind] as ToolSource).resolve(ref as ToolRefOfKind[typeof kind], workflow, agent);
}

/**
 * A resolver over one source per kind: each of the agent's references is resolved by its
 * kind's source, all at once (several connectors list their tools in parallel). Names are
 * unique in a valid workflow (the loader checks); should two still meet, the first one stays.
 */
export function createToolResolver(sources: ToolSources): ToolResolver {
  return async (workflow, agent) => {
    const resolved = await Promise.all(agent.tools.map((ref) => resolveRef(sources, ref, workflow, agent)));
    const result = new Map<string, AgentTool>();
    for (const tools of resolved) {
      for (const agentTool of tools) if (!result.has(agentTool.tool.name)) result.set(agentTool.tool.name, agentTool);
    }
    return result;
  };
}
