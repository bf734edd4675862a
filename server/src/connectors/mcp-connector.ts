import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type ConnectorSpec, type HeaderValue, type JsonSchemaObject, isToolOffered } from '@agent-chat/shared';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type Tool, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { ToolAbortedError, ToolError, ToolTimeoutError, toolFailedMessage } from '../agents/errors.ts';
import type { Logger } from '../logger.ts';
import { ConnectorToolRefusedError, ConnectorUnavailableError } from './errors.ts';
import { type McpCallResult, toToolResult } from './mcp-result.ts';

/** A tool of a connector's MCP server, as offered to agents. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchemaObject;
  /** The server's hints (`readOnlyHint`, `destructiveHint`…); untrusted, for display and policy. */
  annotations?: Tool['annotations'];
}

/** How a connector is doing, for logs, metrics and `/ready`. */
export interface ConnectorStatus {
  id: string;
  /** `sse` once an `http` connector fell back to the older HTTP+SSE transport. */
  transport: 'stdio' | 'http' | 'sse';
  /** `idle`: not connected yet (or closed); `down`: the last attempt failed or the connection dropped. */
  state: 'idle' | 'connecting' | 'ready' | 'down';
  /** How many tools are offered (after allow/block), once listed. */
  tools?: number;
  /** Why it is down, for the operator (short). */
  lastError?: string;
  /** When `state` last changed (ISO 8601). */
  since: string;
  /** Connection attempts that failed in a row; reset by a successful one. */
  consecutiveFailures: number;
}

/** What a connector needs besides its spec. */
export interface McpConnectorOptions {
  /** Where the variables named in the spec (child env, headers) are read, at each connection. */
  env: Record<string, string | undefined>;
  log: Logger;
  /** How this client introduces itself to MCP servers. */
  clientInfo?: { name: string; version: string };
  /** Milliseconds since the epoch; tests move it to cross a backoff window. */
  now?: () => number;
  onStatus?: (status: ConnectorStatus) => void;
}

/** Options of one tool call. */
export interface McpCallOptions {
  /** Ends the call (and tells the server so) when the run is cancelled. */
  signal?: AbortSignal;
  /** Overrides the spec's `callTimeoutMs`. */
  timeoutMs?: number;
}

/** How long the MCP handshake (`initialize`) may take. */
const CONNECT_TIMEOUT_MS = 30_000;
/** Backoff after consecutive failed attempts: 1 s, 2 s, 4 s… at most 60 s. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** A server sending more pages than this is broken; the tools listed so far are kept. */
const MAX_TOOL_PAGES = 100;
/** Stderr lines logged per minute, and the longest line kept. */
const STDERR_LINES_PER_MINUTE = 100;
const STDERR_LINE_CHARS = 1_000;
/** The longest `lastError` kept in the status. */
const LAST_ERROR_CHARS = 300;

const DEFAULT_CLIENT_INFO = { name: 'agent-chat', version: '0.1.0' };

/** The first line of an error's message, short enough for a status. */
function shortError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n', 1)[0] ?? '';
  // An HTTP refusal's message is mostly the response body: lead with the status.
  const line = (error instanceof StreamableHTTPError || error instanceof SseError) && error.code ? `HTTP ${error.code}: ${first}` : first;
  return line.length > LAST_ERROR_CHARS ? `${line.slice(0, LAST_ERROR_CHARS)}…` : line;
}

/** A secret or literal from the spec, or the name of the variable that is unset. */
function resolveValue(value: HeaderValue, env: Record<string, string | undefined>): { value: string } | { missing: string } {
  if (typeof value === 'string') return { value };
  const found = env[value.env];
  return found ? { value: value.prefix + found } : { missing: value.env };
}

function resolveAll(values: Record<string, HeaderValue>, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, spec] of Object.entries(values)) {
    const resolved = resolveValue(spec, env);
    if ('missing' in resolved) throw new Error(`environment variable ${resolved.missing} (for ${key}) is not set`);
    out[key] = resolved.value;
  }
  return out;
}

/** A Streamable HTTP refusal that means "this endpoint speaks the older HTTP+SSE transport". */
function wantsSseFallback(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && error.code >= 400 && error.code < 500 && ![401, 403, 429].includes(error.code);
}

/** A tool's input schema as a JSON-schema object (`properties` present). */
function objectSchema(schema: Tool['inputSchema']): JsonSchemaObject {
  return { ...schema, type: 'object', properties: schema.properties ?? {} };
}

/** Waits for `promise`, or rejects as soon as `signal` aborts (the promise keeps running). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** One open connection: the client, its transport, and how it was reached. */
interface Connection {
  client: Client;
  transport: Transport;
  kind: ConnectorStatus['transport'];
}

