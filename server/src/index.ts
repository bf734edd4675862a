/**
 * `@agent-chat/server`: what a host program composes a server from. Exports only; the
 * composition is in create-server.ts, the command line in cli.ts.
 */
export {
  type AgentChatServer,
  type CreateServerOptions,
  createServer,
} from './create-server.ts';
export { type StartServerOptions, type StartedServer, runServerCli, startServer } from './start-server.ts';
export { type Config, type MessageLimits, ConfigError, describeModelMode, loadConfig } from './config.ts';
export { SitesLoadError } from './sites/load-sites.ts';
export { childLogger, consoleLogger, silentLogger, type LogFields, type Logger } from './logger.ts';
// The extension surface: what a site's own tools and guardrails are written with.
export { defineTool, z, type Tool, type ToolContext, type ToolDefinition } from './agents/tool.ts';
export { ToolError, WorkflowLoadError } from './agents/errors.ts';
export { UpstreamError } from './errors.ts';
export {
  defineGuardrail,
  defineInputGuardrail,
  defineOutputGuardrail,
  type Guardrail,
  type GuardrailContext,
  type GuardrailResult,
} from './agents/guardrails/guardrail.ts';
export { createRunAgent } from './agents/run-loop.ts';
export type { RunAgent, RunInput, RunContext } from './agents/run-types.ts';
export { createModelProvider } from './models/openai-provider.ts';
export type { Model, ModelEvent, ModelProvider, ModelRequest } from './models/model.ts';
export { loadWorkflows } from './workflows/load-workflows.ts';
export type { Metrics } from './observability/metrics.ts';

export { builtinTools } from './workflows/builtin-tools.ts';
export type { Storage } from './store/storage.ts';
export { createSqliteStorage } from './store/sqlite/sqlite-storage.ts';
export { createPostgresStorage, openStorage } from './store/open-storage.ts';
export { readUploadFrom } from './uploads/read-upload.ts';
export type { ReadUpload, UploadContent } from './attachments/read-upload.ts';
export { createPinoLogger, type LogFormat, type LogLevel } from './pino-logger.ts';
