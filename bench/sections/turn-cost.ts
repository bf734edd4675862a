/**
 * Section 2 — turn cost: our run loop against the `@openai/agents` runner, both driven by the same
 * scripted in-process model (triage calls the transfer tool, the specialist streams its answer),
 * no server, no SQLite. Batches of turns alternate between the two; each turn is streamed and its
 * every event consumed.
 */
import { Agent, type Model as AgentsModel, type ModelProvider as AgentsModelProvider, type ModelResponse, Runner, type StreamEvent, setTracingDisabled } from '@openai/agents';
import { Workflow } from '../../shared/src/index.ts';
import type { Item, ThreadEventBody } from '../../shared/src/index.ts';
import { createRunAgent } from '../../server/src/agents/run-loop.ts';
import type { Model, ModelEvent, ModelProvider } from '../../server/src/models/model.ts';
import { createBuiltinToolRegistry } from '../../server/src/workflows/builtin-tools.ts';
import { collectGarbage } from '../lib/env.ts';
import { fixed, ms, times, us } from '../lib/format.ts';
import { interleave } from '../lib/interleave.ts';
import { stats } from '../lib/stats.ts';
import { replyText, tokenText } from '../lib/token-source.ts';
import type { BenchRow, Section } from '../section.ts';

const TRIAGE = 'Route the visitor to the specialist.';
const SPECIALIST = 'Answer the question.';
const QUESTION = 'What does the Summit plan include?';

/** What the scripted model does on a call: the triage agent transfers, the specialist answers. */
type Step = { kind: 'transfer' } | { kind: 'answer'; tokens: number };

function stepFor(instructions: string, tokens: number): Step {
  return instructions === TRIAGE ? { kind: 'transfer' } : { kind: 'answer', tokens };
}

/** Our side: the `Model` the run loop streams from. */
function ourModel(answerTokens: () => number): ModelProvider {
  const model: Model = {
    async *stream(request): AsyncGenerator<ModelEvent> {
      const step = stepFor(request.instructions, answerTokens());
      if (step.kind === 'transfer') {
        yield { type: 'tool_call', callId: 'call_transfer', name: 'transfer_to_specialist', arguments: '{}' };
        yield { type: 'completed', usage: { inputTokens: 20, outputTokens: 5 } };
        return;
      }
      for (let i = 0; i < step.tokens; i++) yield { type: 'text_delta', delta: tokenText(i) };
      yield { type: 'completed', usage: { inputTokens: 20, outputTokens: step.tokens } };
    },
  };
  return { mode: 'offline', getModel: () => model };
}

/** Their side: the same script behind the Agents SDK's `Model`. */
function theirModel(answerTokens: () => number): AgentsModelProvider {
  let responses = 0;
  const respond = (step: Step, transferTool = ''): ModelResponse => {
    const usage = { requests: 1, inputTokens: 20, outputTokens: step.kind === 'answer' ? step.tokens : 5, totalTokens: 0 };
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
    const output: ModelResponse['output'] =
      step.kind === 'transfer'
        ? [{ type: 'function_call', callId: 'call_transfer', name: transferTool, arguments: '{}', status: 'completed' }]
        : [{ type: 'message', id: 'msg_answer', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: replyText(step.tokens) }] }];
    return { usage, output, responseId: `resp_${++responses}` } as unknown as ModelResponse;
  };
  const model: AgentsModel = {
    async getResponse(request) {
      return respond(stepFor(request.systemInstructions ?? '', answerTokens()), request.handoffs[0]?.toolName);
    },
    async *getStreamedResponse(request): AsyncGenerator<StreamEvent> {
      const step = stepFor(request.systemInstructions ?? '', answerTokens());
      yield { type: 'response_started' };
      if (step.kind === 'answer') for (let i = 0; i < step.tokens; i++) yield { type: 'output_text_delta', delta: tokenText(i) };
      const response = respond(step, request.handoffs[0]?.toolName);
      yield { type: 'response_done', response: { id: response.responseId!, usage: response.usage, output: response.output } } as StreamEvent;
    },
  };
  return { getModel: () => model };
}

const WORKFLOW = Workflow.parse({
  id: 'turn_cost',
  name: 'Turn cost',
  entryAgent: 'triage',
  agents: [
    { id: 'triage', name: 'Triage', instructions: TRIAGE, handoffs: [{ agent: 'specialist', description: 'Answers every question.' }] },
    { id: 'specialist', name: 'Specialist', instructions: SPECIALIST },
  ],
});

/** Measured per side: every turn's time, and per batch CPU and retained heap. */
interface SideSamples {
  turnMs: number[];
  cpuUs: number[];
  retainedBytes: number[];
}

/** Runs `batch` turns of `turn`, adding what they cost to `into`; returns the batch's mean ms per turn. */
async function runBatch(turn: () => Promise<void>, batch: number, into: SideSamples): Promise<number> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < batch; i++) {
    const t0 = performance.now();
    await turn();
    into.turnMs.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  into.cpuUs.push((cpu.user + cpu.system) / batch);
  if (collectGarbage()) into.retainedBytes.push((process.memoryUsage().heapUsed - heapBefore) / batch);
  return elapsed / batch;
}

