/**
 * The offline model's mind: given the instructions, the conversation and the tools offered,
 * decide the next output. Pure and deterministic (the clock is an input, `now`), so the same
 * conversation at the same time always gets the same answer. The rules, in order (`decide`):
 * 1. A structured-output request (llm_judge) gets a JSON verdict (`judge.ts`).
 * 2. Routing, once per visitor message before the agent works (`route-message.ts`): a handoff
 *    that fits at least as well as the agent's own tools; a request for a person, or a message
 *    nothing covers, answered honestly in the visitor's language.
 * 3. An action no tool takes ("cancel my order" with no cancel tool) is said to be impossible.
 * 4. Tools: those that best match the visitor's words (stems against each tool's name and
 *    description, with the topic sets of `lexicon/`), not yet called since that message, whose
 *    required arguments can be filled. Several at once when each is named by a word of its own;
 *    an action tool (refund, cancel…) only when the visitor used its verb.
 * 5. A question, with a search tool (its only required field is a query) that covers it: search.
 * 6. Text (`compose-reply.ts`): the tool results, a denied or failed call (read from the output's
 *    fields), a question for missing details, or the agent's own words. A message's attachments
 *    are named and quoted first (`see-attachments.ts`); their text never picks a tool.
 */
import type { ModelInputItem, ModelTool } from '../model.ts';
import { composeReply, type ReplyContext } from './compose-reply.ts';
import { fieldKind, fillArguments, SPECIFIC_KINDS } from './fill-arguments.ts';
import { judge } from './judge.ts';
import { valueFromResults } from './earlier-results.ts';
import { detectLanguage, englishGist, fold, GLOSSARY, union } from './lexicon/index.ts';
import { HANDOFF_PREFIX } from '../../agents/handoff.ts';
import { routeMessage, topicScore, topicTarget } from './route-message.ts';
import { contentStems, identifierStems, rarity, scoreMatch, stem, words } from './text-match.ts';
import { acknowledgeAttachments } from './see-attachments.ts';
import { readTurn } from './read-turn.ts';
import { actionStem, propertiesOf, requiredOf, toolWords } from './tool-words.ts';
import { completeCalls } from './arguments/required-check.ts';

/** What the offline model sees: the request, normalized over both APIs. */
export interface BrainInput {
  instructions: string;
  conversation: ModelInputItem[];
  tools: ModelTool[];
  responseFormat?: { name: string; schema: Record<string, unknown> } | undefined;
  /** The clock's reading for this request, so "tomorrow" is a date (none: only dates with a year). */
  now?: Date | undefined;
}

/** What it answers: text, or one or more tool calls (arguments as JSON text). */
export type BrainOutput = { kind: 'text'; text: string } | { kind: 'tool_calls'; calls: Array<{ name: string; arguments: string }> };

const TOOL_THRESHOLD = 1;
const QUESTION_WORDS = union((l) => l.questionWords);
const INFO_WORDS = union((l) => l.infoWords);
const REQUEST_VERBS = union((l) => l.requestVerbs);
/** A safety net against a workflow that keeps feeding results back: answer in text after this many calls. */
const MAX_CALLS_PER_MESSAGE = 8;

/** A tool scored and filled; `routeScore` weighs words many tools share less (`rarity`), for comparing with transfers. */
type Candidate = { tool: ModelTool; score: number; routeScore: number; directNameHits: string[]; args: Record<string, unknown>; missing: string[] };

