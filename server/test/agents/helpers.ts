import { type Item, type ThreadEventBody, Workflow, type WorkflowInput } from '@agent-chat/shared';
import type { RunAgentDeps } from '../../src/agents/run-loop.ts';
import { createRunAgent } from '../../src/agents/run-loop.ts';
import type { ApprovalDecision, RunContext, RunInput } from '../../src/agents/run-types.ts';
import { ToolRegistry } from '../../src/agents/tool.ts';
import type { Tool } from '../../src/agents/tool.ts';
import { ScriptedModel, ScriptedProvider, type ScriptedResponse } from '../../src/testing/scripted-model.ts';

type AgentInput = WorkflowInput['agents'][number];

/** A workflow from a few agents (validated by the shared schema, defaults applied). */
export function workflow(agents: AgentInput[], extra: Partial<WorkflowInput> = {}): Workflow {
  return Workflow.parse({ id: 'test', name: 'Test', entryAgent: agents[0]?.id, agents, ...extra });
}

let counter = 0;
/** Ids that are unique and readable in failures. */
export function nextId(prefix = 'itm'): string {
  counter += 1;
  return `${prefix}_${counter}`;
}

export function userMessage(text: string): Extract<Item, { type: 'user_message' }> {
  return { id: nextId('usr'), type: 'user_message', text, attachments: [], createdAt: new Date(0).toISOString() };
}

export function context(signal: AbortSignal = new AbortController().signal): RunContext {
  return { newId: () => nextId(), now: () => new Date(0), signal };
}

/** Applies thread events to a list of items the way the conversation service stores them (the eval runner's own). */
export { applyEvents } from '../../src/evals/play-case.ts';

/** Everything a run test needs: the scripted model, the runner, and a way to run it. */
export function setup(options: { responses?: ScriptedResponse[]; tools?: Tool[]; deps?: Partial<RunAgentDeps> } = {}) {
  const model = new ScriptedModel(options.responses ?? []);
  const provider = new ScriptedProvider(model);
  const logs: string[] = [];
  const runAgent = createRunAgent({
    models: provider,
    tools: new ToolRegistry(options.tools ?? []),
    log: (message) => logs.push(message),
    ...options.deps,
  });
  return { model, provider, runAgent, logs };
}

/** Runs to the end and returns every event. */
export async function collect(source: AsyncIterable<ThreadEventBody>): Promise<ThreadEventBody[]> {
  const events: ThreadEventBody[] = [];
  for await (const event of source) events.push(event);
  return events;
}

/** The input of a run started by a visitor's message. */
export function messageInput(wf: Workflow, text: string, history: Item[] = [], agentId = wf.entryAgent): RunInput {
  const message = userMessage(text);
  return { runId: nextId('run'), threadId: 'thr_test', workflow: wf, agentId, history: [...history, message], trigger: { kind: 'message', message } };
}

/** The input of a run that continues after approvals. */
export function approvalInput(wf: Workflow, history: Item[], decisions: ApprovalDecision[], agentId = wf.entryAgent): RunInput {
  return { runId: nextId('run'), threadId: 'thr_test', workflow: wf, agentId, history, trigger: { kind: 'approval', decisions } };
}

export function finished(events: readonly ThreadEventBody[]) {
  const last = events.at(-1);
  if (last?.type !== 'run.finished') throw new Error(`last event is ${last?.type}`);
  return last;
}

/** Final states of items of a type, from item.done events. */
export function doneItems<T extends Item['type']>(events: readonly ThreadEventBody[], type: T): Extract<Item, { type: T }>[] {
  return events.flatMap((e) => (e.type === 'item.done' && e.item.type === type ? [e.item as Extract<Item, { type: T }>] : []));
}

/** Checks the run contract: run.started first, exactly one run.finished, last. */
export function assertRunShape(events: readonly ThreadEventBody[]): void {
  if (events[0]?.type !== 'run.started') throw new Error('first event is not run.started');
  const finishes = events.filter((e) => e.type === 'run.finished').length;
  if (finishes !== 1 || events.at(-1)?.type !== 'run.finished') throw new Error(`expected one final run.finished, got ${finishes}`);
}
