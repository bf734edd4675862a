import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorUnavailableError } from '../../src/connectors/errors.ts';
import { McpConnector } from '../../src/connectors/mcp-connector.ts';
import { createMemoryLogger } from '../../src/testing/memory-logger.ts';
import { type HttpMcpServer, connectorSpec, startEverythingHttp } from '../helpers/mcp-servers.ts';

/** The everything server in its HTTP modes, each a real child process on a loopback port. */
describe('McpConnector: the everything server over HTTP', () => {
  const servers: HttpMcpServer[] = [];
  const open: McpConnector[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  function connectorFor(url: string, fields: Record<string, unknown> = {}) {
    const log = createMemoryLogger();
    const connector = new McpConnector(connectorSpec({ id: 'remote', transport: { type: 'http', url, ...fields } }), { env: {}, log });
    open.push(connector);
    return { connector, log };
  }

  it('speaks Streamable HTTP: lists tools and calls echo, get-sum and the image tool', async () => {
    const server = await startEverythingHttp('streamableHttp');
    servers.push(server);
    const { connector } = connectorFor(`http://127.0.0.1:${server.port}/mcp`);

    const names = (await connector.listTools()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image']));
    expect(connector.status()).toMatchObject({ transport: 'http', state: 'ready' });
    expect((await connector.callTool('echo', { message: 'over http' })).output).toBe('Echo: over http');
    expect((await connector.callTool('get-sum', { a: 1.5, b: 2 })).output).toMatch(/3\.5/);
    const image = await connector.callTool('get-tiny-image', {});
    expect(image.images[0]?.mime).toBe('image/png');
    expect(Buffer.from(image.images[0]!.dataBase64, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('falls back to HTTP+SSE when the endpoint refuses the Streamable HTTP POST', async () => {
    const server = await startEverythingHttp('sse');
    servers.push(server);
    const { connector, log } = connectorFor(`http://127.0.0.1:${server.port}/sse`);

    expect((await connector.listTools()).map((t) => t.name)).toContain('echo');
    expect(connector.status()).toMatchObject({ transport: 'sse', state: 'ready' });
    expect(log.entries.find((e) => e.message === 'connector falls back to HTTP+SSE')?.fields.status).toBe(404);
    expect((await connector.callTool('echo', { message: 'over sse' })).output).toBe('Echo: over sse');
  });

  it('does not fall back when sseFallback is off', async () => {
    const server = await startEverythingHttp('sse');
    servers.push(server);
    const { connector } = connectorFor(`http://127.0.0.1:${server.port}/sse`, { sseFallback: false });
    await expect(connector.listTools()).rejects.toThrow('The remote tools are unavailable right now.');
    expect(connector.status()).toMatchObject({ transport: 'http', state: 'down', lastError: expect.stringMatching(/404/) });
  });

  it('a restarted server (its session gone) fails one call, and the next use opens a new session', async () => {
    const first = await startEverythingHttp('streamableHttp');
    servers.push(first);
    const { connector } = connectorFor(`http://127.0.0.1:${first.port}/mcp`);
    expect((await connector.callTool('echo', { message: 'one' })).output).toBe('Echo: one');

    await first.stop();
    const second = await startEverythingHttp('streamableHttp', first.port);
    servers.push(second);
    const error = await connector.callTool('echo', { message: 'two' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorUnavailableError);
    expect(connector.status().state).toBe('down');
    expect((await connector.callTool('echo', { message: 'three' })).output).toBe('Echo: three');
    expect(connector.status()).toMatchObject({ state: 'ready', consecutiveFailures: 0 });
  });

  it('sends the headers of its spec, secrets read from the host environment', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(401).end('no');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const port = (upstream.address() as AddressInfo).port;
      const connector = new McpConnector(
        connectorSpec({
          id: 'headers',
          transport: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: { env: 'CRM_TOKEN', prefix: 'Bearer ' }, 'X-Team': 'support' } },
        }),
        { env: { CRM_TOKEN: 'abc123' }, log: createMemoryLogger() },
      );
      open.push(connector);
      await expect(connector.connect()).rejects.toBeInstanceOf(ConnectorUnavailableError);
      // A 401 is not a reason to try the older transport: one request only.
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ authorization: 'Bearer abc123', 'x-team': 'support' });
      expect(connector.status().lastError).toMatch(/^HTTP 401/);
    } finally {
      upstream.close();
    }
  });
});
