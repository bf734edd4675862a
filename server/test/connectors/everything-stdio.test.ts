import { afterEach, describe, expect, it } from 'vitest';
import { ToolTimeoutError } from '../../src/agents/errors.ts';
import { ConnectorToolRefusedError, ConnectorUnavailableError } from '../../src/connectors/errors.ts';
import { type ConnectorStatus, McpConnector } from '../../src/connectors/mcp-connector.ts';
import { createMemoryLogger } from '../../src/testing/memory-logger.ts';
import { EVERYTHING_SERVER, nodeStdioSpec, processExists } from '../helpers/mcp-servers.ts';

/** The reference "everything" MCP server over stdio: the connector against a real, full-featured server. */
describe('McpConnector: the everything server over stdio', () => {
  const open: McpConnector[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  function everything(fields: Record<string, unknown> = {}) {
    const log = createMemoryLogger();
    const statuses: ConnectorStatus[] = [];
    const connector = new McpConnector(nodeStdioSpec('everything', EVERYTHING_SERVER, fields, ['stdio']), {
      env: {},
      log,
      onStatus: (s) => statuses.push(s),
    });
    open.push(connector);
    return { connector, log, statuses };
  }

  it('lists its tools and calls echo, get-sum, the tiny image and structured content', async () => {
    const { connector, log, statuses } = everything();
    expect(connector.status().state).toBe('idle');

    const tools = await connector.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image', 'get-structured-content', 'trigger-long-running-operation']));
    const echo = tools.find((t) => t.name === 'echo')!;
    expect(echo.description).toMatch(/echo/i);
    expect(echo.inputSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } });
    expect(tools.find((t) => t.name === 'get-tiny-image')!.inputSchema).toMatchObject({ type: 'object', properties: {} });
    expect(tools.find((t) => t.name === 'get-sum')!.annotations).toMatchObject({ readOnlyHint: true });
    expect(connector.status()).toMatchObject({ id: 'everything', transport: 'stdio', state: 'ready', tools: tools.length, consecutiveFailures: 0 });
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'ready', 'ready']);

    expect(await connector.callTool('echo', { message: 'hello ü' })).toEqual({ output: 'Echo: hello ü', images: [], isError: false });
    expect((await connector.callTool('get-sum', { a: 2, b: 40 })).output).toMatch(/\b42\b/);

    const image = await connector.callTool('get-tiny-image', {});
    expect(image.images).toHaveLength(1);
    expect(image.images[0]!.mime).toBe('image/png');
    const png = Buffer.from(image.images[0]!.dataBase64, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(Buffer.from(png).toString('base64')).toBe(image.images[0]!.dataBase64);
    expect(image.output).toBe("Here's the image you requested:\n\nThe image above is the MCP logo.");

    // Its text only repeats the JSON: the structured content is the output.
    const weather = await connector.callTool('get-structured-content', { location: 'Chicago' });
    expect(weather.output).toEqual({ temperature: expect.any(Number), conditions: expect.any(String), humidity: expect.any(Number) });

    const links = await connector.callTool('get-resource-links', { count: 2 });
    expect(links.output).toMatch(/\[resource link: .+ <demo:\/\/resource\/.+>/);

    // The server's stderr reached the operator's log, tagged with the connector.
    expect(log.entries.some((e) => e.fields.stream === 'stderr' && e.fields.connector === 'everything' && /Starting default/.test(e.message))).toBe(true);
  });

  it('hides blocked and not-allowed tools and refuses to call them', async () => {
    const { connector } = everything({ allow: ['echo', 'get-sum', 'get-env'], block: ['get-env'] });
    const names = (await connector.listTools()).map((t) => t.name).sort();
    expect(names).toEqual(['echo', 'get-sum']);
    await expect(connector.callTool('get-env', {})).rejects.toBeInstanceOf(ConnectorToolRefusedError);
    await expect(connector.callTool('get-tiny-image', {})).rejects.toThrow('The get-tiny-image tool is not available.');
    expect((await connector.callTool('echo', { message: 'still' })).output).toBe('Echo: still');
  });

  it('shares one connection between concurrent first uses', async () => {
    const { connector, log } = everything();
    const [a, b, c] = await Promise.all([connector.listTools(), connector.callTool('echo', { message: 'x' }), connector.connect()]);
    expect(a.length).toBeGreaterThan(5);
    expect(b.output).toBe('Echo: x');
    expect(c).toBeUndefined();
    expect(log.entries.filter((e) => e.message === 'connector connected')).toHaveLength(1);
  });

  it('a server killed mid-call fails the call at once; the next use starts a new one', async () => {
    const { connector, statuses } = everything();
    await connector.listTools();
    const firstPid = connector.pid!;
    expect(processExists(firstPid)).toBe(true);

    const slow = connector.callTool('trigger-long-running-operation', { duration: 10, steps: 5 });
    const outcome = slow.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const killedAt = Date.now();
    process.kill(firstPid, 'SIGKILL');
    const error = await outcome;
    // Not waiting for the 30 s call timeout nor the 10 s operation: the close itself rejects it.
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ConnectorUnavailableError);
    expect((error as ConnectorUnavailableError).message).toBe('The trigger-long-running-operation tool is unavailable right now.');
    expect((error as ConnectorUnavailableError).detail).toMatch(/lost its connection/);
    expect(connector.status()).toMatchObject({ state: 'down', consecutiveFailures: 0 });
    expect(statuses.at(-1)!.state).toBe('down');

    // The next turn reconnects straight away (no backoff after a connection that worked).
    expect((await connector.listTools()).length).toBeGreaterThan(5);
    expect(connector.pid).toBeDefined();
    expect(connector.pid).not.toBe(firstPid);
    expect((await connector.callTool('echo', { message: 'back' })).output).toBe('Echo: back');
    expect(connector.status().state).toBe('ready');
  });

  it('a call longer than callTimeoutMs times out and the connection stays usable', async () => {
    const { connector } = everything({ callTimeoutMs: 300 });
    await connector.connect();
    const pid = connector.pid;
    const error = await connector.callTool('trigger-long-running-operation', { duration: 5, steps: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolTimeoutError);
    expect((error as ToolTimeoutError).message).toBe('Tool "trigger-long-running-operation" timed out after 300 ms.');
    expect((await connector.callTool('echo', { message: 'after' })).output).toBe('Echo: after');
    expect(connector.pid).toBe(pid);
    expect(connector.status().state).toBe('ready');
  });

  it('close() ends the child process, and is idempotent', async () => {
    const { connector } = everything();
    await connector.connect();
    const pid = connector.pid!;
    expect(processExists(pid)).toBe(true);
    await Promise.all([connector.close(), connector.close()]);
    expect(processExists(pid)).toBe(false);
    await connector.close();
    expect(connector.status().state).toBe('idle');
    await expect(connector.listTools()).rejects.toBeInstanceOf(ConnectorUnavailableError);
  });
});
