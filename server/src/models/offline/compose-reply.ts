/**
 * The offline model's text replies: one that uses the tool results since the visitor's last
 * message, one that asks for a missing detail, or one that introduces the agent in the voice
 * its instructions give it ("You are the billing specialist…"). Pure and deterministic.
 */
import type { ModelInputItem, ModelTool } from '../model.ts';
import { fieldKind, type FilledArguments } from './fill-arguments.ts';
import type { Turn } from './offline-brain.ts';
import { HANDOFF_PREFIX } from './route-message.ts';
import {
  actionDetails, classifyOutput, describeRecord, factLines, label, labelledItem, leadNote, oneLine, resultData, resultList, soleList, tidyOutput, titleOf, wholeWords,
} from './summarize-output.ts';
import { fold, lexicon, type Lexicon } from './lexicon/index.ts';
import { smallTalk } from './route-message.ts';
import { contentStems, identifierStems, scoreMatch, words } from './text-match.ts';
import { actionPhrase, callSubject, isProductCode, toolWords } from './tool-words.ts';
import { askForMissing } from './arguments/ask-missing.ts';


export interface ReplyContext {
  instructions: string;
  /** Every tool offered, handoffs included. */
  tools: ModelTool[];
  turn: Turn;
  /** A handoff brought the conversation to this agent since the visitor's last message. */
  handedOff: boolean;
  /** A tool that fits the message but lacks required arguments: ask for them. */
  missing?: (FilledArguments & { tool: ModelTool }) | undefined;
  /** Nothing here fits: the visitor asked for a person, or about something this desk does not cover. */
  honest?: 'human' | 'off_topic' | undefined;
  /** An action the visitor asked for that no tool takes, and a call that could help instead. */
  unable?: { verb: string; instead: { name: string; args: Record<string, unknown> } | undefined } | undefined;
  /** The visitor's language (`lexicon/`). */
  language: string;
}

/**
 * Writes the reply. The model's own sentences come in the visitor's language; what only
 * English words can say (tool results, the workflow's text) comes after a note in theirs.
 */
export function composeReply(ctx: ReplyContext): string {
  const lex = lexicon(ctx.language);
  const results = pairResults(ctx.turn.since, ctx.turn.lastUser);
  if (results.length === 0 && !ctx.missing) return ownReply(ctx, lex);
  const text = results.length > 0 ? resultsReply(ctx, results) : askReply(ctx.missing!);
  return lex.phrases.answersInEnglish ? `${lex.phrases.answersInEnglish}\n\n${text}` : text;
}

