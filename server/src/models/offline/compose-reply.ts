/**
 * The offline model's text replies: one that uses the tool results since the visitor's last
 * message, one that asks for a missing detail, or one in the agent's own voice (from its
 * instructions: "You are the billing specialist…"). Pure and deterministic.
 */
import { localizedTextIn } from '../localized-text.ts';
import type { ModelInputItem, ModelTool } from '../model.ts';
import { fieldKind, type FilledArguments } from './fill-arguments.ts';
import type { Turn } from './read-turn.ts';
import { HANDOFF_PREFIX } from '../../agents/handoff.ts';
import { smallTalk } from './route-message.ts';
import {
  actionDetails, AND_LIST, bullets, classifyOutput, factLines, isRecord, label, labelledItem, leadNote, oneLine, parseJson, resultData, resultList,
  tidyOutput, titleOf, wholeWords,
} from './summarize-output.ts';
import { fold, lexicon, type Lexicon } from './lexicon/index.ts';
import { contentStems, identifierStems, scoreMatch, words } from './text-match.ts';
import { actionPhrase, callSubject, isProductCode, propertiesOf, requiredOf, toolWords } from './tool-words.ts';
import { askForMissing } from './arguments/ask-missing.ts';

/** The model's own English sentences (tool results are read in English whatever the visitor's language). */
const EN = lexicon('en').phrases;

type Args = Record<string, unknown>;

/**
 * What the reply is about: every tool offered (handoffs included); whether a handoff brought the
 * conversation here since the visitor's message; a tool that fits but lacks required arguments
 * (`missing`: ask for them); nothing here fits (`honest`: a person was asked for, or another
 * topic); an action no tool takes (`unable`) with a call that could help instead; the visitor's language.
 */
export interface ReplyContext {
  instructions: string;
  tools: ModelTool[];
  turn: Turn;
  handedOff: boolean;
  missing?: (FilledArguments & { tool: ModelTool }) | undefined;
  honest?: 'human' | 'off_topic' | undefined;
  unable?: { verb: string; instead: { name: string; args: Args } | undefined } | undefined;
  language: string;
}

/**
 * Writes the reply. The model's own sentences come in the visitor's language; what only English
 * words can say (tool results, the workflow's text) comes after a note in theirs.
 */
export function composeReply(ctx: ReplyContext): string {
  const lex = lexicon(ctx.language);
  const results = pairResults(ctx.turn.since, ctx.turn.lastUser, ctx.language);
  if (results.length === 0 && !ctx.missing) return ownReply(ctx, lex);
  const { tool, missing } = ctx.missing ?? {};
  const text = results.length > 0 ? resultsReply(ctx, results) : `I can ${capability(tool!)} for you. ${askForMissing(missing!, tool!.parameters, (field) => fieldAsk(field, tool!))}`;
  return lex.phrases.answersInEnglish ? `${lex.phrases.answersInEnglish}\n\n${text}` : text;
}

/** A call since the visitor's message: the arguments a reply may quote, all of them (none is repeated as a fact), its output. */
type Result = { name: string; args: Args; allArgs: Args; output: string | undefined };

/** Folded words of a text, for comparing a call's argument with the visitor's message. */
const gist = (text: string): string => words(text).map(fold).join(' ');

/** The calls since the visitor's message with their outputs; an argument that is the whole message (a search for it) is not quoted. */
function pairResults(since: ModelInputItem[], lastUser: string, language: string): Result[] {
  const outputs = new Map(since.flatMap((item) => (item.type === 'function_call_output' ? [[item.callId, item.output] as const] : [])));
  const asked = gist(lastUser);
  return since.flatMap((item) => {
    if (item.type !== 'function_call' || item.name.startsWith(HANDOFF_PREFIX)) return [];
    const parsed = parseJson(item.arguments);
    const allArgs = isRecord(parsed) ? parsed : {};
    const echoes = (value: string): boolean => asked.split(' ').length >= 3 && gist(value).includes(asked);
    // A search put into English words for the documents ("olvidé password") is not quoted back either.
    const translated = (field: string): boolean => language !== 'en' && fieldKind(field, { type: 'string' }) === 'query';
    const args = Object.fromEntries(Object.entries(allArgs).filter(([field, v]) => typeof v !== 'string' || !(echoes(v) || translated(field))));
    return [{ name: item.name, args, allArgs, output: outputs.get(item.callId) }];
  });
}

function resultsReply(ctx: ReplyContext, results: Result[]): string {
  let trouble = false;
  const sections = results.map((result) => {
    const phrase = actionPhrase(result.name, result.args);
    if (result.output === undefined) return `I started to ${phrase}, but it has not finished yet.`;
    const outcome = classifyOutput(result.output);
    if (outcome.kind === 'ok') return okSection(result, outcome.value);
    trouble = true;
    return outcome.kind === 'denied'
      ? `Okay, I did not ${phrase}, because the request was not approved.`
      : `Sorry, I couldn't ${phrase} just now (${outcome.detail || 'the tool reported an error'}).`;
  });
  return [...sections, closing(ctx, results, trouble)].join('\n\n');
}

