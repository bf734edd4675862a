import {
  type AdminAgentNode,
  type AdminGuardrailBadge,
  type AdminToolBadge,
  type AdminWorkflow,
  type AdminWorkflowProblem,
  type ConnectorSpec,
  type GuardrailSpec,
  type GuardrailStage,
  toolRefName,
  type Workflow,
} from '@agent-chat/shared';
import { checkWorkflow, type WorkflowRegistries } from '../workflows/check-workflow.ts';

/** What a workflow's names resolve in, for the graph: tools, guardrails and the connectors file. */
export interface GraphRegistries extends WorkflowRegistries {
  connectors?: ReadonlyMap<string, ConnectorSpec>;
}

function guardrailBadge(spec: GuardrailSpec, stage: GuardrailStage): AdminGuardrailBadge {
  return { name: spec.name ?? (spec.kind === 'custom' ? spec.ref : spec.kind), kind: spec.kind, stage };
}

/** The approval policy of the connector's tools as an agent gets them: the agent's reference can only add to the operator's. */
function mcpApproval(connector: ConnectorSpec | undefined, refApproval: 'always' | string[] | undefined): AdminToolBadge['approval'] {
  const own = connector?.approval ?? 'never';
  if (own === 'always' || refApproval === 'always') return 'always';
  const named = [...(own === 'never' ? [] : own), ...(refApproval ?? [])];
  return named.length > 0 ? [...new Set(named)] : 'never';
}

function toolBadges(workflow: Workflow, agent: Workflow['agents'][number], registries: GraphRegistries): AdminToolBadge[] {
  return agent.tools.map((ref) => {
    if (typeof ref !== 'string' && ref.kind === 'mcp') {
      return {
        name: ref.connector,
        kind: 'mcp',
        approval: mcpApproval(registries.connectors?.get(ref.connector), ref.approval),
        ...(ref.tools ? { tools: ref.tools } : {}),
      };
    }
    const name = toolRefName(ref);
    const http = workflow.tools.find((t) => t.name === name);
    const override = typeof ref === 'string' ? undefined : ref.needsApproval;
    const needs = override ?? (http ? http.needsApproval : (registries.tools.get(name)?.needsApproval ?? false));
    return { name, kind: http ? 'http' : 'function', approval: needs ? 'always' : 'never' };
  });
}

/** The agent a problem's path (`agents[2].tools[0]`) is inside, if any. */
function agentOfPath(workflow: Workflow, path: string): string | undefined {
  const m = /^agents\[(\d+)\]/.exec(path);
  return m ? workflow.agents[Number(m[1])]?.id : undefined;
}

/** The check's problems; a name no registry knows is a warning (code or a connectors file elsewhere may provide it). */
export function workflowProblems(workflow: Workflow, registries: GraphRegistries): AdminWorkflowProblem[] {
  return checkWorkflow(workflow, registries).map((p) => {
    const agent = agentOfPath(workflow, p.path);
    return { path: p.path, message: p.message, ...(agent ? { agent } : {}), severity: p.unresolved ? 'warning' : 'error' };
  });
}

/** A workflow as the console draws it: agents as nodes, handoffs as edges, tools and guardrails as badges. */
export function workflowGraph(workflow: Workflow, registries: GraphRegistries): AdminWorkflow {
  const agents: AdminAgentNode[] = workflow.agents.map((agent) => ({
    id: agent.id,
    name: agent.name,
    model: agent.model ?? workflow.model,
    entry: agent.id === workflow.entryAgent,
    tools: toolBadges(workflow, agent, registries),
    guardrails: [
      ...agent.inputGuardrails.map((g) => guardrailBadge(g, 'input')),
      ...agent.outputGuardrails.map((g) => guardrailBadge(g, 'output')),
    ],
  }));
  return {
    id: workflow.id,
    name: workflow.name,
    ...(workflow.description !== undefined ? { description: workflow.description } : {}),
    entryAgent: workflow.entryAgent,
    agents,
    handoffs: workflow.agents.flatMap((a) => a.handoffs.map((h) => ({ from: a.id, to: h.agent, description: h.description }))),
    problems: workflowProblems(workflow, registries),
    spec: workflow,
  };
}

/**
 * Whether a call of `toolName` by `agentId` waited for the visitor's approval, by the workflow's
 * policy (an MCP tool is called `<connector>__<tool>`).
 */
export function callNeedsApproval(graph: AdminWorkflow | undefined, agentId: string, toolName: string): boolean {
  const agent = graph?.agents.find((a) => a.id === agentId);
  if (!agent) return false;
  return agent.tools.some((badge) => {
    if (badge.kind !== 'mcp') return badge.name === toolName && badge.approval === 'always';
    const prefix = `${badge.name}__`;
    if (!toolName.startsWith(prefix)) return false;
    const tool = toolName.slice(prefix.length);
    return badge.approval === 'always' || (Array.isArray(badge.approval) && badge.approval.includes(tool));
  });
}