interface Result {
  name: string;
  /** The call's arguments a reply may quote. */
  args: Record<string, unknown>;
  /** Every argument, echoes of the visitor's message included: none of them is repeated as a fact. */
  allArgs: Record<string, unknown>;
  output: string | undefined;
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Folded words of a text, for comparing a call's argument with the visitor's message. */
function gist(text: string): string {
  return words(text).map(fold).join(' ');
}

/**
 * The calls since the visitor's message with their outputs. An argument that is the visitor's
 * whole message (a search for the question as asked) is left out of what the reply quotes:
 * the reply never repeats the visitor back.
 */
function pairResults(since: ModelInputItem[], lastUser: string): Result[] {
  const outputs = new Map<string, string>();
  for (const item of since) if (item.type === 'function_call_output') outputs.set(item.callId, item.output);
  const asked = gist(lastUser);
  return since.flatMap((item) => {
    if (item.type !== 'function_call' || item.name.startsWith(HANDOFF_PREFIX)) return [];
    const allArgs = parseArgs(item.arguments);
    const args = Object.fromEntries(Object.entries(allArgs).filter(([, v]) => typeof v !== 'string' || asked.split(' ').length < 3 || !gist(v).includes(asked)));
    return [{ name: item.name, args, allArgs, output: outputs.get(item.callId) }];
  });
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function resultsReply(ctx: ReplyContext, results: Result[]): string {
  const sections: string[] = [];
  let trouble = false;
  for (const result of results) {
    const phrase = actionPhrase(result.name, result.args);
    if (result.output === undefined) {
      sections.push(`I started to ${phrase}, but it has not finished yet.`);
      continue;
    }
    const outcome = classifyOutput(result.output);
    if (outcome.kind === 'denied') {
      trouble = true;
      sections.push(`Okay, I did not ${phrase}, because the request was not approved.`);
    } else if (outcome.kind === 'failed') {
      trouble = true;
      sections.push(`Sorry, I couldn't ${phrase} just now (${outcome.detail || 'the tool reported an error'}).`);
    } else {
      sections.push(okSection(result, outcome.value));
    }
  }
  sections.push(closing(ctx, results, trouble));
  return sections.join('\n\n');
}

function okSection({ name, args, allArgs }: Result, output: unknown): string {
  const value = resultData(output);
  const words = toolWords(name);
  const subject = callSubject(name, args);
  const skip = new Set(Object.entries(allArgs).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k]) => k));
  // A tool that found nothing says so (`found: false`, docs/protocol.md): relay its own words.
  if (value && typeof value === 'object' && (value as { found?: unknown }).found === false) {
    const message = (value as { message?: unknown }).message;
    const where = subject ? ` for ${subject.text}` : '';
    return typeof message === 'string' && message.trim() ? `I couldn't find anything${where}: ${oneLine(message)}` : `I couldn't find anything${where}.`;
  }
  const list = resultList(value);
  if (list && (Array.isArray(value) || ['search', 'find', 'list', 'query'].includes(words.verb))) {
    const where = subject ? ` for ${subject.text}` : '';
    if (list.length === 0) return `I couldn't find anything${where}.`;
    return `Here's what I found${where}:\n\n${factLines(list).join('\n')}`;
  }
  const object = words.object || 'result';
  // Echoes of the call's own words, `found: true` and (for a lookup) internal ids say nothing to the visitor.
  const echo = new Set(Object.values(allArgs).filter((v): v is string => typeof v === 'string'));
  const tidy = tidyOutput(value, { echo, hideIds: !words.isAction });
  const titled = tidy && typeof tidy === 'object' && !Array.isArray(tidy) ? titleOf(tidy as Record<string, unknown>) : undefined;
  // What the result says about itself comes first ("Two charges of $59.00 for one order…").
  const note = leadNote(tidy);
  if (note) skip.add(note.key);
  let headline: string;
  if (words.isAction && titled) {
    // "Done: I reserved 2 × **Alpine 2 Tent**": what the result calls the thing, not the SKU it was asked with.
    const count = Object.entries(args).find(([key, v]) => typeof v === 'number' && /quantity|qty|count/i.test(key))?.[1];
    skip.add(titled.key);
    headline = `Done: I ${words.past} ${count === undefined ? '' : `${String(count)} × `}**${titled.title}**. Here are the details:`;
  } else if (words.isAction) {
    // "Done: I booked a table for 2 on 24 December 2026 at 19:30.": what was done, read back from the call.
    const details = actionDetails(args);
    const what = subject?.kind === 'id' ? subject.text : `${details ? 'a' : 'the'} ${object}${subject ? ` for ${subject.text}` : ''}`;
    headline = `Done: I ${words.past} ${[what, details].filter(Boolean).join(' ')}. Here are the details:`;
  } else if (note) {
    headline = `I ${words.past} ${subject?.kind === 'id' ? subject.text : `the ${object}`}. ${note.text} Here are the details:`;
  } else if (subject?.kind === 'id' || subject?.kind === 'query') {
    headline = `Here's what I found for ${subject.text}:`;
  } else {
    headline = `Here's the ${object}${subject ? ` for ${subject.text}` : ''}:`;
  }
  const items = soleList(tidy);
  let facts: string[];
  if (items?.length === 1 && items[0] && typeof items[0] === 'object' && !Array.isArray(items[0])) {
    facts = describeRecord(items[0] as Record<string, unknown>);
  } else if (items && items.length > 1) {
    facts = items.slice(0, 5).map(labelledItem);
    if (items.length > 5) facts.push(`- …and ${items.length - 5} more`);
  } else {
    facts = factLines(tidy, skip);
  }
  return facts.length > 0 ? `${headline}\n\n${facts.join('\n')}` : headline.replace(/ Here are the details:$|:$/, '.');
}

