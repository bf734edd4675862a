/**
 * Errors of the agent pipeline. A `ToolError`'s message is meant for the model (and is shown on
 * the tool call in the widget), so it says what went wrong in plain words, without internals.
 * Anything else a tool throws is logged in full and replaced by a generic sentence.
 */

/**
 * A tool call failed in a way the model should hear about and may recover from. `message` is
 * shown to the visitor and the model; `detail` (a missing variable's name, an upstream status
 * and body) goes to the operator's log only.
 */
export class ToolError extends Error {
  readonly detail: string | undefined;

  constructor(message: string, options?: { cause?: unknown; detail?: string }) {
    super(message, options);
    this.name = new.target.name;
    this.detail = options?.detail;
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

/** What the visitor and the model read when a tool cannot work now (not configured, its service down). */
export function toolUnavailableMessage(toolName: string): string {
  return `The ${toolName} tool is unavailable right now.`;
}

/** What the visitor and the model read when a tool failed for a reason they must not see. */
export function toolFailedMessage(toolName: string): string {
  return `The ${toolName} tool failed.`;
}

/**
 * The visitor-safe message for whatever a tool threw: a `ToolError` keeps its own (it was
 * written for the visitor), anything else (a library's exception naming paths, hosts or
 * secrets) becomes a generic sentence; the original goes to the log.
 */
export function toolErrorMessage(error: unknown, toolName: string): string {
  const text = error instanceof ToolError ? error.message.trim() : '';
  const safe = text || toolFailedMessage(toolName);
  return safe.length > MAX_ERROR_CHARS ? `${safe.slice(0, MAX_ERROR_CHARS)}…` : safe;
}
