import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workflow } from '@agent-chat/shared';
import { WorkflowLoadError } from '../agents/errors.ts';
import { parseJsonText } from '../json-text.ts';
import { formatPath, issueMessage } from '../zod-issues.ts';
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

function line(file: string, problem: Problem): string {
  return problem.path ? `${file}: ${problem.path}: ${problem.message}` : `${file}: ${problem.message}`;
}

/**
 * Parses and checks one workflow file's text. Returns the workflow, or the problems found, each
 * a line `file: path: message` (e.g. `support.json: agents[2].handoffs[0]: unknown agent "biling"`).
 */
export function parseWorkflowFile(file: string, text: string, registries: WorkflowRegistries): { workflow?: Workflow; problems: string[] } {
  const json = parseJsonText(file, text);
  if (!json.ok) return { problems: [json.problem] };
  const raw = json.value;
  const result = Workflow.safeParse(raw);
  if (!result.success) {
    return { problems: result.error.issues.map((issue) => line(file, { path: formatPath(issue.path), message: issueMessage(issue) })) };
  }
  const problems = [...unknownFields(raw, result.data), ...checkWorkflow(result.data, registries)];
  return problems.length > 0 ? { problems: problems.map((p) => line(file, p)) } : { workflow: result.data, problems: [] };
}

/**
 * Loads every `*.json` in `dir` (sorted by name) and validates it: the shared schema, then the
 * cross-checks (entry agent, handoff targets, tools, custom guardrails, regexes, HTTP tool URLs)
 * and workflow ids unique across files. Throws one `WorkflowLoadError` listing every problem.
 */
export function loadWorkflows(dir: string, registries: WorkflowRegistries): Map<string, Workflow> {
  let files: string[];
  try {
    files = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new WorkflowLoadError([`${dir}: cannot read the workflows directory (${code})`]);
  }
  if (files.length === 0) throw new WorkflowLoadError([`${dir}: no workflow files (*.json)`]);

  const workflows = new Map<string, Workflow>();
  const fileOf = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    const parsed = parseWorkflowFile(file, readFileSync(join(dir, file), 'utf8'), registries);
    problems.push(...parsed.problems);
    if (!parsed.workflow) continue;
    const { id } = parsed.workflow;
    const first = fileOf.get(id);
    if (first) {
      problems.push(`${file}: id: duplicate workflow id "${id}" (also in ${first})`);
      continue;
    }
    fileOf.set(id, file);
    workflows.set(id, parsed.workflow);
  }
  if (problems.length > 0) throw new WorkflowLoadError(problems);
  return workflows;
}
