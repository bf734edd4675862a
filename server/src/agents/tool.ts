import { type ArgDisplay, type JsonSchemaObject, type ToolDisplay, toolDisplayProblems } from '@agent-chat/shared';
import { z } from 'zod';
import { ToolAbortedError, ToolArgumentsError, ToolTimeoutError } from './errors.ts';
import { HANDOFF_PREFIX } from './handoff.ts';

/** Re-exported so tool authors outside the server package (demo/tools) use the server's own zod. */
export { z };

/** What a running tool knows about the run that called it. */
export interface ToolContext {
  /** Aborted when the run is cancelled, times out, or the tool's own timeout fires. */
  signal: AbortSignal;
  threadId: string;
  runId: string;
  /** Id of the agent that called the tool. */
  agent: string;
  /**
   * The call's id, the same on every attempt (a run continued after a crash runs an unfinished
   * call again): with the thread id, a key a tool can use to do its work only once.
   */
  callId: string;
}

/**
 * A tool as the run loop sees it, whatever it is made of (a TypeScript function or a declarative
 * HTTP call): a JSON-schema description for the model, and `invoke`, which validates the raw
 * arguments before running and enforces the timeout and the abort signal.
 */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchemaObject;
  readonly needsApproval: boolean;
  readonly timeoutMs: number;
  /** Title template and argument labels for the visitor's card; the widget falls back to the name. */
  readonly display?: ToolDisplay;
  /** Throws `ToolArgumentsError` (not run), `ToolTimeoutError`, `ToolAbortedError`, or whatever the tool threw. */
  invoke(rawArgs: unknown, ctx: ToolContext): Promise<unknown>;
}

/** A built-in tool written in TypeScript, with zod parameters. */
export interface ToolDefinition<S extends z.ZodObject> {
  /** Letters, digits, `_` and `-` (max 64); `transfer_to_` is reserved for handoffs. */
  name: string;
  /** What the tool does and when to use it: the model (and the offline model's matcher) reads it. */
  description: string;
  parameters: S;
  /** Stop the run and ask the visitor before running (an agent's tool reference may override it). */
  needsApproval?: boolean;
  /** Default 30 s. */
  timeoutMs?: number;
  /**
   * The card's title: a template whose `{name}` placeholders are arguments, e.g.
   * `Refund order {order_id} — {amount}` (the visitor sees "Refund order 1234 — $59.00").
   */
  title?: string;
  /** Labels and formats of arguments on the card, e.g. `{ amount: { label: 'Amount', format: 'currency', currency: 'USD' } }`. */
  args?: Record<string, Partial<ArgDisplay>>;
  execute(args: z.output<S>, ctx: ToolContext): unknown;
}

/** An image a tool returns for the model to see (an MCP tool's image content), as base64. */
export interface ToolImage {
  mime: string;
  dataBase64: string;
}

/** A tool's output with images beside it: the output is stored on the call, the images go to the model. */
export class OutputWithImages {
  constructor(
    readonly output: unknown,
    readonly images: readonly ToolImage[],
  ) {}
}

/** Wraps a tool's output with images the model should see after the call (`invoke` returns it). */
export function withImages(output: unknown, images: readonly ToolImage[]): OutputWithImages {
  return new OutputWithImages(output, images);
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Throws when `name` cannot be a tool name. */
export function assertToolName(name: string): void {
  if (!TOOL_NAME.test(name)) throw new Error(`Invalid tool name "${name}": letters, digits, _ and - only (max 64).`);
  if (name.startsWith(HANDOFF_PREFIX)) throw new Error(`Invalid tool name "${name}": ${HANDOFF_PREFIX} is reserved for handoffs.`);
}

/**
 * The display metadata of a tool, checked against its parameters (every placeholder and labelled
 * argument must be declared); `undefined` when there is none. Throws on a mismatch.
 */
export function toolDisplay(name: string, parameters: JsonSchemaObject, title?: string, args?: Record<string, Partial<ArgDisplay>>): ToolDisplay | undefined {
  if (title === undefined && args === undefined) return undefined;
  const display: ToolDisplay = {
    ...(title !== undefined ? { title } : {}),
    ...(args !== undefined ? { args: Object.fromEntries(Object.entries(args).map(([key, arg]) => [key, { format: 'text', ...arg }])) } : {}),
  };
  const problems = toolDisplayProblems(display, Object.keys(parameters.properties));
  if (problems.length > 0) throw new Error(`Tool "${name}": ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`);
  return display;
}

/** `path: message; path: message` for validation issues, readable by a model. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Validates `raw` against a zod schema, or throws a `ToolArgumentsError` the model can act on. */
export function parseToolArguments<S extends z.ZodType>(toolName: string, schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw new ToolArgumentsError(`Invalid arguments for "${toolName}": ${formatIssues(result.error.issues)}`);
  return result.data;
}

/**
 * Runs `fn` with its own AbortSignal that fires on the run's abort or after `timeoutMs`, and
 * settles as soon as either happens even if `fn` ignores its signal. One listener per call,
 * removed in `finally` (not `AbortSignal.any`, which leaks a listener per call on Node 20).
 */
export async function runWithTimeout<T>(
  toolName: string,
  timeoutMs: number,
  outer: AbortSignal,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (outer.aborted) throw new ToolAbortedError(toolName);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ToolTimeoutError(toolName, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    onAbort = () => {
      const error = new ToolAbortedError(toolName);
      controller.abort(error);
      reject(error);
    };
    outer.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve().then(() => fn(controller.signal)), stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer.removeEventListener('abort', onAbort);
  }
}

/** The JSON schema of a zod object, as sent to the model (input side, no `$schema` key). */
export function zodToParameters(schema: z.ZodObject): JsonSchemaObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, type: 'object', properties: (json.properties as Record<string, unknown> | undefined) ?? {} };
}

/**
 * Defines a built-in tool. Arguments are validated with the zod schema before `execute` runs;
 * `execute` gets an AbortSignal in `ctx` and is cut off after `timeoutMs`.
 *
 * @example
 * defineTool({ name: 'lookup_order', description: 'Look up an order by its number',
 *   parameters: z.object({ order_id: z.string() }), execute: ({ order_id }) => findOrder(order_id) });
 */
export function defineTool<S extends z.ZodObject>(definition: ToolDefinition<S>): Tool {
  assertToolName(definition.name);
  const { name, description, parameters, execute } = definition;
  const timeoutMs = definition.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const json = zodToParameters(parameters);
  const display = toolDisplay(name, json, definition.title, definition.args);
  return {
    name,
    description,
    parameters: json,
    needsApproval: definition.needsApproval ?? false,
    timeoutMs,
    ...(display ? { display } : {}),
    async invoke(rawArgs, ctx) {
      const args = parseToolArguments(name, parameters, rawArgs);
      return runWithTimeout(name, timeoutMs, ctx.signal, async (signal) => execute(args, { ...ctx, signal }));
    },
  };
}

/** Named tools, looked up by the name a workflow file uses. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  /** Throws on a duplicate name. */
  constructor(tools: Iterable<Tool> = []) {
    for (const tool of tools) {
      if (this.#tools.has(tool.name)) throw new Error(`Duplicate tool name "${tool.name}".`);
      this.#tools.set(tool.name, tool);
    }
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Every tool, in registration order. */
  list(): Tool[] {
    return [...this.#tools.values()];
  }

  /** A new registry holding these tools and `extra` (throws on a duplicate name). */
  extend(extra: Iterable<Tool>): ToolRegistry {
    return new ToolRegistry([...this.#tools.values(), ...extra]);
  }
}