/**
 * One MCP server, reached as its spec says. It connects on first use (or at start-up through
 * `connect()`), and concurrent first uses share one attempt. When the connection drops or an
 * attempt fails, the next use tries again at once; attempts failing in a row back off (1 s,
 * 2 s, 4 s… 60 s), and meanwhile uses fail fast with `ConnectorUnavailableError`.
 *
 * Tools are listed page by page, filtered by allow/block and kept for `toolsCacheMs`; the list
 * is dropped when the server says it changed (`notifications/tools/list_changed`) and on every
 * reconnect. A stdio server's stderr goes to the operator's log, never to a visitor.
 */
export class McpConnector {
  readonly spec: ConnectorSpec;
  private readonly env: Record<string, string | undefined>;
  private readonly log: Logger;
  private readonly clientInfo: { name: string; version: string };
  private readonly now: () => number;
  private readonly onStatus: ((status: ConnectorStatus) => void) | undefined;

  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private closing: Promise<void> | undefined;
  private state: ConnectorStatus['state'] = 'idle';
  private since: number;
  private lastError: string | undefined;
  private consecutiveFailures = 0;
  private retryAt = 0;
  /** Set once an http connector fell back to SSE: later reconnects go straight there. */
  private useSse = false;

  private tools: { list: McpToolInfo[]; at: number } | undefined;
  private listing: Promise<McpToolInfo[]> | undefined;
  /** Bumped when the server's tool list changes, so a listing that raced the change is not cached. */
  private toolsVersion = 0;
  /** How many tools the last listing offered, for the status (kept while the list is re-read). */
  private toolCount: number | undefined;

  private stderrWindow = { start: 0, lines: 0, dropped: 0 };

  constructor(spec: ConnectorSpec, options: McpConnectorOptions) {
    this.spec = spec;
    this.env = options.env;
    this.log = options.log;
    this.clientInfo = options.clientInfo ?? DEFAULT_CLIENT_INFO;
    this.now = options.now ?? Date.now;
    this.onStatus = options.onStatus;
    this.since = this.now();
  }

  /** The connector's id (`spec.id`). */
  get id(): string {
    return this.spec.id;
  }

  /** The stdio child's process id while connected (for the operator and tests). */
  get pid(): number | undefined {
    const transport = this.connection?.transport;
    return transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
  }

