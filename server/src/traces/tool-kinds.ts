import type { Workflow } from '@agent-chat/shared';

/** How a tool is carried out: code in the server, a workflow HTTP tool, or an MCP connector's tool. */
export type ToolKind = 'function' | 'http' | 'mcp';

/**
 * Tells the kind of a tool the workflow's agents name: an MCP connector's tools are called
 * `<connector>__<tool>`, the workflow's own HTTP tools by their names; the rest are built-in
 * or site tools.
 */
export function toolKindsOf(workflow: Workflow | undefined): (name: string) => ToolKind {
  const http = new Set((workflow?.tools ?? []).map((tool) => tool.name));
  const connectors = new Set<string>();
  for (const agent of workflow?.agents ?? []) {
    for (const ref of agent.tools) if (typeof ref !== 'string' && ref.kind === 'mcp') connectors.add(ref.connector);
  }
  return (name) => {
    const sep = name.indexOf('__');
    if (sep > 0 && connectors.has(name.slice(0, sep))) return 'mcp';
    return http.has(name) ? 'http' : 'function';
  };
}