/** Decides the next output. See the file comment for the rules. */
export function decide(input: BrainInput): BrainOutput {
  if (input.responseFormat) return { kind: 'text', text: judge(input.instructions, input.conversation, input.responseFormat.schema) };
  const turn = readTurn(input.conversation);
  const calls = turn.since.filter((item) => item.type === 'function_call');
  const toolCallsSince = calls.filter((call) => !call.name.startsWith(HANDOFF_PREFIX));
  const handedOff = calls.length > toolCallsSince.length;
  const fresh = toolCallsSince.length === 0;
  const tools = input.tools.filter((tool) => !tool.name.startsWith(HANDOFF_PREFIX));
  const reply = (extra: Pick<ReplyContext, 'missing' | 'honest' | 'unable'> = {}): BrainOutput => {
    const text = composeReply({ instructions: input.instructions, tools: input.tools, turn, handedOff, ...extra, language: detectLanguage(turn.lastUser) });
    // Files of the visitor's message are acknowledged first, whatever else the reply says.
    return { kind: 'text', text: turn.attachments.length > 0 ? `${acknowledgeAttachments(turn.attachments)}\n\n${text}` : text };
  };
  const call = (chosen: Candidate[]): BrainOutput | undefined => {
    // Never a call with a required argument missing, whatever chose it.
    const complete = completeCalls(chosen.map((c) => ({ name: c.tool.name, arguments: JSON.stringify(inEnglish(c, turn.lastUser)) })), tools);
    return complete.length > 0 ? { kind: 'tool_calls', calls: complete } : undefined;
  };
  if (calls.length >= MAX_CALLS_PER_MESSAGE || !turn.lastUser.trim()) return reply();

  // A follow-up answer ("1234" after "which order?") is read together with the request it answers.
  const called = new Set(toolCallsSince.map((c) => c.name));
  const candidates = rankTools(tools.filter((tool) => !called.has(tool.name)), [turn.lastUser, ...turn.earlier], input);

  // Routing, before this agent starts working. An answer to the assistant's question ("hi" → "What can
  // I do for you?" → "I can't log in") may belong to another desk too, but is never off topic.
  if (!handedOff && fresh) {
    // Against a transfer, the tools' words many texts share weigh less and a search does not compete; whether anything here
    // covers the message counts every word whole ("shipping", in the instructions and several tools, is this desk's topic).
    const own = {
      tools: Math.max(0, ...candidates.filter((c) => !isSearchTool(c.tool)).map((c) => c.routeScore)),
      covers: Math.max(0, ...candidates.map((c) => c.score)),
    };
    const route = routeMessage(turn.lastUser, input.tools, own);
    if ((route.kind === 'handoff' || route.kind === 'human') && route.tool) return { kind: 'tool_calls', calls: [{ name: route.tool.name, arguments: '{}' }] };
    const searchable = isQuestion(turn.lastUser) && tools.some(isOpenSearch);
    const offTopic = route.kind === 'off_topic' && turn.earlier.length === 0 && turn.attachments.length === 0 && !searchable;
    if (route.kind === 'human' || offTopic) return reply({ honest: route.kind as 'human' | 'off_topic' });
  }
  // An action no tool here takes: said honestly, with what can be done instead.
  const unable = fresh ? unsupportedAction(turn.lastUser, tools) : undefined;
  if (unable) {
    const instead = candidates.find((c) => c.score >= TOOL_THRESHOLD && c.missing.length === 0 && !toolWords(c.tool.name).isAction);
    return reply({ unable: { verb: unable, instead: instead && { name: instead.tool.name, args: instead.args } } });
  }
  const picked = call(pickTools(candidates, [...called]));
  if (picked) return picked;
  const wanting = fresh ? candidates.find((c) => c.missing.length > 0 && c.score >= TOOL_THRESHOLD) : undefined;
  if (wanting) return reply({ missing: wanting });
  // A question and a search tool that covers it: look it up.
  if (fresh && isQuestion(turn.lastUser)) {
    const stems = contentStems(turn.lastUser);
    const search = candidates.find((c) => c.missing.length === 0 && isSearchTool(c.tool) && (handedOff || isOpenSearch(c.tool) || topicScore(stems, c.tool) > 0));
    const searched = search && call([search]);
    if (searched) return searched;
  }
  return reply();
}

/**
 * Scores and fills every tool against the visitor's message and the requests it continues, best first
 * (ties keep the workflow's order). A required id the visitor's words do not give ("reserve 2 of
 * them") is read from an earlier tool result that names exactly one (`earlier-results.ts`).
 */
