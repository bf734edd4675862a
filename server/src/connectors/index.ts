export { ConnectorRegistry, type ConnectorRegistryOptions } from './connector-registry.ts';
export { ConnectorToolRefusedError, ConnectorUnavailableError } from './errors.ts';
export { ConnectorsLoadError, type ConnectorsFileCheck, connectorsProblems, loadConnectors, readConnectorsFile } from './load-connectors.ts';
export { type ConnectorStatus, type McpCallOptions, McpConnector, type McpConnectorOptions, type McpToolInfo } from './mcp-connector.ts';
export { MAX_IMAGES, MAX_IMAGE_BYTES, type McpCallResult, type McpImage, capText, toToolResult } from './mcp-result.ts';
