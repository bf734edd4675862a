import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalCase } from '@agent-chat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextScreen } from '../../src/agents/guardrails/screen-text.ts';
import { evalCommand } from '../../src/cli/eval-command.ts';
import type { EvalEnvironment } from '../../src/evals/eval-environment.ts';
import { createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { createHarness } from '../helpers/conversation-harness.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';
import { DEMO, demoEnvironment } from './demo-eval.ts';

// Threads made through the real conversation service on a SQLite file (the demo's workflows,
// the offline model), then exported by `agent-chat eval export` from DATA_DIR, and the exported
// case played back by `agent-chat eval`.
const OWNER = 'visitor:vis_eval';
let dir: string;
let env: EvalEnvironment;
const threads: Record<'refund' | 'order' | 'hello', string> = { refund: '', order: '', hello: '' };

beforeAll(async () => {
  dir = tempDataDir();
  env = demoEnvironment();
  const h = createHarness(createSqliteStorage(dir), {
    workflows: env.workflows,
    runAgent: env.createRunAgent(env.models),
    screenText: createTextScreen({ models: env.models }),
  });
  const say = async (threadId: string, text: string, n: number) => {
    const { runId } = await h.service.sendMessage(OWNER, { threadId, clientMessageId: `c${n}`, text });
    await h.finished(threadId, runId);
  };
  const open = async () => {
    const threadId = (await h.service.createThread(OWNER, 'support')).thread.id;
    await h.watch(OWNER, threadId);
    return threadId;
  };
  try {
    threads.refund = await open();
    await say(threads.refund, 'I was charged twice for order 1234, please refund the duplicate', 1);
    const [waiting] = await h.storage.items.withStatus(threads.refund, 'awaiting_approval');
    if (waiting?.type !== 'tool_call') throw new Error('no call awaits approval');
    const { runId } = await h.service.approveTool(OWNER, { threadId: threads.refund, callId: waiting.callId, approved: true });
    await h.finished(threads.refund, runId!);

    threads.order = await open();
    await say(threads.order, 'Where is order 5678?', 1);
    const answer = (await h.storage.items.all(threads.order)).filter((i) => i.type === 'assistant_message').at(-1)!;
    await h.service.feedback(OWNER, { threadId: threads.order, itemId: answer.id, rating: 'down', comment: 'too long' });

    threads.hello = await open();
    await say(threads.hello, 'hello', 1);
    const greeting = (await h.storage.items.all(threads.hello)).find((i) => i.type === 'assistant_message')!;
    await h.service.feedback(OWNER, { threadId: threads.hello, itemId: greeting.id, rating: 'up' });
  } finally {
    await h.service.shutdown();
    await h.close();
  }
});

afterAll(async () => {
  await env?.close();
  if (dir) removeDir(dir);
});

const ioFor = () => capturedIo({ DATA_DIR: dir, WORKFLOWS_DIR: DEMO.workflows, CONNECTORS_FILE: DEMO.connectors });

describe('agent-chat eval export', () => {
  it('a thread becomes a case: user turns, the approval as decided, starter graders; played back, it passes', async () => {
    const out = join(dir, 'refund.jsonl');
    const io = ioFor();
    expect(await evalCommand(['export', '--thread', threads.refund, '--out', out], io)).toBe(0);
    expect(io.err()).toBe(`1 case written to ${out.startsWith(process.cwd()) ? out.slice(process.cwd().length + 1) : out}\n`);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const exported = JSON.parse(lines[0]!) as EvalCase;
    expect(exported).toMatchObject({
      id: threads.refund,
      workflow: 'support',
      turns: [{ user: 'I was charged twice for order 1234, please refund the duplicate' }, { approve: true, tool: 'refund_order' }],
    });
    expect(exported.graders).toEqual([
      { type: 'handed_off_to', agent: 'billing' },
      { type: 'approval_requested', tool: 'refund_order' },
      { type: 'tool_called', name: 'refund_order' },
      { type: 'contains', value: 'Done: I refunded order **1234**.' },
    ]);

    const play = ioFor();
    const played = await evalCommand([out, '--tools', DEMO.tools], play);
    expect(played).toBe(0);
    expect(play.out()).toContain('default: 1/1 passed (100%)');
  });

  it('--feedback down: every thumbs-down thread, one case each, to stdout', async () => {
    const io = ioFor();
    expect(await evalCommand(['export', '--feedback', 'down'], io)).toBe(0);
    const cases = io.lines().map((line) => JSON.parse(line) as EvalCase);
    expect(cases.map((c) => c.id)).toEqual([threads.order]);
    expect(cases[0]).toMatchObject({ turns: [{ user: 'Where is order 5678?' }] });
    expect(cases[0]!.graders).toContainEqual({ type: 'tool_called', name: 'lookup_order' });
  });

  it('an unknown thread exits 1 and names it; no thread and no --feedback exits 2', async () => {
    const io = ioFor();
    expect(await evalCommand(['export', '--thread', threads.hello, '--thread', 'thr_missing'], io)).toBe(1);
    expect(io.lines()).toHaveLength(1);
    expect(io.err()).toBe('agent-chat eval export: no thread "thr_missing"\n');
    const bare = ioFor();
    expect(await evalCommand(['export'], bare)).toBe(2);
    expect(bare.err()).toMatch(/^agent-chat eval export: name a thread \(--thread <id>\) or --feedback down/);
    expect(await evalCommand(['export', '--feedback', 'sideways'], ioFor())).toBe(2);
  });

  it('a DATA_DIR with no database exits 1 and creates nothing there', async () => {
    const empty = join(dir, 'not-the-server');
    mkdirSync(empty);
    const io = capturedIo({ DATA_DIR: empty, WORKFLOWS_DIR: DEMO.workflows, CONNECTORS_FILE: DEMO.connectors });
    expect(await evalCommand(['export', '--thread', threads.hello], io)).toBe(1);
    expect(io.err()).toMatch(/^agent-chat eval export: no database at .*not-the-server\/agent-chat\.db/);
    expect(readdirSync(empty)).toEqual([]);
  });
});
