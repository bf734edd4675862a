export * from './load-workflows.ts';
export * from './check-workflow.ts';
export * from './builtin-tools.ts';
export { createToolResolver, type AgentTool, type ToolResolver } from '../agents/agent-tools.ts';
