/**
 * The offline model's mind: given the instructions, the conversation and the tools offered,
 * decide the next output. Pure and deterministic (no randomness; the clock is an input, `now`),
 * so the same conversation at the same time always gets the same answer.
 *
 * The rules, in order (see `decide`):
 * 1. A structured-output request (llm_judge) gets a JSON verdict (`judge.ts`).
 * 2. Routing, once per visitor message before the agent works (`route-message.ts`): a handoff
 *    that fits at least as well as the agent's own tools; a request for a person, or a message
 *    nothing covers, answered honestly in the visitor's language.
 * 3. Tools: the non-handoff tools that best match the visitor's last message (stems of its
 *    words against the tool's name and description, with topic sets from `lexicon/`), not yet
 *    called since that message, whose required arguments can be filled from the text. Several
 *    may be called at once when each is named by a word of its own ("weather" and "docs").
 *    An action tool (refund, cancel…) is only called when the visitor used its verb.
 * 4. A question, with a search-like tool (its only required field is a query) that covers it: search.
 * 5. Text (`compose-reply.ts`): a reply that uses the tool results, or says that a call was
 *    denied or failed (read from the output's fields), or asks for missing details, or greets.
 *    When the visitor's message has attachments, it starts by naming each and quoting its text
 *    (`see-attachments.ts`); their text never picks a tool.
 */
import type { ModelInputItem, ModelTool } from '../model.ts';
import { contentText } from '../model.ts';
import { composeReply, type ReplyContext } from './compose-reply.ts';
import { fieldKind, fillArguments, SPECIFIC_KINDS } from './fill-arguments.ts';
import { judge } from './judge.ts';
import { valueFromResults } from './earlier-results.ts';
import { detectLanguage, englishGist, fold, GLOSSARY, union } from './lexicon/index.ts';
import { HANDOFF_PREFIX, routeMessage, topicScore, topicTarget } from './route-message.ts';
import { contentStems, identifierStems, rarity, type Rarity, scoreMatch, stem, words } from './text-match.ts';
import { acknowledgeAttachments, attachmentsOf, type SeenAttachment, userWords } from './see-attachments.ts';
import { actionStem, toolWords } from './tool-words.ts';
import { earlierAnswers } from './arguments/earlier-answers.ts';
import { completeCalls } from './arguments/required-check.ts';

/** What the offline model sees: the request, normalized over both APIs. */
export interface BrainInput {
  instructions: string;
  conversation: ModelInputItem[];
  tools: ModelTool[];
  responseFormat?: { name: string; schema: Record<string, unknown> } | undefined;
  /** The clock's reading for this request, so "tomorrow" is a date (given by the offline fetch; none: only dates with a year). */
  now?: Date | undefined;
}

/** What it answers: text, or one or more tool calls (arguments as JSON text). */
export type BrainOutput =
  | { kind: 'text'; text: string }
  | { kind: 'tool_calls'; calls: Array<{ name: string; arguments: string }> };

const TOOL_THRESHOLD = 1;
const QUESTION_WORDS = union((l) => l.questionWords);
const INFO_WORDS = union((l) => l.infoWords);
const REQUEST_VERBS = union((l) => l.requestVerbs);
/** A safety net against a workflow that keeps feeding results back: answer in text after this many calls. */
const MAX_CALLS_PER_MESSAGE = 8;
const MAX_READ_CHARS = 4_000;

interface Candidate {
  tool: ModelTool;
  score: number;
  /** The score against other desks' transfers: words many tools share weigh less (`rarity`). */
  routeScore: number;
  directNameHits: string[];
  nameStems: string[];
  args: Record<string, unknown>;
  missing: string[];
}

/** The conversation around the visitor's latest message. */
export interface Turn {
  lastUser: string;
  /** The visitor's message before, when the assistant's last words were a question (a follow-up answer). */
  previousUser: string | undefined;
  /** Items after the latest user message. */
  since: ModelInputItem[];
  /** Files attached to the latest user message. */
  attachments: SeenAttachment[];
}