function okSection({ name, args, allArgs }: Result, output: unknown): string {
  const value = resultData(output);
  const tool = toolWords(name);
  const subject = callSubject(name, args);
  const where = subject ? ` for ${subject.text}` : '';
  // A tool that found nothing says so (`found: false`, docs/protocol.md): relay its own words.
  if (isRecord(value) && value.found === false) {
    return typeof value.message === 'string' && value.message.trim() ? `I couldn't find anything${where}: ${oneLine(value.message)}` : `I couldn't find anything${where}.`;
  }
  const list = resultList(value);
  if (list && (Array.isArray(value) || ['search', 'find', 'list', 'query'].includes(tool.verb))) {
    return list.length === 0 ? `I couldn't find anything${where}.` : `Here's what I found${where}:\n\n${factLines(list).join('\n')}`;
  }
  const object = tool.object || 'result';
  const skip = new Set(Object.entries(allArgs).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k]) => k));
  const echo = new Set(Object.values(allArgs).filter((v): v is string => typeof v === 'string'));
  const tidy = tidyOutput(value, { echo, hideIds: !tool.isAction });
  const titled = isRecord(tidy) ? titleOf(tidy) : undefined;
  const note = leadNote(tidy);
  let headline: string;
  if (tool.isAction && titled) {
    // "Done: I reserved 2 × **Alpine 2 Tent**": what the result calls the thing, not the SKU it was asked with.
    const count = Object.entries(args).find(([key, v]) => typeof v === 'number' && /quantity|qty|count/i.test(key))?.[1];
    skip.add(titled.key);
    headline = `Done: I ${tool.past} ${count === undefined ? '' : `${String(count)} × `}**${titled.title}**. Here are the details:`;
  } else if (tool.isAction) {
    // "Done: I booked a table for 2 on 24 December 2026 at 19:30.": what was done, read back from the call.
    const details = actionDetails(args);
    const thing = subject?.kind === 'id' ? subject.text : `${details ? 'a' : 'the'} ${object}${where}`;
    headline = `Done: I ${tool.past} ${[thing, details].filter(Boolean).join(' ')}. Here are the details:`;
  } else if (note) {
    headline = `I ${tool.past} ${subject?.kind === 'id' ? subject.text : `the ${object}`}. ${note.text} Here are the details:`;
  } else {
    headline = subject?.kind === 'id' || subject?.kind === 'query' ? `Here's what I found${where}:` : `Here's the ${object}${where}:`;
  }
  if (note) skip.add(note.key);
  const items = resultList(tidy, true);
  // One record: its title in bold on a line of its own (`**Alpine 2 Tent**`), then its facts.
  const one = items?.length === 1 && isRecord(items[0]) ? items[0] : undefined;
  const oneTitle = one && titleOf(one);
  const facts = one ? [...(oneTitle ? [`**${oneTitle.title}**`] : []), ...factLines(one, new Set(oneTitle ? [oneTitle.key] : []))]
    : items && items.length > 1 ? bullets(items, labelledItem)
    : factLines(tidy, skip);
  return facts.length > 0 ? `${headline}\n\n${facts.join('\n')}` : headline.replace(/ Here are the details:$|:$/, '.');
}

/** Offers a next step that fits (after trouble a way to read, else an action the visitor hinted at), or asks what else to do. */
function closing(ctx: ReplyContext, results: Result[], trouble: boolean): string {
  const called = new Set(results.map((r) => r.name));
  const known: Args = Object.assign({}, ...results.map((r) => r.args));
  const covered = new Set([...called].flatMap(identifierStems));
  const stems = contentStems(ctx.turn.lastUser);
  for (const tool of ctx.tools) {
    if (tool.name.startsWith(HANDOFF_PREFIX) || called.has(tool.name) || trouble === toolWords(tool.name).isAction) continue;
    const args = argsFromKnown(tool, known);
    if (!args) continue;
    if (trouble) return `${EN.anythingElseToDo} For example, I can ${actionPhrase(tool.name, args)}.`;
    const own = identifierStems(tool.name).filter((s) => !covered.has(s));
    if (scoreMatch(stems, { nameStems: own, descriptionStems: [] }).score > 0) return `If you'd like, I can also ${actionPhrase(tool.name, args)} for you.`;
  }
  return trouble ? EN.anythingElseToDo : EN.anythingElse;
}

/** The tool's arguments from what earlier calls used, when every required specific field is known. */
function argsFromKnown(tool: ModelTool, known: Args): Args | undefined {
  const args: Args = {};
  for (const field of requiredOf(tool)) {
    if (known[field] !== undefined) args[field] = known[field];
    else if (!['reason', 'query', 'boolean', 'enum'].includes(fieldKind(field, propertiesOf(tool)[field] ?? {}))) return undefined;
  }
  return args;
}

