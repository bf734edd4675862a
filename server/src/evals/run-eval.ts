import type { EvalCase, Workflow } from '@agent-chat/shared';
import type { RunAgent } from '../agents/run-types.ts';
import type { ModelProvider } from '../models/model.ts';
import { countingProvider } from './counting-provider.ts';
import { assistantText, type GradeResult, grade, runUsage } from './graders.ts';
import { playCase } from './play-case.ts';
import { costOf, type PriceTable } from '../usage/prices.ts';

/** A version of the workflows to grade: a workflow file that replaces the cases' own, or (none) the configured ones. */
export interface EvalVariant {
  name: string;
  /**
   * Replaces the workflow with its id (and serves cases that name none); absent, every case runs
   * on the workflow it (or the default) names.
   */
  workflow?: Workflow;
}

/** Everything an eval needs: the server's workflows and a runner factory, the cases, the variants. */
export interface EvalOptions {
  cases: readonly EvalCase[];
  workflows: ReadonlyMap<string, Workflow>;
  /** The workflow of cases that name none (`--workflow`). */
  defaultWorkflow?: string | undefined;
  /** At least one; `[{ name: 'default' }]` grades the configured workflows. */
  variants: readonly EvalVariant[];
  models: ModelProvider;
  /** A run loop on the given models (the server's tools, guardrails and connectors bound). */
  createRunAgent: (models: ModelProvider) => RunAgent;
  /** Overrides every agent's model (`--model`). */
  model?: string | undefined;
  concurrency?: number;
  prices: PriceTable;
  signal?: AbortSignal;
  /** Called as each case finishes (progress). */
  onResult?: (result: CaseResult) => void;
}

/** One case graded on one variant. */
export interface CaseResult {
  variant: string;
  caseId: string;
  description?: string | undefined;
  workflow: string | undefined;
  pass: boolean;
  grades: GradeResult[];
  /** Why the case could not be played or graded (it fails). */
  error?: string | undefined;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Each run's wall clock, in turn order. */
  runLatenciesMs: number[];
  /** The assistant's words over the whole conversation. */
  text: string;
}

/** `workflow` with every agent on `model`. */
export function withModel(workflow: Workflow, model: string): Workflow {
  return { ...workflow, model, agents: workflow.agents.map((agent) => ({ ...agent, model })) };
}

function workflowOf(evalCase: EvalCase, variant: EvalVariant, options: EvalOptions): Workflow {
  const id = evalCase.workflow ?? options.defaultWorkflow;
  // A variant stands in for the workflow with its id; cases of other workflows run on their own.
  if (variant.workflow && (id === undefined || id === variant.workflow.id)) return variant.workflow;
  if (!id) throw new Error('the case names no workflow and no --workflow was given');
  const workflow = options.workflows.get(id);
  if (!workflow) throw new Error(`no workflow "${id}" (known: ${[...options.workflows.keys()].join(', ') || 'none'})`);
  return workflow;
}

/** Plays and grades one case on one variant. Never throws: an error fails the case with its message. */
export async function runCase(evalCase: EvalCase, variant: EvalVariant, options: EvalOptions): Promise<CaseResult> {
  const base = { variant: variant.name, caseId: evalCase.id, description: evalCase.description };
  const empty = { inputTokens: 0, outputTokens: 0, costUsd: 0, runLatenciesMs: [], text: '', grades: [] };
  let workflow: Workflow;
  try {
    workflow = workflowOf(evalCase, variant, options);
  } catch (error) {
    return { ...base, ...empty, workflow: evalCase.workflow, pass: false, error: (error as Error).message };
  }
  if (options.model) workflow = withModel(workflow, options.model);
  const signal = options.signal ?? new AbortController().signal;
  try {
    // A runner per case, so each case's model calls are counted apart.
    const counted = countingProvider(options.models);
    const modelCalls = new Map<number, number>();
    const runAgent = options.createRunAgent(counted.provider);
    const counting: RunAgent = (input, ctx) => {
      const before = counted.calls();
      return (async function* () {
        yield* runAgent(input, ctx);
        // Turns run one after the other and stop at the first that cannot run: the n-th run is turn n.
        modelCalls.set(modelCalls.size, counted.calls() - before);
      })();
    };
    const transcript = await playCase(evalCase, workflow, counting, signal);
    const ctx = { workflow, models: options.models, signal, modelCalls };
    const grades: GradeResult[] = [];
    for (const grader of evalCase.graders) grades.push(await grade(grader, transcript, ctx));
    const usage = transcript.runs.map(runUsage).reduce((a, b) => ({ inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens }), {
      inputTokens: 0,
      outputTokens: 0,
    });
    const entry = workflow.agents.find((a) => a.id === workflow.entryAgent);
    return {
      ...base,
      workflow: workflow.id,
      pass: !transcript.error && grades.every((g) => g.pass),
      grades,
      ...(transcript.error ? { error: transcript.error } : {}),
      ...usage,
      costUsd: costOf(options.prices, entry?.model ?? workflow.model, usage, options.models.mode === 'offline'),
      runLatenciesMs: transcript.runs.map((run) => run.latencyMs),
      text: assistantText(transcript.runs),
    };
  } catch (error) {
    return { ...base, ...empty, workflow: workflow.id, pass: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Every case on every variant, `concurrency` at a time; results in case order, variant by variant. */
export async function runEval(options: EvalOptions): Promise<CaseResult[]> {
  const tasks = options.variants.flatMap((variant) => options.cases.map((evalCase) => ({ variant, evalCase })));
  const results: CaseResult[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index]!;
      results[index] = await runCase(task.evalCase, task.variant, options);
      options.onResult?.(results[index]);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, tasks.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