function rankTools(tools: ModelTool[], texts: string[], input: BrainInput): Candidate[] {
  const stems = contentStems(texts.join('\n'));
  // The instructions count as one more text: the shop's name, in them and in the tools, says where, not what.
  const weights = rarity([...input.tools.map(topicTarget), { nameStems: [], descriptionStems: contentStems(input.instructions) }]);
  return tools.map((tool): Candidate => {
    const target = topicTarget(tool);
    const { score, directNameHits } = scoreMatch(stems, target);
    const { args, missing } = fillArguments(tool.parameters, texts, { now: input.now });
    const stillMissing = missing.filter((field) => {
      const value = fieldKind(field, propertiesOf(tool)[field] ?? {}) === 'id' ? valueFromResults(input.conversation, field) : undefined;
      if (value !== undefined) args[field] = value;
      return value === undefined;
    });
    // A follow-up that supplies a required field ("1234" after "which order?") points at the tools that need it.
    const bonus = texts.length > 1 && suppliesRequired(tool, texts[0] ?? '', input.now) ? TOOL_THRESHOLD : 0;
    // Never take an action the visitor did not ask for: "charged twice" is not "refund".
    const verb = actionStem(tool.name);
    const allowed = verb === undefined || stems.includes(verb) ? 1 : 0;
    const routeScore = allowed * (scoreMatch(stems, target, weights).score + bonus);
    return { tool, score: allowed * (score + bonus), routeScore, directNameHits, args, missing: stillMissing };
  }).sort((a, b) => b.score - a.score);
}

/** The best fillable tool (when nothing was called yet), plus every other one a word of its own names: "order" does not call `refund_order` once `lookup_order` covered it. */
function pickTools(candidates: Candidate[], calledNames: string[]): Candidate[] {
  const covered = new Set(calledNames.flatMap(identifierStems));
  const picked: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.score < TOOL_THRESHOLD || candidate.missing.length > 0) continue;
    if ((picked.length === 0 && calledNames.length === 0) || candidate.directNameHits.some((word) => !covered.has(word))) {
      picked.push(candidate);
      for (const word of identifierStems(candidate.tool.name)) covered.add(word);
    }
  }
  return picked;
}

/** Whether the text fills one of the tool's required specific fields (an id, a number, a place, a date, an email…). */
function suppliesRequired(tool: ModelTool, text: string, now: Date | undefined): boolean {
  const specific = requiredOf(tool).filter((field) => SPECIFIC_KINDS.includes(fieldKind(field, propertiesOf(tool)[field] ?? {})));
  const { missing } = fillArguments({ ...tool.parameters, required: specific }, [text], { now });
  return specific.some((field) => !missing.includes(field));
}

/** A question: it ends with "?", opens with "¿", or starts with a question word of one of the lexicons. */
function isQuestion(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.endsWith('?') || trimmed.startsWith('¿') || QUESTION_WORDS.has(fold(words(trimmed)[0] ?? ''));
}

/** The verb of an action asked for that no tool here takes ("cancel my order"); a question for information ("how do I cancel…?") asks for none. */
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
  const properties = propertiesOf(candidate.tool);
  return Object.fromEntries(Object.entries(candidate.args).map(([field, value]) =>
    [field, typeof value === 'string' && fieldKind(field, properties[field] ?? {}) === 'query' ? englishGist(value) || value : value]));
}

/** A tool whose only required field is a query: a search. One whose description does not say what it covers ("Search the help center.") may hold any question. */
function isSearchTool(tool: ModelTool): boolean {
  const [only, ...rest] = requiredOf(tool);
  return only !== undefined && rest.length === 0 && fieldKind(only, propertiesOf(tool)[only] ?? {}) === 'query';
}
const isOpenSearch = (tool: ModelTool): boolean => isSearchTool(tool) && contentStems(tool.description).length < 8;
