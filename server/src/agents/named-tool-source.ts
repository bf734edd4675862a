import { toolRefName, type Workflow } from '@agent-chat/shared';
import { type AgentTool, mergeDisplay, type ToolSource } from './agent-tools.ts';
import { createHttpTool, type HttpToolOptions } from './http-tool.ts';
import type { Tool, ToolRegistry } from './tool.ts';

/**
 * Tools named by an agent (kind `tool`): the workflow file's HTTP tools first, then the
 * registry of built-in and site tools. Each workflow's HTTP tools are built once (workflows
 * live as long as the server). A name found nowhere throws: the workflow loader reports it at
 * start-up, so this is a bug if it happens.
 */
export function namedToolSource(registry: ToolRegistry, httpOptions: HttpToolOptions = {}): ToolSource<'tool'> {
  const httpCache = new WeakMap<Workflow, Map<string, Tool>>();
  const httpTools = (workflow: Workflow) => {
    let tools = httpCache.get(workflow);
    if (!tools) {
      tools = new Map(workflow.tools.map((spec) => [spec.name, createHttpTool(spec, httpOptions)]));
      httpCache.set(workflow, tools);
    }
    return tools;
  };
  return {
    resolve(ref, workflow, agent): AgentTool[] {
      const name = toolRefName(ref);
      const tool = httpTools(workflow).get(name) ?? registry.get(name);
      if (!tool) throw new Error(`Agent "${agent.id}" of workflow "${workflow.id}" names unknown tool "${name}".`);
      const override = typeof ref === 'string' ? undefined : ref.needsApproval;
      const display = mergeDisplay(tool.display, ref);
      return [{ tool, needsApproval: override ?? tool.needsApproval, ...(display ? { display } : {}) }];
    },
  };
}
