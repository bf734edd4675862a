/**
 * Errors of the agent pipeline. A `ToolError`'s message is meant for the model (and is shown on
 * the tool call in the widget), so it says what went wrong in plain words, without internals.
 */

/** A tool call failed in a way the model should hear about and may recover from. */
export class ToolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The arguments the model sent do not match the tool's parameters; the tool was not run. */
export class ToolArgumentsError extends ToolError {}

/** The tool did not finish within its time limit. */
export class ToolTimeoutError extends ToolError {
  readonly timeoutMs: number;

  constructor(toolName: string, timeoutMs: number) {
    super(`Tool "${toolName}" timed out after ${timeoutMs} ms.`);
    this.timeoutMs = timeoutMs;
  }
}

/** The run was cancelled (or timed out) while the tool was running. */
export class ToolAbortedError extends ToolError {
  constructor(toolName: string) {
    super(`Tool "${toolName}" was stopped because the run ended.`);
  }
}

/** A workflow file is invalid; the message names the file and the field path. */
export class WorkflowLoadError extends Error {
  /** One line per problem: `file: path: message`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** The longest error text kept on a tool call item or sent to the model. */
const MAX_ERROR_CHARS = 500;

/** A short, single-purpose message for whatever a tool threw. */
export function toolErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : 'The tool failed.';
  const trimmed = text.trim() || 'The tool failed.';
  return trimmed.length > MAX_ERROR_CHARS ? `${trimmed.slice(0, MAX_ERROR_CHARS)}…` : trimmed;
}