/** Offers a next step that fits (an action tool the visitor hinted at), or asks what else to do. */
function closing(ctx: ReplyContext, results: Result[], trouble: boolean): string {
  const called = new Set(results.map((r) => r.name));
  const known: Record<string, unknown> = Object.assign({}, ...results.map((r) => r.args));
  const covered = new Set([...called].flatMap(identifierStems));
  const stems = contentStems(ctx.turn.lastUser);
  for (const tool of ctx.tools) {
    if (tool.name.startsWith(HANDOFF_PREFIX) || called.has(tool.name)) continue;
    const words = toolWords(tool.name);
    // After trouble, offer a way to read; otherwise an action the visitor's words point at.
    if (trouble === words.isAction) continue;
    const args = argsFromKnown(tool, known);
    if (!args) continue;
    const own = identifierStems(tool.name).filter((s) => !covered.has(s));
    const hinted = scoreMatch(stems, { nameStems: own, descriptionStems: [] }).score > 0;
    if (trouble) return `Is there anything else I can do for you? For example, I can ${actionPhrase(tool.name, args)}.`;
    if (hinted) return `If you'd like, I can also ${actionPhrase(tool.name, args)} for you.`;
  }
  return trouble ? 'Is there anything else I can do for you?' : 'Is there anything else I can help with?';
}

/** The tool's arguments from what earlier calls used, when every required specific field is known. */
function argsFromKnown(tool: ModelTool, known: Record<string, unknown>): Record<string, unknown> | undefined {
  const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
  const args: Record<string, unknown> = {};
  for (const field of required) {
    if (known[field] !== undefined) args[field] = known[field];
    else if (!['reason', 'query', 'boolean', 'enum'].includes(fieldKind(field, properties[field] ?? {}))) return undefined;
  }
  return args;
}

function fieldAsk(field: string, tool: ModelTool): string {
  const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  switch (fieldKind(field, properties[field] ?? {})) {
    case 'id': {
      if (isProductCode(field)) return `the ${label(field).toLowerCase().replace(/\bsku\b/, 'SKU')}`;
      const entity = field.replace(/_?id$/i, '').replace(/_/g, ' ') || toolWords(tool.name).object || 'reference';
      return `your ${entity} number`;
    }
    case 'place':
      return `which ${field === 'location' || field === 'place' ? 'place' : field} you mean`;
    case 'query':
      return "what you're looking for";
    case 'email':
      return 'your email address';
    case 'number': {
      // "the quantity (1 to 10)": the range the tool accepts, so the next answer fits it.
      const { minimum, maximum } = (properties[field] ?? {}) as { minimum?: unknown; maximum?: unknown };
      const range = typeof minimum === 'number' && typeof maximum === 'number' ? ` (${minimum} to ${maximum})` : '';
      return `the ${label(field).toLowerCase()}${range}`;
    }
    default:
      return `the ${label(field).toLowerCase()}`;
  }
}

function askReply(missing: FilledArguments & { tool: ModelTool }): string {
  return `I can ${capability(missing.tool)} for you. ${askForMissing(missing.missing, missing.tool.parameters, (field) => fieldAsk(field, missing.tool))}`;
}

