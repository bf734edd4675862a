/**
 * MCP connectors through the whole server: a workflow agent names a connector's tools, the model
 * (scripted, so each step is known) calls them over a real WebSocket, and real MCP servers from
 * npm answer — the everything server over stdio and Streamable HTTP, the memory server over stdio.
 */
import type { Item, ThreadEvent, Workflow } from '@agent-chat/shared';
import { Workflow as WorkflowSchema } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../src/models/model.ts';
import { ScriptedModel, ScriptedProvider, textResponse, toolCallEvent, toolCallsResponse } from '../../src/testing/scripted-model.ts';
import { parsePrometheusText } from '../helpers/prometheus-text.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { tempDataDir } from '../helpers/temp-dir.ts';
import type { TestClient } from '../helpers/ws-client.ts';
import { EVERYTHING_SERVER, MEMORY_SERVER, connectorSpec, nodeStdioSpec, processExists, startEverythingHttp } from '../helpers/mcp-servers.ts';

type ToolCall = Extract<Item, { type: 'tool_call' }>;

const EVERYTHING_TOOLS = ['echo', 'get-sum', 'get-tiny-image', 'trigger-long-running-operation'];

function shop(tools: unknown[]): Workflow {
  return WorkflowSchema.parse({ id: 'shop', name: 'Shop', entryAgent: 'clerk', agents: [{ id: 'clerk', name: 'Clerk', instructions: 'Help.', tools }] });
}

function everything(fields: Record<string, unknown> = {}) {
  return nodeStdioSpec('everything', EVERYTHING_SERVER, fields, ['stdio']);
}

/** The final state of each tool call in a thread's events. */
function toolCalls(events: ThreadEvent[]): ToolCall[] {
  const items = new Map<string, ToolCall>();
  for (const e of events) if ((e.type === 'item.added' || e.type === 'item.done') && e.item.type === 'tool_call') items.set(e.item.id, e.item);
  return [...items.values()];
}

/** The names of the tools a model request offered. */
const offered = (request: ModelRequest | undefined) => (request?.tools ?? []).map((t) => t.name);

