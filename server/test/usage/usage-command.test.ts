import { describe, expect, it } from 'vitest';
import type { ThreadUsage, UsageReport } from '@agent-chat/shared';
import { usageCommand } from '../../src/cli/usage-command.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { useTestScope } from '../helpers/test-scope.ts';
import { tempDataDir } from '../helpers/test-server.ts';

/**
 * `agent-chat usage` reads the ledger of a data directory a real server wrote (the demo support
 * workflow on the offline model): the same report as GET /v1/admin/usage, as a table or JSON.
 */
describe('agent-chat usage', () => {
  const scope = useTestScope();

  async function serverWithConversations() {
    const s = await scope.boot();
    const { client } = await scope.connect(s);
    const runs = [];
    for (const text of ['I was charged twice for order 1234', 'my login does not work']) {
      const opened = (await client.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
      const accepted = (await client.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: 'c', text })) as { runId: string };
      runs.push({ threadId: opened.thread.id, runId: accepted.runId, usage: (await client.runFinished(accepted.runId)).usage! });
    }
    return { s, runs };
  }

  it('Should print tokens per agent with a total, and the same numbers as JSON', async () => {
    const { s, runs } = await serverWithConversations();
    const env = { DATA_DIR: s.dataDir };
    const table = capturedIo(env);
    expect(await usageCommand(['--by', 'agent'], table)).toBe(0);
    const lines = table.lines();
    expect(lines[0]).toMatch(/^Usage \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\)$/);
    expect(lines[1]).toMatch(/^agent\s+calls\s+input tokens\s+output tokens\s+cost$/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['billing', 'technical', 'triage', 'total']));
    const input = runs.reduce((n, r) => n + r.usage.inputTokens, 0);
    // The offline model costs nothing.
    expect(lines.find((l) => l.startsWith('total'))).toMatch(new RegExp(`${input.toLocaleString('en-US')}\\s+[\\d,]+\\s+\\$0\\.0000$`));

    const json = capturedIo(env);
    expect(await usageCommand(['--by', 'workflow,provider', '--json'], json)).toBe(0);
    const report = JSON.parse(json.out()) as UsageReport;
    expect(report.rows).toEqual([
      expect.objectContaining({ workflow: 'support', provider: 'offline', calls: expect.any(Number), inputTokens: input, costUsd: 0 }),
    ]);

    const one = capturedIo(env);
    expect(await usageCommand(['--thread', runs[0]!.threadId, '--json'], one)).toBe(0);
    expect((JSON.parse(one.out()) as ThreadUsage).runs).toEqual([expect.objectContaining({ runId: runs[0]!.runId, ...runs[0]!.usage })]);
  });

  it('Should refuse bad flags, a missing database and an unknown thread, each with a clear message', async () => {
    const unused = tempDataDir();
    scope.dirs.push(unused);
    const bad = capturedIo({ DATA_DIR: unused });
    expect(await usageCommand(['--by', 'colour'], bad)).toBe(2);
    expect(bad.err()).toContain('--by takes day, site, workflow, agent, model, provider, not "colour"');
    const empty = tempDataDir();
    scope.dirs.push(empty);
    const none = capturedIo({ DATA_DIR: empty });
    expect(await usageCommand([], none)).toBe(1);
    expect(none.err()).toMatch(/no database at .*agent-chat\.db/);

    const { s } = await serverWithConversations();
    const missing = capturedIo({ DATA_DIR: s.dataDir });
    expect(await usageCommand(['--thread', 'thr_nope'], missing)).toBe(1);
    expect(missing.err()).toContain('no thread "thr_nope"');
    const period = capturedIo({ DATA_DIR: s.dataDir });
    expect(await usageCommand(['--from', '2020-01-01', '--to', '2020-01-07'], period)).toBe(0);
    expect(period.out()).toContain('No model calls in this period.');
  });
});