/** "look up your order", "get the weather", "check the service status". */
function capability(tool: ModelTool): string {
  const words = toolWords(tool.name);
  if (!words.object) return words.infinitive;
  const properties = Object.keys((tool.parameters.properties ?? {}) as Record<string, unknown>);
  // An order number is the visitor's own ("your order"); a product code is not ("the item").
  const owned = properties.some((p) => fieldKind(p, {}) === 'id' && !isProductCode(p));
  return `${words.infinitive} ${owned ? 'your' : 'the'} ${words.object}`;
}

/** "the billing specialist", from "You are the billing specialist at Acme…". */
export function agentName(instructions: string): string {
  const match = /\byou are\s+([^.!?\n]+)/i.exec(instructions);
  const name = match?.[1]?.split(/,|;|\s+(?:who|that|which|and|helping|responsible|working|for|at|on|in)\s/i)[0]?.trim();
  return name && name.length <= 60 ? name : 'the assistant';
}

/**
 * What a transfer covers, in whole words: the lead of its description ("Billing and orders: …"),
 * or the team's name with the first clause of its description.
 */
function topicOf(tool: ModelTool): string {
  const lower = (text: string): string => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
  const lead = /^([^:.;]{3,60}):/.exec(tool.description)?.[1]?.trim();
  if (lead) return lower(lead);
  const team = tool.name.slice(HANDOFF_PREFIX.length).replace(/[_-]+/g, ' ');
  const about = wholeWords(tool.description.split(/[.;]/)[0]?.trim() ?? '', 80);
  return about ? `${team} (${lower(about)})` : team;
}

/** "I can look up your order. I can help with billing and orders; technical support and products and plans." */
function offer(tools: ModelTool[], lex: Lexicon): string {
  const own = tools.filter((t) => !t.name.startsWith(HANDOFF_PREFIX)).map(capability);
  const topics = tools.filter((t) => t.name.startsWith(HANDOFF_PREFIX)).map(topicOf);
  const sentences: string[] = [];
  if (own.length > 0) sentences.push(lex.phrases.canDo.replace('{capabilities}', joinAnd(own)));
  if (topics.length > 0) sentences.push(lex.phrases.canHelpWith.replace('{topics}', topics.some((t) => t.includes(',')) ? topics.join('; ') : joinAnd(topics)));
  return sentences.join(' ');
}

/** The model's own words: an honest "not here", a greeting, thanks, or a hand-over; never the visitor's message repeated. */
function ownReply(ctx: ReplyContext, lex: Lexicon): string {
  const name = agentName(ctx.instructions);
  const say = (phrase: string): string => phrase.replace('{name}', name);
  const parts: string[] = [];
  const talk = smallTalk(ctx.turn.lastUser);
  if (ctx.unable) {
    const { verb, instead } = ctx.unable;
    parts.push(lex.phrases.unable.replace('{verb}', verb), instead ? lex.phrases.canOffer.replace('{action}', actionPhrase(instead.name, instead.args)) : offer(ctx.tools, lex));
  } else if (ctx.honest === 'human') parts.push(say(lex.phrases.human), offer(ctx.tools, lex));
  else if (ctx.honest === 'off_topic') parts.push(lex.phrases.offTopic, offer(ctx.tools, lex));
  else if (talk === 'thanks') return lex.phrases.welcome;
  else if (talk === 'greeting') parts.push(say(lex.phrases.greeting), offer(ctx.tools, lex), lex.phrases.whatCanIDo);
  else if (ctx.handedOff) {
    const idTool = ctx.tools.find((t) => capability(t).includes(' your '));
    const hint = idTool ? `Could you share ${fieldAsk(firstIdField(idTool), idTool)} so I can take a look?` : lex.phrases.tellMeMore;
    parts.push(say(lex.phrases.handedOff), hint);
  } else parts.push(lex.phrases.tellMeMore, offer(ctx.tools, lex));
  return parts.filter(Boolean).join(' ');
}

function firstIdField(tool: ModelTool): string {
  return Object.keys((tool.parameters.properties ?? {}) as Record<string, unknown>).find((p) => fieldKind(p, {}) === 'id') ?? 'id';
}