/** Turn cost: ms, p99, CPU and retained heap per turn, ours against `@openai/agents`, 12 and 200 tokens. */
export const turnCost: Section = async ({ quick, log }) => {
  setTracingDisabled(true);
  const turns = quick ? 20 : 2000;
  const batch = quick ? 10 : 100;
  let answerTokens = 12;

  // Ours: the run loop alone, as the conversation service drives it.
  const runAgent = createRunAgent({ models: ourModel(() => answerTokens), tools: createBuiltinToolRegistry([]), log: () => {} });
  let ids = 0;
  const ours = async () => {
    const message: Extract<Item, { type: 'user_message' }> = { id: `itm_${++ids}`, type: 'user_message', createdAt: new Date().toISOString(), text: QUESTION, attachments: [] };
    let text = '';
    let finished: Extract<ThreadEventBody, { type: 'run.finished' }> | undefined;
    let handoff = false;
    const run = runAgent(
      { runId: `run_${ids}`, threadId: 'thr_bench', workflow: WORKFLOW, agentId: 'triage', history: [message], trigger: { kind: 'message', message } },
      { newId: () => `itm_${++ids}`, now: () => new Date(), signal: new AbortController().signal },
    );
    for await (const event of run) {
      if (event.type === 'text.delta') text += event.delta;
      else if (event.type === 'item.done' && event.item.type === 'handoff') handoff = true;
      else if (event.type === 'run.finished') finished = event;
    }
    if (finished?.status !== 'completed' || !handoff || text !== replyText(answerTokens)) {
      throw new Error(`turn-cost: our run ended ${finished?.status ?? 'without run.finished'}, handoff ${handoff}, ${text.length} characters`);
    }
  };

  // Theirs: the Agents SDK runner, streamed.
  const specialist = new Agent({ name: 'Specialist', instructions: SPECIALIST });
  const triage = new Agent({ name: 'Triage', instructions: TRIAGE, handoffs: [specialist] });
  const runner = new Runner({ modelProvider: theirModel(() => answerTokens), tracingDisabled: true });
  const theirs = async () => {
    const result = await runner.run(triage, QUESTION, { stream: true });
    let text = '';
    for await (const event of result) {
      if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text += event.data.delta;
    }
    await result.completed;
    if (result.lastAgent !== specialist || result.finalOutput !== replyText(answerTokens) || text !== replyText(answerTokens)) {
      throw new Error(`turn-cost: the Agents SDK run ended on ${result.lastAgent?.name}, ${text.length} characters streamed`);
    }
  };

  const rows: BenchRow[] = [];
  const data: Record<string, unknown> = { turns, batch, gc: collectGarbage() };
  for (const tokens of [12, 200]) {
    answerTokens = tokens;
    const samples = { ours: { turnMs: [], cpuUs: [], retainedBytes: [] } as SideSamples, theirs: { turnMs: [], cpuUs: [], retainedBytes: [] } as SideSamples };
    log(`${tokens} tokens: ${turns} turns a side in batches of ${batch}`);
    const means = await interleave(
      { ours: () => runBatch(ours, batch, samples.ours), theirs: () => runBatch(theirs, batch, samples.theirs) },
      { warmup: 1, rounds: turns / batch },
    );
    // The warm-up batch's turns were pushed too; keep only the measured ones.
    for (const side of [samples.ours, samples.theirs]) {
      side.turnMs.splice(0, batch);
      side.cpuUs.splice(0, 1);
      side.retainedBytes.splice(0, side.retainedBytes.length > turns / batch ? 1 : 0);
    }
    const o = { turn: stats(samples.ours.turnMs), cpu: stats(samples.ours.cpuUs), heap: stats(samples.ours.retainedBytes), batch: stats(means.ours) };
    const t = { turn: stats(samples.theirs.turnMs), cpu: stats(samples.theirs.cpuUs), heap: stats(samples.theirs.retainedBytes), batch: stats(means.theirs) };
    const heap = (s: ReturnType<typeof stats>) => (s.n === 0 ? 'n/a (no --expose-gc)' : `${fixed(s.median)} B`);
    rows.push(
      { figure: `${tokens} tokens: ms per turn, mean / p99 — ours`, value: `${ms(o.turn.mean)} / ${ms(o.turn.p99)}` },
      { figure: `${tokens} tokens: ms per turn, mean / p99 — @openai/agents`, value: `${ms(t.turn.mean)} / ${ms(t.turn.p99)}` },
      { figure: `${tokens} tokens: CPU per turn, median of batches — ours / theirs`, value: `${us(o.cpu.median)} / ${us(t.cpu.median)}` },
      { figure: `${tokens} tokens: heap retained per turn — ours / theirs`, value: `${heap(o.heap)} / ${heap(t.heap)}` },
      { figure: `${tokens} tokens: time per turn, ours ÷ theirs (mean; batch medians)`, value: `${times(o.turn.mean / t.turn.mean)} (${times(o.batch.median / t.batch.median)})` },
    );
    data[`tokens${tokens}`] = { ours: o, theirs: t, ratioMean: o.turn.mean / t.turn.mean, ratioCpu: o.cpu.median / t.cpu.median };
  }
  return { title: 'Turn cost: our run loop vs @openai/agents 0.20.0 (triage → handoff → specialist)', rows, data };
};
