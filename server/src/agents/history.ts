import type { Item, ToolCallItem } from '@agent-chat/shared';
import { attachmentParts, type PreparedAttachments } from '../attachments/prepared-attachment.ts';
import type { ModelContentPart, ModelInputItem } from '../models/model.ts';
import { handoffOutput, handoffToolName } from './handoff.ts';
import type { ToolImage } from './tool.ts';

/** Images tools returned, by call id (kept for the run that made the calls). */
export type ToolImages = ReadonlyMap<string, readonly ToolImage[]>;

/** How much of a thread is replayed to the model (the workflow's `history`). */
export interface HistoryBudget {
  /** Model input items (a message, a call, or a call's output each count one). */
  maxItems: number;
  /** Characters of text, arguments and outputs together. */
  maxChars: number;
}

/** What an image counts for in `maxChars` (about what a model charges for one, in characters of text). */
export const IMAGE_INPUT_CHARS = 3_000;

/** A tool output longer than this is cut before it reaches the model. */
export const MAX_TOOL_OUTPUT_CHARS = 16_000;

/** Items that are sent together or not at all: a message, or tool calls with their outputs. */
interface Unit {
  input: ModelInputItem[];
  chars: number;
  isUser: boolean;
}

function cut(text: string): string {
  return text.length > MAX_TOOL_OUTPUT_CHARS ? `${text.slice(0, MAX_TOOL_OUTPUT_CHARS)}… (truncated)` : text;
}

/**
 * What the model is told a tool call returned, for each status a stored call can have. A call
 * that did not complete is a small JSON record (`status`, and `error` for a failure or denial),
 * so any model, the offline one included, reads the outcome from fields rather than from prose.
 */
export function toolCallOutput(item: ToolCallItem): string {
  switch (item.status) {
    case 'completed':
      return cut(typeof item.output === 'string' ? item.output : JSON.stringify(item.output ?? null));
    case 'failed':
      return JSON.stringify({ status: 'failed', error: item.error ?? 'The tool failed.' });
    case 'denied':
      return JSON.stringify({ status: 'denied', error: item.error ?? 'Denied by the user.', note: 'The tool was not run.' });
    case 'awaiting_approval':
      return JSON.stringify({ status: 'awaiting_approval', note: "Waiting for the user's approval; the tool has not run yet." });
    case 'running':
      return JSON.stringify({ status: 'interrupted', note: 'The tool call was interrupted and did not finish.' });
  }
}

function partsChars(parts: readonly ModelContentPart[]): number {
  return parts.reduce((sum, part) => sum + (part.type === 'text' ? part.text.length : IMAGE_INPUT_CHARS), 0);
}

function chars(input: readonly ModelInputItem[]): number {
  let total = 0;
  for (const item of input) {
    if (item.type === 'message') total += typeof item.content === 'string' ? item.content.length : partsChars(item.content);
    else if (item.type === 'function_call') total += item.name.length + item.arguments.length;
    else total += item.output.length;
  }
  return total;
}

/**
 * Which items the model must never see: a user message blocked by an input guardrail (a
 * guardrail item of stage input follows it before the next user message), and an answer
 * withdrawn by an output guardrail (an output guardrail item directly follows it), in case the
 * store kept it.
 */
function hiddenItems(items: readonly Item[]): Set<string> {
  const hidden = new Set<string>();
  let lastUser: string | undefined;
  items.forEach((item, index) => {
    if (item.type === 'user_message') lastUser = item.id;
    if (item.type !== 'guardrail') return;
    if (item.stage === 'input' && lastUser) hidden.add(lastUser);
    const previous = items[index - 1];
    if (item.stage === 'output' && previous?.type === 'assistant_message') hidden.add(previous.id);
  });
  return hidden;
}

/**
 * A user message for the model: its text, then each attachment as content parts (see
 * `attachmentParts`); one not in `attachments` is said to be not available.
 */
function userContent(item: Extract<Item, { type: 'user_message' }>, attachments: PreparedAttachments | undefined): string | ModelContentPart[] {
  if (item.attachments.length === 0) return item.text;
  const parts: ModelContentPart[] = item.text ? [{ type: 'text', text: item.text }] : [];
  for (const attachment of item.attachments) parts.push(...attachmentParts(attachment, attachments?.get(attachment.id)));
  return parts;
}

