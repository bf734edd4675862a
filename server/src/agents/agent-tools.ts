import { type AgentSpec, type ToolDisplay, type ToolRef, toolRefName, type Workflow } from '@agent-chat/shared';
import { createHttpTool, type HttpToolOptions } from './http-tool.ts';
import type { Tool, ToolRegistry } from './tool.ts';

/** A tool as one agent gets it: the agent's tool reference may turn approval on or off. */
export interface AgentTool {
  tool: Tool;
  needsApproval: boolean;
  /** The tool's display, with the agent's reference's `title` and `args` laid over it. */
  display?: ToolDisplay;
}

/** The tool's own display with a reference's `title` and per-argument `args` taking precedence. */
export function mergeDisplay(own: ToolDisplay | undefined, ref: ToolRef): ToolDisplay | undefined {
  if (typeof ref === 'string' || (ref.title === undefined && ref.args === undefined)) return own;
  const title = ref.title ?? own?.title;
  const args = own?.args || ref.args ? { ...own?.args, ...ref.args } : undefined;
  return { ...(title !== undefined ? { title } : {}), ...(args ? { args } : {}) };
}

/** Looks up the tools of an agent in a workflow: the file's HTTP tools, then the built-in registry. */
export type ToolResolver = (workflow: Workflow, agent: AgentSpec) => Map<string, AgentTool>;

/**
 * A resolver that builds each workflow's HTTP tools once (workflows live as long as the server)
 * and throws on a tool that exists nowhere (the workflow loader reports that at start-up).
 */
export function createToolResolver(registry: ToolRegistry, httpOptions: HttpToolOptions = {}): ToolResolver {
  const httpCache = new WeakMap<Workflow, Map<string, Tool>>();
  const httpTools = (workflow: Workflow) => {
    let tools = httpCache.get(workflow);
    if (!tools) {
      tools = new Map(workflow.tools.map((spec) => [spec.name, createHttpTool(spec, httpOptions)]));
      httpCache.set(workflow, tools);
    }
    return tools;
  };
  return (workflow, agent) => {
    const result = new Map<string, AgentTool>();
    for (const ref of agent.tools) {
      const name = toolRefName(ref);
      const tool = httpTools(workflow).get(name) ?? registry.get(name);
      if (!tool) throw new Error(`Agent "${agent.id}" of workflow "${workflow.id}" names unknown tool "${name}".`);
      const override = typeof ref === 'string' ? undefined : ref.needsApproval;
      const display = mergeDisplay(tool.display, ref);
      result.set(name, { tool, needsApproval: override ?? tool.needsApproval, ...(display ? { display } : {}) });
    }
    return result;
  };
}
