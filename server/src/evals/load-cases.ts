import { readFileSync } from 'node:fs';
import { EvalCase } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import { branchIssue, formatPath, issueMessage } from '../zod-issues.ts';

/** A cases file that cannot be used: every problem, one line each (`file:line: path: message`). */
export class EvalCasesError extends AppError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('invalid_request', problems.join('\n'));
    this.problems = problems;
  }
}

/**
 * Parses the text of a JSONL cases file: one case per non-blank line (`#` lines are comments).
 * Every bad line is reported, with the file, the line number and the field, and ids must be unique.
 *
 * @throws EvalCasesError listing every problem.
 */
export function parseCases(file: string, text: string): EvalCase[] {
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const at = `${file}:${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`${at}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const result = EvalCase.safeParse(json);
    if (!result.success) {
      for (const issue of result.error.issues.map(branchIssue)) {
        const path = formatPath(issue.path);
        problems.push(`${at}: ${path ? `${path}: ` : ''}${issueMessage(issue)}`);
      }
      return;
    }
    const first = lineOf.get(result.data.id);
    if (first !== undefined) {
      problems.push(`${at}: id: duplicate case id "${result.data.id}" (also on line ${first})`);
      return;
    }
    lineOf.set(result.data.id, index + 1);
    cases.push(result.data);
  });
  if (problems.length === 0 && cases.length === 0) problems.push(`${file}: no cases`);
  if (problems.length > 0) throw new EvalCasesError(problems);
  return cases;
}

/**
 * Reads and parses a cases file (`parseCases`); `shown` is how the file is named in problems.
 *
 * @throws EvalCasesError when the file cannot be read or has bad lines.
 */
export function loadCases(path: string, shown: string = path): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EvalCasesError([`${shown}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`]);
  }
  return parseCases(shown, text);
}
