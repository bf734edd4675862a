import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workflow } from '@agent-chat/shared';
import { WorkflowLoadError } from '../agents/errors.ts';
import { parseJsonText } from '../json-text.ts';
import { branchIssue, formatPath, issueMessage } from '../zod-issues.ts';
import { checkWorkflow, type Problem, type WorkflowRegistries } from './check-workflow.ts';

export { WorkflowLoadError };
export type { WorkflowRegistries };

/** A validated workflow, ready for `RunInput.workflow`. */
export type LoadedWorkflow = Workflow;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fields the schema does not know (zod drops them silently): a typo such as `handofs` would
 * otherwise quietly do nothing. Compares the file with what parsing kept.
 */
function unknownFields(raw: unknown, parsed: unknown, path: PropertyKey[] = []): Problem[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) return raw.flatMap((item, i) => unknownFields(item, parsed[i], [...path, i]));
  if (!isRecord(raw) || !isRecord(parsed)) return [];
  return Object.keys(raw).flatMap((key) =>
    key in parsed ? unknownFields(raw[key], parsed[key], [...path, key]) : [{ path: formatPath([...path, key]), message: 'unknown field' }],
  );
}

/** A problem in a workflow file, as the line the operator reads. */
export interface FileProblem {
  /** `support.json: agents[2].handoffs[0]: unknown agent "biling"`, or `support.json:3:7: invalid JSON: …`. */
  line: string;
  /** A tool or custom guardrail name no registry given provides (see `Problem.unresolved`). */
  unresolved?: Problem['unresolved'];
}

function fileProblem(file: string, problem: Problem): FileProblem {
  const line = problem.path ? `${file}: ${problem.path}: ${problem.message}` : `${file}: ${problem.message}`;
  return problem.unresolved ? { line, unresolved: problem.unresolved } : { line };
}

/**
 * Parses and checks one workflow file's text. `workflow` is set once the schema accepts the
 * file, even when cross-checks then find problems; each problem names the file and field
 * (e.g. `support.json: agents[2].handoffs[0]: unknown agent "biling"`).
 */
export function parseWorkflowFile(file: string, text: string, registries: WorkflowRegistries): { workflow?: Workflow; problems: FileProblem[] } {
  const json = parseJsonText(file, text);
  if (!json.ok) return { problems: [{ line: json.problem }] };
  const raw = json.value;
  const result = Workflow.safeParse(raw);
  if (!result.success) {
    return {
      problems: result.error.issues.map(branchIssue).map((issue) => fileProblem(file, { path: formatPath(issue.path), message: issueMessage(issue) })),
    };
  }
  const problems = [...unknownFields(raw, result.data), ...checkWorkflow(result.data, registries)];
  return { workflow: result.data, problems: problems.map((p) => fileProblem(file, p)) };
}

/** Every workflow file of a directory read and checked, with all the problems found. */
export interface WorkflowFiles {
  /** The workflows the schema accepted, by id (the first file wins a duplicate id), problems or not. */
  workflows: Map<string, Workflow>;
  /** Every problem of every file, in file order; empty when all is well. */
  problems: FileProblem[];
}

/**
 * Reads every `*.json` in `dir` (sorted by name) and checks it: the shared schema, then the
 * cross-checks (entry agent, handoff targets, tools, custom guardrails, regexes, HTTP tool URLs)
 * and workflow ids unique across files. Never throws: problems are collected, so a caller can
 * report them all at once. Problems name files `<displayDir>/<file>` (just `<file>` by default).
 */
export function readWorkflowFiles(dir: string, registries: WorkflowRegistries, { displayDir = '' }: { displayDir?: string } = {}): WorkflowFiles {
  const workflows = new Map<string, Workflow>();
  const shown = (name: string) => (displayDir ? join(displayDir, name) : name);
  let files: string[];
  try {
    files = readdirSync(dir, { withFileTypes: true })
      // Symbolic links too: a Kubernetes ConfigMap mounts each file as one.
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.json'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { workflows, problems: [{ line: `${displayDir || dir}: cannot read the workflows directory (${code})` }] };
  }
  if (files.length === 0) return { workflows, problems: [{ line: `${displayDir || dir}: no workflow files (*.json)` }] };

  const fileOf = new Map<string, string>();
  const problems: FileProblem[] = [];
  for (const name of files) {
    const file = shown(name);
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch (error) {
      problems.push({ line: `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` });
      continue;
    }
    const parsed = parseWorkflowFile(file, text, registries);
    problems.push(...parsed.problems);
    if (!parsed.workflow) continue;
    const { id } = parsed.workflow;
    const first = fileOf.get(id);
    if (first) {
      problems.push({ line: `${file}: id: duplicate workflow id "${id}" (also in ${first})` });
      continue;
    }
    fileOf.set(id, file);
    workflows.set(id, parsed.workflow);
  }
  return { workflows, problems };
}

/**
 * Loads every workflow in `dir` for a server (`readWorkflowFiles`, which does every check).
 * Throws one `WorkflowLoadError` listing every problem of every file.
 */
export function loadWorkflows(dir: string, registries: WorkflowRegistries): Map<string, Workflow> {
  const { workflows, problems } = readWorkflowFiles(dir, registries);
  if (problems.length > 0) throw new WorkflowLoadError(problems.map((p) => p.line));
  return workflows;
}
