import { ToolError, toolUnavailableMessage } from '../agents/errors.ts';

/**
 * A connector's MCP server cannot be reached now: it did not start, the connection dropped
 * (mid-call too), or it failed recently and the connector is waiting before the next attempt.
 * `message` is safe for the visitor and the model; `detail` (the command, the URL, the
 * server's error) is for the operator's log only.
 */
export class ConnectorUnavailableError extends ToolError {
  readonly connectorId: string;

  constructor(connectorId: string, options: { toolName?: string; detail: string; cause?: unknown }) {
    super(options.toolName ? toolUnavailableMessage(options.toolName) : `The ${connectorId} tools are unavailable right now.`, {
      detail: options.detail,
      cause: options.cause,
    });
    this.connectorId = connectorId;
  }
}

/** The tool is blocked, or not in the connector's `allow` list: it was not called. */
export class ConnectorToolRefusedError extends ToolError {
  readonly connectorId: string;

  constructor(connectorId: string, toolName: string) {
    super(`The ${toolName} tool is not available.`, { detail: `connector "${connectorId}" does not offer tool "${toolName}" (allow/block)` });
    this.connectorId = connectorId;
  }
}
