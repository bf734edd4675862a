import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpToolSpec } from '@agent-chat/shared';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTool, isHostAllowed } from '../../src/agents/http-tool.ts';
import { ToolArgumentsError, ToolError, ToolTimeoutError } from '../../src/agents/errors.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let port: number;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (path === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        // Sent in pieces without content-length: the cap must stop the stream read.
        let sent = 0;
        const push = () => {
          if (sent >= 50 || res.destroyed) return res.end();
          sent++;
          res.write('x'.repeat(1000), () => setImmediate(push));
        };
        return push();
      }
      if (path === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
      if (path === '/missing') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
      if (path === '/redirect-out') return void res.writeHead(302, { location: 'http://evil.test/steal' }).end();
      if (path === '/redirect-in') return void res.writeHead(302, { location: '/text' }).end();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, path }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ctx = () => ({ signal: new AbortController().signal, threadId: 't', runId: 'r', agent: 'a', callId: 'c1' });

function tool(spec: Partial<z.input<typeof HttpToolSpec>>, env: Record<string, string> = {}) {
  return createHttpTool(
    HttpToolSpec.parse({ name: 'http', description: 'test', kind: 'http', url: `${base}/orders/{order_id}`, allowedHosts: ['127.0.0.1'], ...spec }),
    { env },
  );
}

const orderParams = {
  type: 'object' as const,
  properties: { order_id: { type: 'string', minLength: 1 }, expand: { type: 'string' }, count: { type: 'integer' } },
  required: ['order_id'],
};

describe('HTTP tools', () => {
  it('fills {param} URL-encoded, sends the rest as query on GET, parses JSON', async () => {
    const out = await tool({ parameters: orderParams }).invoke({ order_id: 'a/b 1', expand: 'items', count: 2 }, ctx());
    expect(out).toEqual({ ok: true, path: '/orders/a%2Fb%201' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/orders/a%2Fb%201?expand=items&count=2' });
  });

  it('sends the rest as a JSON body on POST, with secret headers read from the environment at call time', async () => {
    const env: Record<string, string> = {};
    const post = tool(
      { method: 'POST', parameters: orderParams, headers: { Authorization: { env: 'SHOP_API_KEY', prefix: 'Bearer ' }, 'X-Client': 'agent-chat' } },
      env,
    );
    // The visitor and the model read that the tool is unavailable; only the log names the variable.
    const unset = await post.invoke({ order_id: '1' }, ctx()).catch((error: unknown) => error);
    expect(unset).toBeInstanceOf(ToolError);
    expect((unset as ToolError).message).toBe('The http tool is unavailable right now.');
    expect((unset as ToolError).detail).toMatch(/environment variable SHOP_API_KEY/);
    env.SHOP_API_KEY = 's3cret';
    await post.invoke({ order_id: '1', expand: 'all' }, ctx());
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/orders/1', body: '{"expand":"all"}' });
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(request?.headers['x-client']).toBe('agent-chat');
    expect(request?.headers['content-type']).toBe('application/json');
    // Every attempt of one call carries the same key (thread and call id); a GET carries none.
    expect(request?.headers['idempotency-key']).toBe('t:c1');
    await post.invoke({ order_id: '1', expand: 'all' }, ctx());
    expect(seen.at(-1)?.headers['idempotency-key']).toBe('t:c1');
    await post.invoke({ order_id: '1' }, { ...ctx(), callId: 'c2' });
    expect(seen.at(-1)?.headers['idempotency-key']).toBe('t:c2');
    await tool({ parameters: orderParams }).invoke({ order_id: '1' }, ctx());
    expect(seen.at(-1)).toMatchObject({ method: 'GET' });
    expect(seen.at(-1)?.headers['idempotency-key']).toBeUndefined();
  });

  it('rejects bad arguments before any request is made', async () => {
    const before = seen.length;
    await expect(tool({ parameters: orderParams }).invoke({ order_id: 7 }, ctx())).rejects.toBeInstanceOf(ToolArgumentsError);
    await expect(tool({ parameters: orderParams }).invoke({}, ctx())).rejects.toThrow(/order_id/);
    expect(seen.length).toBe(before);
  });

  it('refuses hosts outside the allowlist, including on redirects', async () => {
    const before = seen.length;
    await expect(tool({ url: `${base}/x`, allowedHosts: ['api.example.com'] }).invoke({}, ctx())).rejects.toMatchObject({
      message: 'The http tool is unavailable right now.',
      detail: expect.stringMatching(/not in allowedHosts/),
    });
    expect(seen.length).toBe(before);
    await expect(tool({ url: `${base}/redirect-out` }).invoke({}, ctx())).rejects.toMatchObject({ detail: expect.stringMatching(/may not call host "evil.test"/) });
    await expect(tool({ url: `${base}/redirect-in` }).invoke({}, ctx())).resolves.toBe('plain words');
  });

  it('times out', async () => {
    await expect(tool({ url: `${base}/slow`, timeoutMs: 100 }).invoke({}, ctx())).rejects.toBeInstanceOf(ToolTimeoutError);
  });

  it('stops reading past maxResponseBytes', async () => {
    await expect(tool({ url: `${base}/big`, maxResponseBytes: 5000 }).invoke({}, ctx())).rejects.toMatchObject({
      message: 'The http tool failed.',
      detail: expect.stringMatching(/larger than maxResponseBytes \(5000\)/),
    });
  });

  it('returns text for non-JSON responses and a tool error with the status (not the body) for failures', async () => {
    await expect(tool({ url: `${base}/text` }).invoke({}, ctx())).resolves.toBe('plain words');
    const failure = tool({ url: `${base}/missing` }).invoke({}, ctx());
    await expect(failure).rejects.toBeInstanceOf(ToolError);
    await expect(failure).rejects.toThrow('The http tool could not answer this request (HTTP 404).');
    await expect(failure).rejects.toMatchObject({ detail: `HTTP 404 from 127.0.0.1:${port}: no such thing` });
  });

  it('matches allowlist entries by host name, host:port, or *.subdomain', () => {
    expect(isHostAllowed(new URL('https://api.example.com/x'), ['api.example.com'])).toBe(true);
    expect(isHostAllowed(new URL('https://api.example.com.evil.test/x'), ['api.example.com'])).toBe(false);
    expect(isHostAllowed(new URL('http://127.0.0.1:81/'), ['127.0.0.1:80'])).toBe(false);
    expect(isHostAllowed(new URL('http://127.0.0.1:80/'), ['127.0.0.1:80'])).toBe(true);
    expect(isHostAllowed(new URL('https://eu.api.example.com/'), ['*.example.com'])).toBe(true);
    expect(isHostAllowed(new URL('https://example.com/'), ['*.example.com'])).toBe(false);
  });
});
