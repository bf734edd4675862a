/**
 * Where a fresh visitor message belongs, from generic signals only: the words of the agent's own
 * tools and of its transfer tools (names and descriptions), and the lexicon's word lists. Another
 * desk's topic goes there, a request for a person is named as such, and a message nothing here
 * covers is off topic.
 */
import { HANDOFF_PREFIX } from '../../agents/handoff.ts';
import type { ModelTool } from '../model.ts';
import { fold, union } from './lexicon/index.ts';
import { contentStems, identifierStems, type MatchTarget, scoreMatch, words } from './text-match.ts';
import { requiredOf } from './tool-words.ts';

/** The least score a transfer needs: one description word, or a name word through a topic set. */
const HANDOFF_THRESHOLD = 0.5;

/** Where the message goes: another agent, a person (or the honest word that there is none), nowhere here, or this agent. */
export type Route = { kind: 'handoff'; tool: ModelTool } | { kind: 'human'; tool?: ModelTool | undefined } | { kind: 'off_topic' } | { kind: 'stay' };

const PERSONS = union((l) => l.human.persons);
const CONTACT = union((l) => l.human.contactVerbs);
const ALONE = union((l) => l.human.alone);
const GREETINGS = union((l) => l.greetings);
const THANKS = union((l) => l.thanks);

/** "talking" → "talk", "connected" → "connect": enough for contact verbs. */
const isContact = (word: string): boolean => CONTACT.has(word) || CONTACT.has(word.replace(/(?:ing|ed|s)$/, ''));
/** A person word with a contact verb, or a word that says it alone ("human"). */
const namesPerson = (folded: string[]): boolean => folded.some((w) => ALONE.has(w)) || (folded.some((w) => PERSONS.has(w)) && folded.some(isContact));

/** Small talk: a short greeting or thanks, which needs no desk. */
export function smallTalk(text: string): 'greeting' | 'thanks' | undefined {
  const folded = words(text).map(fold);
  if (folded.length > 8) return undefined;
  if (folded.some((w) => THANKS.has(w))) return 'thanks';
  return folded.length <= 6 && GREETINGS.has(folded[0] ?? '') ? 'greeting' : undefined;
}

/** The words a tool is matched on. A transfer's name is only an agent's id ("product" in "a bug on the product page" is no reason to go there): one more description word. */
export function topicTarget(tool: ModelTool): MatchTarget {
  const description = contentStems(tool.description);
  if (!tool.name.startsWith(HANDOFF_PREFIX)) return { nameStems: identifierStems(tool.name), descriptionStems: description };
  return { nameStems: [], descriptionStems: [...identifierStems(tool.name.slice(HANDOFF_PREFIX.length)), ...description] };
}

/** How well a message's stems fit a tool. */
export const topicScore = (stems: string[], tool: ModelTool): number => scoreMatch(stems, topicTarget(tool)).score;

/**
 * Routes a fresh message, given how well this agent's best own tool other than a search fits it (`own.tools`, with words
 * many tools share weighing less) and how well anything of its own covers it (`own.covers`, every word whole). A transfer
 * wins when it fits at least as well as what the agent can do itself (a search does not compete, as its documents touch
 * every desk's topics); a message nothing covers is off topic.
 */
export function routeMessage(text: string, tools: ModelTool[], own: { tools: number; covers: number }): Route {
  // "Can I talk to a human?", "¿Puedo hablar con una persona?"
  if (namesPerson(words(text).map(fold))) {
    // A tool that reaches a person, when the workflow has one: its name or description speaks of one.
    const named = (tool: ModelTool): string[] => words(`${tool.name.replace(/[_-]+/g, ' ')} ${tool.description}`).map(fold);
    const human = tools.find((tool) => requiredOf(tool).length === 0 && namesPerson(named(tool)));
    return { kind: 'human', tool: human };
  }
  if (smallTalk(text)) return { kind: 'stay' };
  const stems = contentStems(text);
  // A transfer's words count whole: its description is that desk's topic, which the agent's own
  // instructions name too ("transfer order questions to Billing"), so rarity would mute it.
  const transfers = tools.filter((t) => t.name.startsWith(HANDOFF_PREFIX)).map((tool) => ({ tool, score: topicScore(stems, tool) }));
  const [best] = transfers.filter((t) => t.score >= HANDOFF_THRESHOLD).sort((a, b) => b.score - a.score);
  // A tie goes to the other desk: its description is about the topic, a tool of ours only touches it.
  if (best && best.score >= own.tools) return { kind: 'handoff', tool: best.tool };
  return own.covers < HANDOFF_THRESHOLD && stems.length > 0 ? { kind: 'off_topic' } : { kind: 'stay' };
}