/**
 * The images of a group of calls, as one user message after their outputs (function outputs
 * carry text only, in both APIs): a header per call names the tool, as an upload's header does.
 */
function toolImageMessage(calls: readonly ToolCallItem[], toolImages: ToolImages | undefined): ModelInputItem[] {
  const parts: ModelContentPart[] = [];
  for (const call of calls) {
    const images = toolImages?.get(call.callId);
    if (!images?.length) continue;
    parts.push({ type: 'text', text: `[Images returned by the ${call.name} tool (call ${call.callId})]` });
    for (const image of images) parts.push({ type: 'image', mime: image.mime, dataBase64: image.dataBase64 });
  }
  return parts.length > 0 ? [{ type: 'message', role: 'user', content: parts }] : [];
}

/** Groups thread items into units; consecutive tool calls stay together (calls first, then outputs, then their images). */
function toUnits(items: readonly Item[], attachments: PreparedAttachments | undefined, toolImages: ToolImages | undefined): Unit[] {
  const hidden = hiddenItems(items);
  const units: Unit[] = [];
  let calls: ToolCallItem[] = [];
  const flushCalls = () => {
    if (calls.length === 0) return;
    const input: ModelInputItem[] = [
      ...calls.map((c) => ({ type: 'function_call' as const, callId: c.callId, name: c.name, arguments: JSON.stringify(c.arguments) })),
      ...calls.map((c) => ({ type: 'function_call_output' as const, callId: c.callId, output: toolCallOutput(c) })),
      ...toolImageMessage(calls, toolImages),
    ];
    units.push({ input, chars: chars(input), isUser: false });
    calls = [];
  };
  const push = (input: ModelInputItem[], isUser = false) => units.push({ input, chars: chars(input), isUser });
  for (const item of items) {
    if (item.type === 'tool_call') {
      calls.push(item);
      continue;
    }
    flushCalls();
    if (hidden.has(item.id)) continue;
    switch (item.type) {
      case 'user_message':
        push([{ type: 'message', role: 'user', content: userContent(item, attachments) }], true);
        break;
      case 'assistant_message':
        if (item.text) push([{ type: 'message', role: 'assistant', content: item.text }]);
        break;
      case 'handoff': {
        const callId = `handoff_${item.id}`;
        push([
          { type: 'function_call', callId, name: handoffToolName(item.to), arguments: '{}' },
          { type: 'function_call_output', callId, output: handoffOutput(item.to) },
        ]);
        break;
      }
      case 'guardrail':
        break;
    }
  }
  flushCalls();
  return units;
}

/**
 * The model input for a thread: user and assistant messages, tool calls with their outputs,
 * handoffs as the transfer call and its output; guardrail items and blocked messages left out.
 * Trimmed to `budget` from the oldest end: the newest units are kept whole, a call is never
 * separated from its output, and the latest user message is always kept. A user message's
 * attachments come from `attachments` (prepared before the run), each image counting
 * `IMAGE_INPUT_CHARS` towards `maxChars`. Images tools returned in this run (`toolImages`) follow
 * their calls' outputs.
 */
export function buildModelInput(items: readonly Item[], budget?: HistoryBudget, attachments?: PreparedAttachments, toolImages?: ToolImages): ModelInputItem[] {
  const units = toUnits(items, attachments, toolImages);
  if (!budget) return units.flatMap((u) => u.input);
  let lastUser = -1;
  units.forEach((unit, index) => {
    if (unit.isUser) lastUser = index;
  });
  const kept: Unit[] = [];
  let count = 0;
  let size = 0;
  let full = false;
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i] as Unit;
    const mustKeep = i === units.length - 1 || i === lastUser;
    const fits = count + unit.input.length <= budget.maxItems && size + unit.chars <= budget.maxChars;
    if (!mustKeep && (full || !fits)) {
      full = true;
      continue;
    }
    kept.push(unit);
    count += unit.input.length;
    size += unit.chars;
  }
  return kept.reverse().flatMap((u) => u.input);
}
