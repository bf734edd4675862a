import type { AgentSpec } from '@agent-chat/shared';
import type { ModelTool } from '../models/model.ts';

/** Names of the tools that hand a conversation to another agent start with this. */
export const HANDOFF_PREFIX = 'transfer_to_';

/** The tool name that hands a conversation to `agentId`. */
export function handoffToolName(agentId: string): string {
  return `${HANDOFF_PREFIX}${agentId}`;
}

/** The transfer tools offered to `agent`: one per allowed target, described by the handoff's description. */
export function handoffTools(agent: AgentSpec): ModelTool[] {
  return agent.handoffs.map((handoff) => ({
    name: handoffToolName(handoff.agent),
    description: handoff.description,
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  }));
}

/** The agent a tool call transfers to, when `toolName` is one of `agent`'s transfer tools. */
export function resolveHandoff(agent: AgentSpec, toolName: string): string | undefined {
  if (!toolName.startsWith(HANDOFF_PREFIX)) return undefined;
  const target = toolName.slice(HANDOFF_PREFIX.length);
  return agent.handoffs.some((h) => h.agent === target) ? target : undefined;
}

/** What the model is told a transfer call returned, in the live run and when history is rebuilt. */
export function handoffOutput(to: string): string {
  return JSON.stringify({ assistant: to, status: 'transferred' });
}
