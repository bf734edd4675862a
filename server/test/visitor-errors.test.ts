import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Workflow, type WorkflowInput } from '@agent-chat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../src/agents/errors.ts';
import { defineTool, z } from '../src/agents/tool.ts';
import type { ModelProvider } from '../src/models/model.ts';
import { createModelProvider } from '../src/models/openai-provider.ts';
import { UPSTREAM_MESSAGES } from '../src/models/upstream-error.ts';
import { type FakeReply, type FakeUpstream, startFakeUpstream } from '../src/testing/fake-upstream.ts';
import { type LogEntry, type MemoryLogger, createMemoryLogger } from '../src/testing/memory-logger.ts';
import { ScriptedModel, ScriptedProvider, textResponse, toolCallEvent, toolCallsResponse } from '../src/testing/scripted-model.ts';
import { useTestScope } from './helpers/test-scope.ts';
import type { TestClient } from './helpers/ws-client.ts';

const API_KEY = 'sk-test-LEAKME-0123456789abcdef';
const MODEL = 'gpt-fake-model';
/** Words of the upstream's error bodies: the operator's log has them, the visitor never does. */
const BODY_MARKER = 'upstream-body-detail-7f3a';
/** An environment variable no machine sets: the HTTP tool below needs it. */
const UNSET_SECRET = 'AGENT_CHAT_TEST_UNSET_SECRET_9D2C';

function testWorkflow(extra: Partial<WorkflowInput> = {}, agent: Partial<WorkflowInput['agents'][number]> = {}): Workflow {
  return Workflow.parse({
    id: 'errors',
    name: 'Errors',
    entryAgent: 'helper',
    model: MODEL,
    agents: [{ id: 'helper', name: 'Helper', instructions: 'Help.', ...agent }],
    ...extra,
  });
}

/** Everything a visitor could read: every frame the socket received, as JSON. */
function visitorText(client: TestClient): string {
  expect(client.invalid).toEqual([]);
  return JSON.stringify(client.received);
}

