/**
 * Run traces exported over OTLP/HTTP to a loopback receiver that decodes the real protobuf
 * payloads: what arrives is the stored trace (names, ids, parent links, attributes, events), a
 * trace sent again after a crash has the same ids, and an outage is retried, not lost.
 */
import { RunTrace } from '@agent-chat/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.ts';
import { createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { type TestServer, tempDataDir } from '../helpers/test-server.ts';

const QUESTION = 'I was charged twice for order 1234';

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('OTLP trace export (loopback receiver, real protobuf)', () => {
  const scope = useTestScope();
  const receivers: OtlpReceiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });
  async function receiver() {
    const r = await startOtlpReceiver();
    receivers.push(r);
    return r;
  }
  const otlpEnv = (r: OtlpReceiver, extra: Record<string, string> = {}) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
    OTEL_BSP_SCHEDULE_DELAY: '20',
    ...extra,
  });

  async function ask(s: TestServer): Promise<{ threadId: string; runId: string }> {
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'support' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: 'q', text: QUESTION });
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    await client.runFinished(runId);
    return { threadId, runId };
  }

  async function storedTrace(s: TestServer, runId: string): Promise<RunTrace> {
    const row = await s.server.storage.traces.get(runId);
    if (!row) throw new Error(`no trace stored for ${runId}`);
    return RunTrace.parse(JSON.parse(row.json));
  }

  it('Should send each finished run as one trace: stored ids, parent links, GenAI attributes, resource and headers', async () => {
    const r = await receiver();
    const s = await scope.boot({
      env: otlpEnv(r, { OTEL_SERVICE_NAME: 'chat-under-test', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%3Dcret' }),
    });
    const { threadId, runId } = await ask(s);
    const trace = await storedTrace(s, runId);
    await until(() => r.spans().length >= trace.spans.length);
    await until(async () => (await s.server.storage.traces.get(runId))?.exportedAt != null);

    expect(r.requests[0]?.contentType).toBe('application/x-protobuf');
    expect(r.requests[0]?.headers['x-api-key']).toBe('s=cret');
    const got = r.spans();
    // Exactly the stored spans, with the stored ids and links.
    expect(got.map((x) => [x.spanId, x.parentSpanId, x.name]).sort()).toEqual(trace.spans.map((x) => [x.spanId, x.parentSpanId ?? '', x.name]).sort());
    expect(new Set(got.map((x) => x.traceId))).toEqual(new Set([trace.traceId]));
    expect(got[0]?.resource).toMatchObject({ 'service.name': 'chat-under-test', 'deployment.environment': 'test' });
    expect(got[0]?.scope).toBe('agent-chat');

    const root = got.find((x) => x.parentSpanId === '')!;
    expect(root).toMatchObject({ name: 'invoke_agent triage', kind: 1, status: { code: 1 } });
    expect(root.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': threadId, 'agent_chat.run.id': runId, 'agent_chat.run.status': 'completed' });
    const billing = got.find((x) => x.name === 'invoke_agent billing')!;
    expect(billing.parentSpanId).toBe(root.spanId);
    const chats = got.filter((x) => x.name.startsWith('chat '));
    expect(chats.length).toBeGreaterThanOrEqual(3);
    for (const chat of chats) {
      expect(chat.kind).toBe(3); // client
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(typeof chat.attributes['gen_ai.usage.output_tokens']).toBe('number');
      expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4.1-mini');
      expect(chat.endMs).toBeGreaterThanOrEqual(chat.startMs);
    }
    expect(chats.map((c) => c.attributes['gen_ai.response.finish_reasons'])).toContainEqual(['stop']);
    expect(chats.map((c) => c.attributes['gen_ai.response.finish_reasons'])).toContainEqual(['tool_calls']);
    const tool = got.find((x) => x.name === 'execute_tool lookup_order')!;
    expect(tool.parentSpanId).toBe(billing.spanId);
    expect(tool.attributes).toMatchObject({ 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.type': 'function', 'agent_chat.tool.kind': 'function', 'agent_chat.tool.status': 'completed' });
    // Content is off by default: nothing the visitor wrote, nor the answer, nor tool arguments.
    const all = JSON.stringify(got);
    expect(all).not.toContain('charged twice');
    expect(all).not.toContain('gen_ai.tool.call.arguments');
    expect(all).not.toContain('gen_ai.output.messages');

    const metrics = parsePrometheusText(await (await fetch(`${s.url}/metrics`)).text());
    expect(valueOf(metrics, 'agent_chat_traces_exported_total')).toBeGreaterThanOrEqual(1);
  });

  it('Should send a trace again after a crash before it was marked exported with the same trace and span ids (no duplicate trace)', async () => {
    const r = await receiver();
    const dataDir = tempDataDir();
    scope.dirs.push(dataDir);
    const first = await scope.boot({ dataDir, env: otlpEnv(r) });
    const { runId } = await ask(first);
    const trace = await storedTrace(first, runId);
    await until(async () => (await first.server.storage.traces.get(runId))?.exportedAt != null);
    await first.close();
    const sentFirst = r.spans().map((x) => `${x.traceId}/${x.spanId}`).sort();

    // The crash came after the receiver took the trace and before it was marked sent.
    const storage = createSqliteStorage(dataDir);
    storage.db.prepare('UPDATE run_traces SET exported_at = NULL').run();
    await storage.close();
    const before = r.spans().length;
    const second = await scope.boot({ dataDir, env: otlpEnv(r) });
    await until(() => r.spans().length >= before + trace.spans.length);
    await until(async () => (await second.server.storage.traces.get(runId))?.exportedAt != null);
    const sentAgain = r.spans().slice(before).map((x) => `${x.traceId}/${x.spanId}`).sort();
    expect(sentAgain).toEqual(sentFirst);
    expect(sentAgain).toEqual(trace.spans.map((x) => `${x.traceId}/${x.spanId}`).sort());
  });

  it('Should keep traces through a receiver outage, retry with backoff, warn once per outage, and send them once it is back', async () => {
    const r = await receiver();
    r.failNext(Number.MAX_SAFE_INTEGER, 503);
    const warnings: string[] = [];
    const infos: string[] = [];
    const log: Logger = { info: (message) => infos.push(message), error() {}, warn: (message) => warnings.push(message) };
    // A short export timeout: the exporter's own retries give up quickly and the server's backoff takes over.
    const s = await scope.boot({ log, env: otlpEnv(r, { OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '200' }) });
    const { runId } = await ask(s);
    const failures = async () => valueOf(parsePrometheusText(await (await fetch(`${s.url}/metrics`)).text()), 'agent_chat_trace_export_failures_total');
    await until(async () => (await failures()) >= 2, 15_000);
    expect((await s.server.storage.traces.get(runId))?.exportedAt).toBeNull();
    expect(r.spans()).toHaveLength(0);
    r.failNext(0, 503);
    await until(async () => (await s.server.storage.traces.get(runId))?.exportedAt != null, 15_000);
    expect(r.spans().some((x) => x.name === 'invoke_agent triage')).toBe(true);
    expect(warnings.filter((w) => w.includes('trace export failed'))).toHaveLength(1);
    expect(infos).toContain('trace export works again');
    const metrics = parsePrometheusText(await (await fetch(`${s.url}/metrics`)).text());
    expect(valueOf(metrics, 'agent_chat_traces_exported_total')).toBe(1);
  });

  it('Should send the traces that wait when the server closes (drain), without waiting for the next poll', async () => {
    const r = await receiver();
    const s = await scope.boot({ env: otlpEnv(r, { OTEL_BSP_SCHEDULE_DELAY: '600000' }) });
    const { runId } = await ask(s);
    const trace = await storedTrace(s, runId);
    expect(r.spans()).toHaveLength(0);
    await s.server.close();
    expect(r.spans().map((x) => x.spanId).sort()).toEqual(trace.spans.map((x) => x.spanId).sort());
  });
});