export function readTurn(conversation: ModelInputItem[]): Turn {
  const isUser = (item: ModelInputItem | undefined): item is Extract<ModelInputItem, { type: 'message' }> =>
    item?.type === 'message' && item.role === 'user';
  let last = -1;
  for (let i = conversation.length - 1; i >= 0; i--) if (isUser(conversation[i])) { last = i; break; }
  const lastItem = conversation[last];
  // Only the start of a long message is read: enough to decide, and it bounds the work on untrusted text.
  // The visitor's own words: an attachment's text never picks a tool.
  const lastUser = isUser(lastItem) ? userWords(lastItem.content).slice(0, MAX_READ_CHARS) : '';
  // A follow-up answer: the assistant's last words (after at most a handoff) were a question asking for details.
  let previousUser: string | undefined;
  const before = conversation[last - 1];
  if (before?.type === 'message' && before.role === 'assistant' && contentText(before.content).trim().endsWith('?')) {
    for (let i = last - 2; i >= 0; i--) {
      const item = conversation[i];
      if (isUser(item)) { previousUser = userWords(item.content).slice(0, MAX_READ_CHARS); break; }
      const handoffStep =
        (item?.type === 'function_call' && item.name.startsWith(HANDOFF_PREFIX)) || item?.type === 'function_call_output';
      if (!handoffStep) break;
    }
  }
  const attachments = isUser(lastItem) ? attachmentsOf(lastItem.content) : [];
  return { lastUser, previousUser, since: conversation.slice(last + 1), attachments };
}