/** How to ask for one field: "your order number", "which city you mean", "the quantity (1 to 10)". */
function fieldAsk(field: string, tool: ModelTool): string {
  const property = (propertiesOf(tool)[field] ?? {}) as { type?: unknown; minimum?: unknown; maximum?: unknown };
  const kind = fieldKind(field, property);
  if (kind === 'id' && isProductCode(field)) return `the ${label(field).toLowerCase().replace(/\bsku\b/, 'SKU')}`;
  if (kind === 'id') return `your ${field.replace(/_?id$/i, '').replace(/_/g, ' ') || toolWords(tool.name).object || 'reference'} number`;
  if (kind === 'place') return `which ${field === 'location' || field === 'place' ? 'place' : field} you mean`;
  if (kind === 'query') return "what you're looking for";
  if (kind === 'email') return 'your email address';
  // "the quantity (1 to 10)": the range the tool accepts, so the next answer fits it.
  const { minimum, maximum } = property;
  const range = kind === 'number' && typeof minimum === 'number' && typeof maximum === 'number' ? ` (${minimum} to ${maximum})` : '';
  return `the ${label(field).toLowerCase()}${range}`;
}

/** "look up your order", "get the weather": an order number is the visitor's own ("your order"), a product code is not. */
function capability(tool: ModelTool): string {
  const { infinitive, object } = toolWords(tool.name);
  if (!object) return infinitive;
  const owned = Object.keys(propertiesOf(tool)).some((p) => fieldKind(p, {}) === 'id' && !isProductCode(p));
  return `${infinitive} ${owned ? 'your' : 'the'} ${object}`;
}

/** "the billing specialist", from "You are the billing specialist at Acme…". */
function agentName(instructions: string): string {
  const match = /\byou are\s+([^.!?\n]+)/i.exec(instructions);
  const name = match?.[1]?.split(/,|;|\s+(?:who|that|which|and|helping|responsible|working|for|at|on|in)\s/i)[0]?.trim();
  return name && name.length <= 60 ? name : 'the assistant';
}

/** What a transfer covers: the lead of its description ("Billing and orders: …"), or the team's name with its first clause. */
function topicOf(tool: ModelTool): string {
  const lower = (text: string): string => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
  const lead = /^([^:.;]{3,60}):/.exec(tool.description)?.[1]?.trim();
  if (lead) return lower(lead);
  const team = tool.name.slice(HANDOFF_PREFIX.length).replace(/[_-]+/g, ' ');
  const about = wholeWords(tool.description.split(/[.;]/)[0]?.trim() ?? '', 80);
  return about ? `${team} (${lower(about)})` : team;
}

/** "I can look up your order. I can also help with technical support and products and plans." */
function offer(tools: ModelTool[], lex: Lexicon): string {
  const own = tools.filter((t) => !t.name.startsWith(HANDOFF_PREFIX)).map(capability);
  const topics = tools.filter((t) => t.name.startsWith(HANDOFF_PREFIX)).map(topicOf);
  const topicList = topics.some((t) => t.includes(',')) ? topics.join('; ') : AND_LIST.format(topics);
  return [
    own.length > 0 ? lex.phrases.canDo.replace('{capabilities}', AND_LIST.format(own)) : '',
    // A specialist's other desks come after what it does itself: "I can also help with …".
    topics.length > 0 ? lex.phrases[own.length > 0 ? 'canAlsoHelpWith' : 'canHelpWith'].replace('{topics}', topicList) : '',
  ].filter(Boolean).join(' ');
}

/** The model's own words: an honest "not here", a greeting, thanks, or a hand-over; never the visitor's message repeated. */
function ownReply(ctx: ReplyContext, lex: Lexicon): string {
  const say = (phrase: string): string => phrase.replace('{name}', agentName(ctx.instructions));
  const talk = smallTalk(ctx.turn.lastUser);
  // What the workflow says of this agent in the visitor's language, where it gives it, stands for the English offer.
  const can = (): string => (ctx.language === 'en' ? undefined : localizedTextIn(ctx.instructions, ctx.language)) ?? offer(ctx.tools, lex);
  let parts: string[];
  if (ctx.unable) {
    const { verb, instead } = ctx.unable;
    parts = [lex.phrases.unable.replace('{verb}', verb), instead ? lex.phrases.canOffer.replace('{action}', actionPhrase(instead.name, instead.args)) : can()];
  } else if (ctx.honest === 'human') parts = [say(lex.phrases.human), can()];
  else if (ctx.honest === 'off_topic') parts = [lex.phrases.offTopic, can()];
  else if (talk === 'thanks') return lex.phrases.welcome;
  else if (talk === 'greeting') parts = [say(lex.phrases.greeting), can(), lex.phrases.whatCanIDo];
  else if (ctx.handedOff) {
    const idTool = ctx.tools.find((t) => capability(t).includes(' your '));
    const idField = idTool && (Object.keys(propertiesOf(idTool)).find((p) => fieldKind(p, {}) === 'id') ?? 'id');
    parts = [say(lex.phrases.handedOff), idTool ? `Could you share ${fieldAsk(idField!, idTool)} so I can take a look?` : lex.phrases.tellMeMore];
  } else parts = [lex.phrases.tellMeMore, can()];
  return parts.filter(Boolean).join(' ');
}