  /** How the connector is doing now. */
  status(): ConnectorStatus {
    return {
      id: this.spec.id,
      transport: this.spec.transport.type === 'stdio' ? 'stdio' : this.useSse ? 'sse' : 'http',
      state: this.state,
      ...(this.toolCount !== undefined ? { tools: this.toolCount } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      since: new Date(this.since).toISOString(),
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  /**
   * Connects now (at start-up) instead of on first use.
   *
   * @throws ConnectorUnavailableError when the server cannot be reached.
   */
  async connect(): Promise<void> {
    await this.ready();
  }

  /**
   * The tools agents may use: every page of `tools/list`, without blocked or not-allowed ones,
   * cached for `toolsCacheMs`.
   *
   * @throws ConnectorUnavailableError when the server cannot be reached (fast while backing off).
   */
  async listTools(): Promise<McpToolInfo[]> {
    const connection = await this.ready();
    if (this.tools && this.now() - this.tools.at < this.spec.toolsCacheMs) return this.tools.list;
    this.listing ??= this.fetchTools(connection).finally(() => (this.listing = undefined));
    return this.listing;
  }

  /**
   * Calls `name` with `args`. A call longer than `timeoutMs` (default the spec's
   * `callTimeoutMs`) or whose `signal` aborts is cancelled on the server too. A result the tool
   * marks `isError` is returned (its text is for the model), not thrown.
   *
   * @throws ConnectorToolRefusedError when allow/block do not offer the tool (nothing is sent).
   * @throws ConnectorUnavailableError when the server cannot be reached or dies during the call.
   * @throws ToolTimeoutError, ToolAbortedError, or a ToolError when the server answers with an error.
   */
  async callTool(name: string, args: Record<string, unknown>, options: McpCallOptions = {}): Promise<McpCallResult> {
    if (!isToolOffered(this.spec, name)) throw new ConnectorToolRefusedError(this.spec.id, name);
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.spec.callTimeoutMs;
    const connection = await untilAborted(this.ready(name), signal, () => new ToolAbortedError(name));
    try {
      const result = await connection.client.callTool({ name, arguments: args }, undefined, { signal, timeout: timeoutMs });
      return toToolResult(result as Parameters<typeof toToolResult>[0], this.spec.maxOutputChars);
    } catch (error) {
      throw this.callError(error, connection, name, timeoutMs, signal);
    }
  }

  /**
   * Closes the connection; a stdio server's process is ended (stdin closed, then SIGTERM, then
   * SIGKILL). Later uses fail. Calling it again waits for the same close.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    this.tools = undefined;
    if (connection) await this.dispose(connection, true);
    this.setState('idle');
  }

  /** The open connection, or one attempt to open it shared by every caller. */
  private ready(toolName?: string): Promise<Connection> {
    if (this.closing) return Promise.reject(new ConnectorUnavailableError(this.spec.id, { toolName, detail: 'the connector was closed' }));
    if (this.connection) return Promise.resolve(this.connection);
    if (this.connecting) return this.connecting.catch((error: unknown) => Promise.reject(this.forTool(error, toolName)));
    const wait = this.retryAt - this.now();
    if (this.consecutiveFailures > 0 && wait > 0) {
      return Promise.reject(
        new ConnectorUnavailableError(this.spec.id, {
          toolName,
          detail: `connector "${this.spec.id}" is down (${this.lastError ?? 'unknown error'}); next attempt in ${Math.ceil(wait / 1000)} s`,
        }),
      );
    }
    this.connecting = this.open().finally(() => (this.connecting = undefined));
    return this.connecting.catch((error: unknown) => Promise.reject(this.forTool(error, toolName)));
  }

  /** The shared attempt's error, worded for the tool the caller was about to use. */
  private forTool(error: unknown, toolName: string | undefined): unknown {
    if (!(error instanceof ConnectorUnavailableError) || !toolName) return error;
    return new ConnectorUnavailableError(this.spec.id, { toolName, detail: error.detail ?? '', cause: error.cause });
  }

  private async open(): Promise<Connection> {
    this.setState('connecting');
    try {
      const connection = await this.openTransport();
      this.connection = connection;
      this.tools = undefined;
      this.consecutiveFailures = 0;
      this.lastError = undefined;
      this.log.info('connector connected', { connector: this.spec.id, transport: connection.kind, pid: this.pid });
      this.setState('ready');
      return connection;
    } catch (error) {
      this.consecutiveFailures++;
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.consecutiveFailures - 1));
      this.retryAt = this.now() + delay;
      this.lastError = shortError(error);
      this.log.warn('connector could not connect', error, {
        connector: this.spec.id,
        failures: this.consecutiveFailures,
        retryInMs: delay,
      });
      this.setState('down');
      throw new ConnectorUnavailableError(this.spec.id, { detail: `connector "${this.spec.id}" could not connect: ${this.lastError}`, cause: error });
    }
  }

  private async openTransport(): Promise<Connection> {
    const transport = this.spec.transport;
    if (transport.type === 'stdio') {
      const stdio = new StdioClientTransport({
        command: transport.command,
        args: transport.args,
        // Only the SDK's short list of safe variables (PATH, HOME…) plus what the spec names:
        // the server's own secrets never leak into a third-party process.
        env: { ...getDefaultEnvironment(), ...resolveAll(transport.env, this.env) },
        cwd: transport.cwd,
        stderr: 'pipe',
      });
      this.pipeStderr(stdio.stderr as Readable | null);
      return this.handshake(stdio, 'stdio');
    }
    const url = new URL(transport.url);
    const requestInit: RequestInit = { headers: resolveAll(transport.headers, this.env) };
    if (!this.useSse) {
      try {
        return await this.handshake(new StreamableHTTPClientTransport(url, { requestInit }), 'http');
      } catch (error) {
        if (!transport.sseFallback || !wantsSseFallback(error)) throw error;
        this.log.info('connector falls back to HTTP+SSE', { connector: this.spec.id, status: (error as StreamableHTTPError).code });
      }
    }
    const connection = await this.handshake(new SSEClientTransport(url, { requestInit }), 'sse');
    this.useSse = true;
    return connection;
  }

  /** Starts `transport` and runs the MCP handshake over a fresh client. */
  private async handshake(transport: Transport, kind: Connection['kind']): Promise<Connection> {
    const client = new Client(this.clientInfo, { capabilities: {} });
    const connection: Connection = { client, transport, kind };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (this.connection !== connection) return;
      this.toolsVersion++;
      this.tools = undefined;
    });
    client.onclose = () => this.lost(connection, 'the connection closed');
    client.onerror = (error) => this.log.warn('connector transport error', error, { connector: this.spec.id });
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
    } catch (error) {
      await this.dispose(connection, false);
      throw error;
    }
    return connection;
  }

  /** Marks `connection` gone (if it is still the current one): the next use reconnects at once. */
  private lost(connection: Connection, why: string, error?: unknown): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.tools = undefined;
    this.lastError = why;
    this.log.warn('connector connection lost', error, { connector: this.spec.id, why });
    this.setState('down');
    void this.dispose(connection, false);
  }

  /** Closes a connection's client and transport (ending a stdio child); never throws. */
  private async dispose(connection: Connection, endSession: boolean): Promise<void> {
    connection.client.onclose = undefined;
    if (endSession && connection.transport instanceof StreamableHTTPClientTransport) {
      // Lets the server free the session now rather than when it expires.
      await connection.transport.terminateSession().catch(() => undefined);
    }
    await connection.client.close().catch(() => undefined);
    // A transport whose start failed is not attached to the client: close it directly.
    await connection.transport.close().catch(() => undefined);
  }

  private async fetchTools(connection: Connection): Promise<McpToolInfo[]> {
    const version = this.toolsVersion;
    const all: Tool[] = [];
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = await connection.client.listTools(cursor ? { cursor } : undefined, { timeout: this.spec.callTimeoutMs });
        all.push(...result.tools);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    } catch (error) {
      if (this.isTransportFailure(error, connection)) {
        this.lost(connection, shortError(error), error);
        throw new ConnectorUnavailableError(this.spec.id, { detail: `connector "${this.spec.id}" lost its connection listing tools: ${shortError(error)}`, cause: error });
      }
      throw new ConnectorUnavailableError(this.spec.id, { detail: `connector "${this.spec.id}" could not list its tools: ${shortError(error)}`, cause: error });
    }
    const list = all
      .filter((tool) => isToolOffered(this.spec, tool.name))
      .map(
        (tool): McpToolInfo => ({
          name: tool.name,
          ...(tool.title ? { title: tool.title } : {}),
          description: tool.description ?? tool.title ?? tool.name,
          inputSchema: objectSchema(tool.inputSchema),
          ...(tool.annotations ? { annotations: tool.annotations } : {}),
        }),
      );
    if (this.connection !== connection) return list;
    // A list that raced a list_changed may be stale: returned, not kept.
    if (this.toolsVersion === version) this.tools = { list, at: this.now() };
    if (this.toolCount !== list.length) {
      this.toolCount = list.length;
      this.onStatus?.(this.status());
    }
    return list;
  }

  /**
   * A failure of the connection itself (closed, a network error, an HTTP status) rather than
   * an error the server answered with: the connection is dropped and the next use reconnects.
   */
  private isTransportFailure(error: unknown, connection: Connection): boolean {
    if (this.connection !== connection) return true;
    if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
    return !(error instanceof Error && error.name === 'ZodError');
  }

  private callError(error: unknown, connection: Connection, name: string, timeoutMs: number, signal: AbortSignal | undefined): Error {
    if (signal?.aborted) return new ToolAbortedError(name);
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return new ToolTimeoutError(name, timeoutMs);
    if (this.isTransportFailure(error, connection)) {
      this.lost(connection, shortError(error), error);
      return new ConnectorUnavailableError(this.spec.id, {
        toolName: name,
        detail: `connector "${this.spec.id}" lost its connection during ${name}: ${shortError(error)}`,
        cause: error,
      });
    }
    // The server answered with a JSON-RPC error (unknown tool, bad arguments, a result not
    // matching the tool's output schema): its wording stays in the log.
    return new ToolError(toolFailedMessage(name), { detail: `connector "${this.spec.id}" tool ${name}: ${shortError(error)}`, cause: error });
  }

  private setState(state: ConnectorStatus['state']): void {
    if (state === this.state) return;
    this.state = state;
    this.since = this.now();
    this.onStatus?.(this.status());
  }

  /** Logs a stdio server's stderr line by line, at most `STDERR_LINES_PER_MINUTE` a minute. */
  private pipeStderr(stream: Readable | null): void {
    if (!stream) return;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => this.stderrLine(line));
  }

  private stderrLine(line: string): void {
    if (!line.trim()) return;
    const window = this.stderrWindow;
    const now = this.now();
    if (now - window.start >= 60_000) {
      if (window.dropped > 0) this.log.warn(`connector stderr: ${window.dropped} lines not logged (too many)`, undefined, { connector: this.spec.id });
      this.stderrWindow = { start: now, lines: 0, dropped: 0 };
    }
    if (this.stderrWindow.lines >= STDERR_LINES_PER_MINUTE) {
      this.stderrWindow.dropped++;
      return;
    }
    this.stderrWindow.lines++;
    const text = line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line;
    const fields = { connector: this.spec.id, stream: 'stderr' };
    // Servers log everything to stderr (stdout is the protocol): only what reads as a failure is a warning.
    if (/\b(error|fatal|panic|exception|traceback)\b/i.test(text)) this.log.warn(text, undefined, fields);
    else this.log.info(text, fields);
  }
}