/** Decides the next output. See the file comment for the rules. */
export function decide(input: BrainInput): BrainOutput {
  if (input.responseFormat) return { kind: 'text', text: judge(input.instructions, input.conversation, input.responseFormat.schema) };

  const turn = readTurn(input.conversation);
  const calls = turn.since.filter((item) => item.type === 'function_call');
  const toolCallsSince = calls.filter((call) => !call.name.startsWith(HANDOFF_PREFIX));
  const handedOff = calls.length > toolCallsSince.length;
  const tools = input.tools.filter((tool) => !tool.name.startsWith(HANDOFF_PREFIX));
  const reply = (extra: Pick<ReplyContext, 'missing' | 'honest' | 'unable'> = {}): BrainOutput => {
    const text = composeReply({ instructions: input.instructions, tools: input.tools, turn, handedOff, ...extra, language: detectLanguage(turn.lastUser) });
    // Files of the visitor's message are acknowledged first, whatever else the reply says.
    return { kind: 'text', text: turn.attachments.length > 0 ? `${acknowledgeAttachments(turn.attachments)}\n\n${text}` : text };
  };
  if (calls.length >= MAX_CALLS_PER_MESSAGE || !turn.lastUser.trim()) return reply();

  // 2. Tools. A follow-up answer ("1234" after "which order?") is read together with the request it answers.
  const calledNames = new Set(toolCallsSince.map((call) => call.name));
  const texts = turn.previousUser === undefined ? [turn.lastUser] : [turn.lastUser, ...earlierAnswers(input.conversation)];
  // The instructions count as one more text: the shop's name, in them and in the tools, says where, not what.
  const weights = rarity([...input.tools.map(topicTarget), { nameStems: [], descriptionStems: contentStems(input.instructions) }]);
  const candidates = rankTools(tools.filter((tool) => !calledNames.has(tool.name)), texts, turn.previousUser !== undefined, input.conversation, input.now, weights);

  // 3. Routing, once per visitor message and before this agent starts working: another desk's
  // topic is handed there, a request for a person or a message nothing here covers is answered honestly.
  // An answer to the assistant's question ("hi" → "What can I do for you?" → "I can't log in")
  // may belong to another desk too; only a message with no question before it can be off topic.
  if (!handedOff && toolCallsSince.length === 0) {
    const best = (search: boolean): number => Math.max(0, ...candidates.filter((c) => isSearchTool(c.tool) === search).map((c) => c.routeScore));
    const route = routeMessage(turn.lastUser, input.tools, { tools: best(false), search: best(true) }, weights);
    if (route.kind === 'handoff' || (route.kind === 'human' && route.tool)) {
      const tool = route.kind === 'handoff' ? route.tool : route.tool!;
      return { kind: 'tool_calls', calls: [{ name: tool.name, arguments: '{}' }] };
    }
    const searchable = isQuestion(turn.lastUser) && tools.some(isOpenSearch);
    const fresh = turn.previousUser === undefined;
    if (route.kind === 'human' || (fresh && route.kind === 'off_topic' && turn.attachments.length === 0 && !searchable)) return reply({ honest: route.kind });
  }

  // An action no tool here takes ("cancel my order" with no cancel tool): said honestly, with what can be done instead.
  const unable = toolCallsSince.length === 0 ? unsupportedAction(turn.lastUser, tools) : undefined;
  if (unable) {
    const instead = candidates.find((c) => c.score >= TOOL_THRESHOLD && c.missing.length === 0 && !toolWords(c.tool.name).isAction);
    return reply({ unable: { verb: unable, instead: instead && { name: instead.tool.name, args: instead.args } } });
  }

  const picked = pickTools(candidates, toolCallsSince.map((call) => call.name));
  // Never a call with a required argument missing, whatever chose it.
  const pickedCalls = completeCalls(picked.map((c) => ({ name: c.tool.name, arguments: JSON.stringify(inEnglish(c, turn.lastUser)) })), tools);
  if (pickedCalls.length > 0) return { kind: 'tool_calls', calls: pickedCalls };
  const wanting = toolCallsSince.length === 0 ? candidates.find((c) => c.missing.length > 0 && c.score >= TOOL_THRESHOLD) : undefined;
  if (wanting) return reply({ missing: wanting });

  // 4. A question and a search tool: look it up.
  if (toolCallsSince.length === 0 && isQuestion(turn.lastUser)) {
    const search = candidates.find((c) => c.missing.length === 0 && isSearchTool(c.tool) && (handedOff || isOpenSearch(c.tool) || topicScore(contentStems(turn.lastUser), c.tool) > 0));
    const calls = search ? completeCalls([{ name: search.tool.name, arguments: JSON.stringify(inEnglish(search, turn.lastUser)) }], tools) : [];
    if (calls.length > 0) return { kind: 'tool_calls', calls };
  }
  return reply();
}

/**
 * Scores and fills every tool, best first (ties keep the workflow's order). A required id the
 * visitor's words do not give ("reserve 2 of them") is read from an earlier tool result that
 * names exactly one (`earlier-results.ts`).
 */
function rankTools(tools: ModelTool[], texts: string[], followUp: boolean, conversation: ModelInputItem[], now: Date | undefined, weights: Rarity): Candidate[] {
  const stems = contentStems(texts.join('\n'));
  const candidates = tools.map((tool): Candidate => {
    const nameStems = identifierStems(tool.name);
    const target = { nameStems, descriptionStems: contentStems(tool.description) };
    let { score, directNameHits } = scoreMatch(stems, target);
    let routeScore = scoreMatch(stems, target, weights).score;
    const filled = fillArguments(tool.parameters, texts, { now });
    const { args } = filled;
    const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
    const missing = filled.missing.filter((field) => {
      if (fieldKind(field, properties[field] ?? {}) !== 'id') return true;
      const value = valueFromResults(conversation, field);
      if (value === undefined) return true;
      args[field] = value;
      return false;
    });
    // A follow-up that supplies a required field ("1234" after "which order?") points at the tools that need it.
    if (followUp && suppliesRequired(tool, texts[0] ?? '', now)) [score, routeScore] = [score + TOOL_THRESHOLD, routeScore + TOOL_THRESHOLD];
    // Never take an action the visitor did not ask for: "charged twice" is not "refund".
    const verb = actionStem(tool.name);
    const allowed = verb === undefined || stems.includes(verb);
    return { tool, score: allowed ? score : 0, routeScore: allowed ? routeScore : 0, directNameHits, nameStems, args, missing };
  });
  return candidates.sort((a, b) => b.score - a.score);
}