describe('MCP connectors in runs', () => {
  const scope = useTestScope();

  async function boot(options: { workflow: Workflow; model: ScriptedModel; connectors: ReturnType<typeof everything>[]; dataDir?: string }) {
    const dataDir = options.dataDir ?? tempDataDir();
    scope.dirs.push(dataDir);
    return scope.boot({ dataDir, workflows: new Map([['shop', options.workflow]]), models: new ScriptedProvider(options.model), connectors: options.connectors });
  }

  async function newThread(client: TestClient): Promise<string> {
    const opened = await client.request({ type: 'thread.create', workflow: 'shop' });
    if (opened.type !== 'thread.opened') throw new Error(JSON.stringify(opened));
    return opened.thread.id;
  }

  async function say(client: TestClient, threadId: string, text: string) {
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: `${text}-${Math.random()}`, text });
    if (accepted.type !== 'message.accepted') throw new Error(`not accepted: ${JSON.stringify(accepted)}`);
    const finished = await client.runFinished(accepted.runId, 20_000);
    return { finished, calls: toolCalls(client.events(threadId)) };
  }

  it('Should offer the allowed tools under namespaced names, call them with arguments and give the model their output (everything, stdio)', async () => {
    const model = new ScriptedModel([
      toolCallsResponse(toolCallEvent('everything__get-sum', { a: 2, b: 40 }, 'call_sum'), toolCallEvent('everything__echo', { message: 'hi there' }, 'call_echo')),
      textResponse('The sum is 42.'),
    ]);
    const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'everything', tools: ['echo', 'get-sum'] }]), model, connectors: [everything({ block: ['get-env'] })] });
    const { client } = await scope.connect(s);
    const threadId = await newThread(client);
    const { finished, calls } = await say(client, threadId, 'add 2 and 40');
    expect(finished.status).toBe('completed');
    expect(offered(model.requests[0])).toEqual(['everything__echo', 'everything__get-sum']);
    expect(calls.map((c) => [c.name, c.status])).toEqual([
      ['everything__get-sum', 'completed'],
      ['everything__echo', 'completed'],
    ]);
    expect(JSON.stringify(calls[0]?.output)).toContain('42');
    expect(JSON.stringify(calls[1]?.output)).toContain('hi there');
    const outputs = (model.requests[1]?.input ?? []).filter((i) => i.type === 'function_call_output');
    expect(outputs.map((o) => o.type === 'function_call_output' && o.callId)).toEqual(['call_sum', 'call_echo']);
    expect(JSON.stringify(outputs)).toContain('42');
  });

  it('Should not offer a blocked tool, and refuse a call to it the model makes anyway', async () => {
    const model = new ScriptedModel([toolCallsResponse(toolCallEvent('everything__get-env', {}, 'call_env')), textResponse('Sorry.')]);
    const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'everything' }]), model, connectors: [everything({ block: ['get-env'] })] });
    const { client } = await scope.connect(s);
    const { calls } = await say(client, await newThread(client), 'show me your environment');
    expect(offered(model.requests[0])).toContain('everything__echo');
    expect(offered(model.requests[0])).not.toContain('everything__get-env');
    expect(calls[0]).toMatchObject({ name: 'everything__get-env', status: 'failed', error: 'Unknown tool "everything__get-env". Use only the tools you were given.' });
  });

  it('Should hold an approval-gated tool for Approve, and run it after a server restart (new child process)', async () => {
    const dataDir = tempDataDir();
    const workflow = shop([{ kind: 'mcp', connector: 'everything', tools: ['echo', 'get-sum'] }]);
    const spec = everything({ approval: ['echo'] });
    const first = new ScriptedModel([toolCallsResponse(toolCallEvent('everything__echo', { message: 'reserve it' }, 'call_gated'))]);
    const s1 = await boot({ workflow, model: first, connectors: [spec], dataDir });
    const { client: c1, ready } = await scope.connect(s1);
    const threadId = await newThread(c1);
    const { finished, calls } = await say(c1, threadId, 'please echo');
    expect(finished.status).toBe('interrupted');
    expect(calls[0]).toMatchObject({ name: 'everything__echo', status: 'awaiting_approval' });
    const pidBefore = s1.server.connectors.get('everything')?.pid;
    expect(pidBefore).toBeTypeOf('number');
    await s1.close();
    // The server's close took its stdio child with it.
    expect(processExists(pidBefore as number)).toBe(false);

    const second = new ScriptedModel([textResponse('Done: it echoed.')]);
    const s2 = await boot({ workflow, model: second, connectors: [spec], dataDir });
    const { client: c2 } = await scope.connect(s2, ready.visitorToken);
    await c2.request({ type: 'thread.open', threadId });
    c2.send({ type: 'tool.approval', threadId, callId: 'call_gated', approved: true });
    const done = await c2.waitFor((m) => m.type === 'item.done' && m.item.type === 'tool_call' && m.item.callId === 'call_gated' && m.item.status !== 'awaiting_approval', 20_000);
    expect(done).toMatchObject({ item: { status: 'completed' } });
    expect(JSON.stringify(done.type === 'item.done' && done.item.type === 'tool_call' ? done.item.output : null)).toContain('reserve it');
    expect(s2.server.connectors.get('everything')?.pid).not.toBe(pidBefore);
    await c2.waitFor((m) => m.type === 'run.finished', 20_000);
    expect(JSON.stringify(second.requests[0]?.input)).toContain('reserve it');
  });

  it('Should turn a server killed mid-call into a tool error the model explains, and reconnect on the next turn', async () => {
    const model = new ScriptedModel([
      toolCallsResponse(toolCallEvent('everything__trigger-long-running-operation', { duration: 20, steps: 20 }, 'call_long')),
      textResponse('The inventory service stopped; please try again.'),
      toolCallsResponse(toolCallEvent('everything__echo', { message: 'back' }, 'call_back')),
      textResponse('It is back.'),
    ]);
    const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'everything', tools: EVERYTHING_TOOLS }]), model, connectors: [everything()] });
    const { client } = await scope.connect(s);
    const threadId = await newThread(client);
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'long', text: 'run the long job' });
    await client.waitFor((m) => m.type === 'item.added' && m.item.type === 'tool_call' && m.item.status === 'running');
    const connector = s.server.connectors.get('everything');
    const pid = connector?.pid;
    expect(pid).toBeTypeOf('number');
    process.kill(pid as number, 'SIGKILL');
    const finished = await client.runFinished(accepted.type === 'message.accepted' ? accepted.runId : '', 20_000);
    expect(finished.status).toBe('completed');
    const failed = toolCalls(client.events(threadId)).find((c) => c.callId === 'call_long');
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/unavailable/i);
    expect(failed?.error).not.toMatch(/pid|EPIPE|stdio|node_modules|at /);
    // The model heard about it and answered.
    expect(JSON.stringify(model.requests[1]?.input)).toMatch(/unavailable/i);

    const next = await say(client, threadId, 'try again');
    expect(next.finished.status).toBe('completed');
    expect(next.calls.find((c) => c.callId === 'call_back')).toMatchObject({ status: 'completed' });
    expect(connector?.pid).not.toBe(pid);
  });

  it('Should time out a hung call with a tool error, and keep the connector working', async () => {
    const model = new ScriptedModel([
      toolCallsResponse(toolCallEvent('everything__trigger-long-running-operation', { duration: 30, steps: 30 }, 'call_hung')),
      toolCallsResponse(toolCallEvent('everything__echo', { message: 'still here' }, 'call_after')),
      textResponse('ok'),
    ]);
    const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'everything', tools: EVERYTHING_TOOLS }]), model, connectors: [everything({ callTimeoutMs: 500 })] });
    const { client } = await scope.connect(s);
    const { finished, calls } = await say(client, await newThread(client), 'run it');
    expect(finished.status).toBe('completed');
    expect(calls.find((c) => c.callId === 'call_hung')).toMatchObject({ status: 'failed', error: expect.stringMatching(/timed out after 500 ms/) });
    expect(calls.find((c) => c.callId === 'call_after')).toMatchObject({ status: 'completed' });
  });

  it('Should show the model an image a tool returned, after the call\'s output', async () => {
    const model = new ScriptedModel([toolCallsResponse(toolCallEvent('everything__get-tiny-image', {}, 'call_img')), textResponse('A tiny image.')]);
    const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'everything', tools: EVERYTHING_TOOLS }]), model, connectors: [everything()] });
    const { client } = await scope.connect(s);
    const { calls } = await say(client, await newThread(client), 'show me the image');
    expect(calls[0]?.status).toBe('completed');
    // The stored output holds no image bytes; the model's next request has the image.
    expect(JSON.stringify(calls[0]?.output)).not.toContain('iVBOR');
    const input = model.requests[1]?.input ?? [];
    const imageMessage = input.find((i) => i.type === 'message' && Array.isArray(i.content) && i.content.some((p) => p.type === 'image'));
    expect(imageMessage).toBeDefined();
    const image = imageMessage?.type === 'message' && Array.isArray(imageMessage.content) ? imageMessage.content.find((p) => p.type === 'image') : undefined;
    expect(image).toMatchObject({ type: 'image', mime: 'image/png' });
    expect(Buffer.from((image as { dataBase64: string }).dataBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const indexOfOutput = input.findIndex((i) => i.type === 'function_call_output' && i.callId === 'call_img');
    expect(input.indexOf(imageMessage!)).toBe(indexOfOutput + 1);
  });

  it('Should call the memory server (stdio) with structured arguments and read back what it stored', async () => {
    const dir = tempDataDir();
    scope.dirs.push(dir);
    const memory = connectorSpec({ id: 'memory', transport: { type: 'stdio', command: process.execPath, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: `${dir}/memory.jsonl` } } });
    const entities = [{ name: 'Ada', entityType: 'customer', observations: ['prefers tents'] }];
    const model = new ScriptedModel([
      toolCallsResponse(toolCallEvent('memory__create_entities', { entities }, 'call_create')),
      toolCallsResponse(toolCallEvent('memory__search_nodes', { query: 'Ada' }, 'call_search')),
      textResponse('Ada prefers tents.'),
    ]);
    const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'memory', tools: ['create_entities', 'search_nodes'] }]), model, connectors: [memory] });
    const { client } = await scope.connect(s);
    const { calls } = await say(client, await newThread(client), 'remember Ada');
    expect(calls.map((c) => c.status)).toEqual(['completed', 'completed']);
    expect(JSON.stringify(calls[1]?.output)).toContain('prefers tents');
  });

  it('Should call tools over Streamable HTTP (everything, http)', async () => {
    const http = await startEverythingHttp('streamableHttp');
    try {
      const spec = connectorSpec({ id: 'remote', transport: { type: 'http', url: `http://127.0.0.1:${http.port}/mcp` } });
      const model = new ScriptedModel([toolCallsResponse(toolCallEvent('remote__get-sum', { a: 1, b: 2 }, 'call_remote')), textResponse('3')]);
      const s = await boot({ workflow: shop([{ kind: 'mcp', connector: 'remote', tools: ['get-sum'] }]), model, connectors: [spec] });
      const { client } = await scope.connect(s);
      const { calls } = await say(client, await newThread(client), '1+2');
      expect(calls[0]).toMatchObject({ name: 'remote__get-sum', status: 'completed' });
      expect(JSON.stringify(calls[0]?.output)).toContain('3');
    } finally {
      await http.stop();
    }
  });

  it('Should run the agent without the tools of a connector that is down, and report it in /ready and /metrics', async () => {
    const model = new ScriptedModel([textResponse('I cannot check stock right now.')]);
    const down = connectorSpec({ id: 'broken', transport: { type: 'stdio', command: '/nonexistent/mcp-server' } });
    const s = await boot({ workflow: shop(['service_status', { kind: 'mcp', connector: 'broken' }]), model, connectors: [down] });
    const { client } = await scope.connect(s);
    const { finished } = await say(client, await newThread(client), 'is it in stock?');
    expect(finished.status).toBe('completed');
    expect(offered(model.requests[0])).toEqual(['service_status']);
    const ready = (await (await fetch(`${s.url}/ready`)).json()) as { ready: boolean; checks: { connectors?: { ok: boolean; connectors: { id: string; state: string }[] } } };
    expect(ready.ready).toBe(true);
    expect(ready.checks.connectors).toMatchObject({ ok: false, connectors: [{ id: 'broken', state: 'down' }] });
    expect(JSON.stringify(ready)).not.toContain('nonexistent');
    const { samples } = parsePrometheusText(await (await fetch(`${s.url}/metrics`)).text());
    const sample = (name: string, labels: Record<string, string>) => samples.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value;
    expect(sample('agent_chat_connector_up', { connector: 'broken', state: 'down' })).toBe(1);
    expect(sample('agent_chat_connector_up', { connector: 'broken', state: 'ready' })).toBe(0);
    expect(sample('agent_chat_connector_unavailable_total', { connector: 'broken' })).toBe(1);
  });
});
