import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToolAbortedError } from '../../src/agents/errors.ts';
import { ConnectorRegistry } from '../../src/connectors/connector-registry.ts';
import { ConnectorUnavailableError } from '../../src/connectors/errors.ts';
import { McpConnector } from '../../src/connectors/mcp-connector.ts';
import { createMemoryLogger } from '../../src/testing/memory-logger.ts';
import { SCRIPTED_SERVER, connectorSpec, freePort, nodeStdioSpec, processExists } from '../helpers/mcp-servers.ts';

/**
 * The connector against the tests' own MCP server (a real child process speaking stdio), for
 * what the reference servers cannot be made to do on cue: paged tool lists, a tool list that
 * changes, errors the tool reports, its environment; plus servers that cannot be reached.
 */
describe('McpConnector: tool list, environment and failures', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  function scripted(fields: Record<string, unknown> = {}, env: Record<string, string | undefined> = {}) {
    const log = createMemoryLogger();
    let clock = 1_000_000;
    const connector = new McpConnector(nodeStdioSpec('scripted', SCRIPTED_SERVER, fields), { env, log, now: () => clock });
    open.push(connector);
    return { connector, log, advance: (ms: number) => (clock += ms) };
  }

  it('reads every page of the tool list and keeps it until the server says it changed', async () => {
    const { connector } = scripted({ block: ['fail'] });
    // Five tools in pages of two; `fail` is blocked.
    expect((await connector.listTools()).map((t) => t.name)).toEqual(['add-tool', 'sleep', 'read-env', 'say']);
    expect((await connector.listTools()).map((t) => t.name)).not.toContain('extra');

    // The server adds a tool and sends notifications/tools/list_changed (before the call's result).
    expect((await connector.callTool('add-tool', { name: 'extra' })).output).toBe('added extra');
    const after = await connector.listTools();
    expect(after.map((t) => t.name)).toEqual(['add-tool', 'sleep', 'read-env', 'say', 'extra']);
    // A schema with no properties is given an empty `properties`.
    expect(after.at(-1)).toEqual({ name: 'extra', description: 'Added at runtime.', inputSchema: { type: 'object', properties: {} } });
    expect(connector.status().tools).toBe(5);
    expect((await connector.callTool('extra', {})).output).toBe('ran extra');
  });

  it('caches the list for toolsCacheMs, then asks again', async () => {
    const { connector, advance } = scripted({ toolsCacheMs: 10_000 });
    const first = await connector.listTools();
    expect(await connector.listTools()).toBe(first);
    advance(10_000);
    const second = await connector.listTools();
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it('a result the tool marks as an error is returned with its text, not thrown', async () => {
    const { connector } = scripted();
    expect(await connector.callTool('fail', {})).toEqual({ output: 'the order does not exist', images: [], isError: true });
  });

  it('gives the child only the safe defaults plus the variables its spec maps from the host', async () => {
    const host = { SHOP_TOKEN: 's3cret', OTHER_SECRET: 'not-for-the-child' };
    process.env.AGENT_CHAT_TEST_LEAK = 'from-the-server-process';
    try {
      const { connector } = scripted({ env: { API_TOKEN: { env: 'SHOP_TOKEN', prefix: 'Bearer ' }, MODE: 'test' } }, host);
      expect((await connector.callTool('read-env', { name: 'API_TOKEN' })).output).toBe('Bearer s3cret');
      expect((await connector.callTool('read-env', { name: 'MODE' })).output).toBe('test');
      expect((await connector.callTool('read-env', { name: 'OTHER_SECRET' })).output).toBe('(unset)');
      expect((await connector.callTool('read-env', { name: 'AGENT_CHAT_TEST_LEAK' })).output).toBe('(unset)');
      expect((await connector.callTool('read-env', { name: 'PATH' })).output).toBe(process.env.PATH);
    } finally {
      delete process.env.AGENT_CHAT_TEST_LEAK;
    }
  });

  it('an unset variable fails the connection without starting the child, and the visitor never reads its name', async () => {
    const { connector, log } = scripted({ env: { API_TOKEN: { env: 'SHOP_TOKEN' } } }, {});
    const error = await connector.callTool('say', { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorUnavailableError);
    expect((error as Error).message).toBe('The say tool is unavailable right now.');
    expect((error as ConnectorUnavailableError).detail).toContain('SHOP_TOKEN');
    expect(connector.pid).toBeUndefined();
    expect(connector.status()).toMatchObject({ state: 'down', consecutiveFailures: 1, lastError: expect.stringContaining('SHOP_TOKEN') });
    expect(log.entries.some((e) => e.fields.stream === 'stderr')).toBe(false);
  });

  it("logs the server's stderr line by line, and warns on lines that read as errors", async () => {
    const { connector, log } = scripted();
    await connector.callTool('say', { text: 'fetched 3 orders\nERROR: database is read-only' });
    // Stderr is its own pipe: its lines may land after the result.
    const lines = () => log.entries.filter((e) => e.fields.stream === 'stderr');
    await vi.waitFor(() => expect(lines()).toHaveLength(3));
    expect(lines().map((e) => [e.level, e.message])).toEqual([
      ['info', 'scripted server ready'],
      ['info', 'fetched 3 orders'],
      ['warn', 'ERROR: database is read-only'],
    ]);
  });

  it('a cancelled run stops a call and the connection stays usable', async () => {
    const { connector } = scripted();
    await connector.connect();
    const controller = new AbortController();
    const call = connector.callTool('sleep', { ms: 5_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toBeInstanceOf(ToolAbortedError);
    expect((await connector.callTool('sleep', { ms: 1 })).output).toBe('slept');
  });

  it('a server that exits while starting fails the attempt; what it printed reaches the log', async () => {
    const log = createMemoryLogger();
    const connector = new McpConnector(
      connectorSpec({ id: 'crashy', transport: { type: 'stdio', command: process.execPath, args: ['-e', 'console.error("config file /etc/crm.toml not found"); process.exit(3)'] } }),
      { env: {}, log },
    );
    open.push(connector);
    const error = await connector.listTools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorUnavailableError);
    expect((error as Error).message).not.toMatch(/crm\.toml|exit/);
    expect(connector.status()).toMatchObject({ state: 'down', consecutiveFailures: 1, lastError: expect.stringMatching(/closed/i) });
    await vi.waitFor(() => expect(log.entries.some((e) => e.fields.stream === 'stderr' && e.message === 'config file /etc/crm.toml not found')).toBe(true));
  });

  it('backs off after failed attempts: fails fast inside the window, tries again after it', async () => {
    const log = createMemoryLogger();
    let clock = 5_000_000;
    const connector = new McpConnector(connectorSpec({ id: 'missing', transport: { type: 'stdio', command: '/nonexistent/mcp-server' } }), {
      env: {},
      log,
      now: () => clock,
    });
    open.push(connector);
    const attempts = () => log.entries.filter((e) => e.message === 'connector could not connect').length;

    const first = await connector.listTools().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ConnectorUnavailableError);
    expect((first as Error).message).toBe('The missing tools are unavailable right now.');
    expect(connector.status()).toMatchObject({ state: 'down', consecutiveFailures: 1, lastError: expect.stringMatching(/ENOENT/) });
    expect(attempts()).toBe(1);

    // Inside the 1 s window: rejected without spawning anything.
    clock += 999;
    const fast = await connector.callTool('anything', {}).catch((e: unknown) => e);
    expect(fast).toBeInstanceOf(ConnectorUnavailableError);
    expect((fast as ConnectorUnavailableError).detail).toMatch(/next attempt in 1 s/);
    expect(attempts()).toBe(1);

    clock += 1;
    await expect(connector.listTools()).rejects.toBeInstanceOf(ConnectorUnavailableError);
    expect(attempts()).toBe(2);
    expect(connector.status().consecutiveFailures).toBe(2);

    // The window doubled: 1 s later is still inside it, 2 s is not.
    clock += 1_000;
    await expect(connector.listTools()).rejects.toBeInstanceOf(ConnectorUnavailableError);
    expect(attempts()).toBe(2);
    clock += 1_000;
    await expect(connector.listTools()).rejects.toBeInstanceOf(ConnectorUnavailableError);
    expect(attempts()).toBe(3);
    expect(log.entries.filter((e) => e.message === 'connector could not connect').map((e) => e.fields.retryInMs)).toEqual([1_000, 2_000, 4_000]);
  });

  it('an HTTP URL that refuses connections backs off the same way', async () => {
    const log = createMemoryLogger();
    let clock = 0;
    const port = await freePort();
    const connector = new McpConnector(connectorSpec({ id: 'refused', transport: { type: 'http', url: `http://127.0.0.1:${port}/mcp` } }), {
      env: {},
      log,
      now: () => clock,
    });
    open.push(connector);
    await expect(connector.connect()).rejects.toBeInstanceOf(ConnectorUnavailableError);
    await expect(connector.connect()).rejects.toThrow(ConnectorUnavailableError);
    expect(connector.status()).toMatchObject({ transport: 'http', state: 'down', consecutiveFailures: 1 });
    clock += 1_000;
    await expect(connector.connect()).rejects.toBeInstanceOf(ConnectorUnavailableError);
    expect(connector.status().consecutiveFailures).toBe(2);
  });

  it('the registry connects the connectOnStart ones, logs failures, reports statuses and closes all', async () => {
    const log = createMemoryLogger();
    const registry = new ConnectorRegistry(
      [
        nodeStdioSpec('eager', SCRIPTED_SERVER, { connectOnStart: true }),
        nodeStdioSpec('lazy', SCRIPTED_SERVER),
        connectorSpec({ id: 'broken', connectOnStart: true, transport: { type: 'stdio', command: '/nonexistent/mcp-server' } }),
      ],
      { env: {}, log },
    );
    open.push(registry);
    await registry.connectOnStart();
    expect(registry.statuses().map((s) => [s.id, s.state])).toEqual([
      ['eager', 'ready'],
      ['lazy', 'idle'],
      ['broken', 'down'],
    ]);
    expect(log.entries.some((e) => e.message === 'connector not connected at start-up' && e.fields.connector === 'broken')).toBe(true);
    expect(registry.get('lazy')).toBe(registry.list()[1]);
    expect(registry.get('nope')).toBeUndefined();

    await registry.get('lazy')!.listTools();
    const pids = registry.list().flatMap((c) => (c.pid ? [c.pid] : []));
    expect(pids).toHaveLength(2);
    await registry.close();
    expect(pids.filter(processExists)).toEqual([]);
  });
});