/**
 * The best fillable tool (when nothing was called yet), plus every other fillable one that a
 * word of its own names: "order" does not call `refund_order` once `lookup_order` covered it.
 */
function pickTools(candidates: Candidate[], calledNames: string[]): Candidate[] {
  const covered = new Set(calledNames.flatMap(identifierStems));
  const picked: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.score < TOOL_THRESHOLD || candidate.missing.length > 0) continue;
    const ownWord = candidate.directNameHits.some((word) => !covered.has(word));
    if (picked.length === 0 && calledNames.length === 0 ? candidate.score >= TOOL_THRESHOLD : ownWord) {
      picked.push(candidate);
      for (const word of candidate.nameStems) covered.add(word);
    }
  }
  return picked;
}

/** Whether the text fills one of the tool's required specific fields (an id, a number, a place, a date, an email…). */
function suppliesRequired(tool: ModelTool, text: string, now: Date | undefined): boolean {
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
  const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  const specific = required.filter((field) => SPECIFIC_KINDS.includes(fieldKind(field, properties[field] ?? {})));
  if (specific.length === 0) return false;
  const { missing } = fillArguments({ ...tool.parameters, required: specific }, [text], { now });
  return specific.some((field) => !missing.includes(field));
}

/** A question: it ends with "?", opens with "¿", or starts with a question word of one of the lexicons. */
function isQuestion(text: string): boolean {
  const trimmed = text.trim();
  return /\?$/.test(trimmed) || trimmed.startsWith('¿') || QUESTION_WORDS.has(fold(words(trimmed)[0] ?? ''));
}

/**
 * The verb of an action the visitor asks for that no tool here takes ("cancel my order", with
 * no cancel tool). A question for information ("how do I cancel…?") asks for none.
 */
function unsupportedAction(text: string, tools: ModelTool[]): string | undefined {
  const folded = words(text).map(fold);
  if (INFO_WORDS.has(folded[0] ?? '')) return undefined;
  const verbs = new Set(tools.map((tool) => actionStem(tool.name)));
  const asked = folded.filter((w) => REQUEST_VERBS.has(w)).map((w) => GLOSSARY.get(w) ?? w);
  // "reservar una mesa, book for 4": one verb a tool takes is enough.
  return asked.some((verb) => verbs.has(stem(verb))) ? undefined : asked[0];
}

/** A visitor writing another language: free-text fields are searched with the English words of the message. */
function inEnglish(candidate: Candidate, text: string): Record<string, unknown> {
  if (detectLanguage(text) === 'en') return candidate.args;
  const properties = (candidate.tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  const args = { ...candidate.args };
  for (const [field, value] of Object.entries(args)) {
    if (typeof value === 'string' && fieldKind(field, properties[field] ?? {}) === 'query') args[field] = englishGist(value) || value;
  }
  return args;
}

/**
 * A search whose description does not say what it covers ("Search the help center."): any
 * question may be in it, so it is asked rather than called off topic.
 */
function isOpenSearch(tool: ModelTool): boolean {
  return isSearchTool(tool) && contentStems(tool.description).length < 8;
}

/** A tool whose only required field is a query: a search. */
function isSearchTool(tool: ModelTool): boolean {
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
  const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  return required.length === 1 && fieldKind(required[0] ?? '', properties[required[0] ?? ''] ?? {}) === 'query';
}