/** No stack frame (`at fn (file:1:2)`), no file path, no error class name in what the visitor read. */
function expectNoInternals(text: string, secrets: readonly string[]): void {
  expect(text).not.toMatch(/\bat .*:\d+:\d+/);
  expect(text).not.toMatch(/node_modules|\/src\/|\.ts\b/);
  expect(text).not.toMatch(/\b(TypeError|APIError|AuthenticationError|RateLimitError|InternalServerError|APIConnectionError)\b/);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function entry(log: MemoryLogger, message: string): LogEntry {
  const found = log.entries.find((e) => e.message === message);
  if (!found) throw new Error(`no log entry "${message}"; log:\n${log.text()}`);
  return found;
}

describe('What a visitor reads when something fails, and what the operator logs', () => {
  const scope = useTestScope();
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  /** Boots the real stack on `models`, sends one message and waits for its run to end. */
  async function sendOne(models: ModelProvider, workflow = testWorkflow(), extra: { tools?: ReturnType<typeof defineTool>[] } = {}) {
    const log = createMemoryLogger();
    const server = await scope.boot({ models, workflows: new Map([[workflow.id, workflow]]), log, ...extra });
    const { client } = await scope.connect(server);
    const opened = await client.request({ type: 'thread.create', workflow: workflow.id });
    const threadId = (opened as { thread: { id: string } }).thread.id;
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'm1', text: 'What is the weather in Paris?' });
    const runId = (accepted as { runId: string }).runId;
    const finished = await client.runFinished(runId);
    return { client, log, threadId, runId, finished };
  }

  const upstreamProvider = (timeoutMs = 5_000, baseURL = upstream.url) =>
    createModelProvider({ apiKey: API_KEY, baseURL, maxRetries: 0, timeoutMs });

  const statusCases: Array<{ name: string; reply: FakeReply; status: number; message: string }> = [
    {
      name: 'a rejected key (401)',
      reply: {
        status: 401,
        body: { error: { message: `Incorrect API key provided: ${API_KEY}. ${BODY_MARKER} https://platform.openai.com/account/api-keys`, type: 'invalid_request_error', code: 'invalid_api_key', param: null } },
      },
      status: 401,
      message: UPSTREAM_MESSAGES.auth,
    },
    {
      name: 'a rate limit (429)',
      reply: {
        status: 429,
        headers: { 'x-should-retry': 'false' },
        body: { error: { message: `Rate limit reached for ${MODEL} in organization org-SECRETORG. ${BODY_MARKER}`, type: 'requests', code: 'rate_limit_exceeded', param: null } },
      },
      status: 429,
      message: UPSTREAM_MESSAGES.rateLimited,
    },
    {
      name: 'a server error with a body (500)',
      reply: { status: 500, headers: { 'x-should-retry': 'false' }, body: { error: { message: `Traceback at /srv/app/main.py line 3: ${BODY_MARKER}`, type: 'server_error', code: null, param: null } } },
      status: 500,
      message: UPSTREAM_MESSAGES.overloaded,
    },
  ];

  for (const { name, reply, status, message } of statusCases) {
    it(`${name}: the visitor reads a short retryable message; the log has ids, model, status and the body`, async () => {
      upstream.enqueue(reply);
      const { client, log, threadId, runId, finished } = await sendOne(upstreamProvider());
      expect(finished).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message } });
      expectNoInternals(visitorText(client), [API_KEY, 'LEAKME', BODY_MARKER, 'SECRETORG', upstream.url, '127.0.0.1:', 'platform.openai.com', '/srv/']);

      const failure = entry(log, 'model call failed');
      expect(failure.level).toBe('warn');
      expect(failure.fields).toMatchObject({ threadId, runId, agentId: 'helper', model: MODEL, status, code: 'upstream_error' });
      expect(log.text()).toContain(BODY_MARKER);
      // Logged once, and never with our own request's credentials.
      expect(log.entries.filter((e) => e.message === 'model call failed')).toHaveLength(1);
      expect(log.text()).not.toContain(`Bearer ${API_KEY}`);
    });
  }

  it('a refused connection: "could not be reached", logged with the ids and the cause', async () => {
    const closed = createHttpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { client, log, threadId, runId, finished } = await sendOne(upstreamProvider(5_000, `http://127.0.0.1:${port}/v1`));
    expect(finished).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: UPSTREAM_MESSAGES.unreachable } });
    expectNoInternals(visitorText(client), [API_KEY, `${port}`, 'ECONNREFUSED']);
    expect(entry(log, 'model call failed').fields).toMatchObject({ threadId, runId, agentId: 'helper', model: MODEL });
    expect(log.text()).toContain('ECONNREFUSED');
  });

  it('a stream that goes silent: the timeout message, logged with the ids', async () => {
    upstream.enqueue({ fixture: 'responses-text.sse', stallAfterFrames: 1 });
    const { client, log, threadId, runId, finished } = await sendOne(upstreamProvider(300));
    expect(finished).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: UPSTREAM_MESSAGES.timeout } });
    expectNoInternals(visitorText(client), [API_KEY, upstream.url]);
    expect(entry(log, 'model call failed').fields).toMatchObject({ threadId, runId, agentId: 'helper', model: MODEL });
  });

  it('an HTTP tool whose secret is unset: after Approve the visitor reads "unavailable", the log names the variable', async () => {
    expect(process.env[UNSET_SECRET]).toBeUndefined();
    const model = new ScriptedModel([
      toolCallsResponse(toolCallEvent('weather_api', { city: 'Paris' }, 'call_w1')),
      textResponse('Sorry, the weather service is down.'),
    ]);
    const workflow = testWorkflow(
      {
        tools: [
          {
            name: 'weather_api',
            description: 'Weather for a city',
            kind: 'http',
            url: 'https://weather.invalid/v1/{city}',
            allowedHosts: ['weather.invalid'],
            headers: { Authorization: { env: UNSET_SECRET, prefix: 'Bearer ' } },
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            needsApproval: true,
          },
        ],
      },
      { tools: ['weather_api'] },
    );
    const { client, log, threadId, finished } = await sendOne(new ScriptedProvider(model), workflow);
    expect(finished.status).toBe('interrupted');
    client.send({ type: 'tool.approval', threadId, callId: 'call_w1', approved: true });
    const started = await client.waitFor((m) => m.type === 'run.started' && m.runId !== finished.runId);
    const second = await client.runFinished((started as { runId: string }).runId);
    expect(second.status).toBe('completed');

    const call = client.events(threadId).filter((e) => e.type === 'item.done' && e.item.type === 'tool_call').at(-1);
    expect(call).toMatchObject({ item: { status: 'failed', error: 'The weather_api tool is unavailable right now.' } });
    expectNoInternals(visitorText(client), [UNSET_SECRET, 'environment variable', 'weather.invalid/v1']);
    // The model's answer reaches the visitor too, so the model never read the variable's name either.
    expect(JSON.stringify(model.requests[1]?.input)).not.toContain(UNSET_SECRET);

    const failure = entry(log, 'tool call failed');
    expect(failure.fields).toMatchObject({ threadId, runId: (started as { runId: string }).runId, agentId: 'helper', tool: 'weather_api', callId: 'call_w1' });
    expect(failure.fields.detail).toContain(UNSET_SECRET);
  });

  it('a site tool that throws a plain Error shows a generic message; a ToolError keeps its own', async () => {
    const leaky = defineTool({
      name: 'leaky',
      description: 'fails with internals',
      parameters: z.object({}),
      execute: () => {
        throw new Error('ENOENT: no such file /srv/secrets/db.key (token sk-live-LEAK)');
      },
    });
    const careful = defineTool({
      name: 'careful',
      description: 'fails on purpose',
      parameters: z.object({}),
      execute: () => {
        throw new ToolError('No order 42 was found. Ask the visitor to check the number.');
      },
    });
    const model = new ScriptedModel([
      toolCallsResponse(toolCallEvent('leaky', {}, 'call_l'), toolCallEvent('careful', {}, 'call_c')),
      textResponse('Something went wrong with one lookup.'),
    ]);
    const { client, log, threadId, finished } = await sendOne(new ScriptedProvider(model), testWorkflow({}, { tools: ['leaky', 'careful'] }), {
      tools: [leaky, careful],
    });
    expect(finished.status).toBe('completed');
    const calls = client.events(threadId).flatMap((e) => (e.type === 'item.done' && e.item.type === 'tool_call' ? [e.item] : []));
    expect(calls.find((c) => c.name === 'leaky')).toMatchObject({ status: 'failed', error: 'The leaky tool failed.' });
    expect(calls.find((c) => c.name === 'careful')).toMatchObject({ status: 'failed', error: 'No order 42 was found. Ask the visitor to check the number.' });
    expectNoInternals(visitorText(client), ['/srv/secrets', 'sk-live', 'ENOENT']);
    expect(JSON.stringify(model.requests[1]?.input)).not.toContain('/srv/secrets');

    const leak = log.entries.find((e) => e.message === 'tool call failed' && e.fields.tool === 'leaky');
    expect(leak?.level).toBe('error');
    expect(leak?.fields).toMatchObject({ threadId, agentId: 'helper', callId: 'call_l' });
    expect(log.text()).toContain('/srv/secrets/db.key');
    expect(log.entries.find((e) => e.fields.tool === 'careful')?.level).toBe('warn');
  });

  it('a tripped guardrail is logged with its name and stage, not the visitor text', async () => {
    const model = new ScriptedModel([textResponse('never')]);
    const workflow = testWorkflow({}, { inputGuardrails: [{ kind: 'blocklist', words: ['Paris'] }] });
    const { client, log, threadId, runId, finished } = await sendOne(new ScriptedProvider(model), workflow);
    expect(finished.status).toBe('blocked');
    expect(visitorText(client)).toContain('"type":"guardrail"');
    const trip = entry(log, 'guardrail tripped');
    expect(trip.fields).toMatchObject({ threadId, runId, agentId: 'helper', guardrail: 'blocklist', stage: 'input' });
    expect(log.text()).not.toContain('What is the weather in Paris?');
  });
});
