/**
 * The conversation around the visitor's latest message, as the offline model reads it: their
 * words, the earlier messages it continues (a message answering the assistant's question
 * continues the one before: "book a table for 2" → "What date and time?" → "tomorrow at 7pm"),
 * the items since, and its files.
 */
import { HANDOFF_PREFIX } from '../../agents/handoff.ts';
import { contentText, type ModelInputItem } from '../model.ts';
import { LEXICONS } from './lexicon/index.ts';
import { attachmentsOf, type SeenAttachment, userWords } from './see-attachments.ts';

/** `earlier`: the messages the latest continues, newest first (empty for a new request). */
export type Turn = { lastUser: string; earlier: string[]; since: ModelInputItem[]; attachments: SeenAttachment[] };

/** Only the start of a long message is read: enough to decide, and it bounds the work on untrusted text. How far back a request is carried. */
const [MAX_READ_CHARS, MAX_EARLIER] = [4_000, 4];

type Message = Extract<ModelInputItem, { type: 'message' }>;
const isUser = (item: ModelInputItem | undefined): item is Message => item?.type === 'message' && item.role === 'user';
const wordsOf = (item: Message): string => userWords(item.content).slice(0, MAX_READ_CHARS);

/** The model's open invitations ("What can I do for you?", "Is there anything else…?"), in every language: a message after one is a new request. */
const INVITATIONS = Object.values(LEXICONS).flatMap((l) => [l.phrases.whatCanIDo, l.phrases.anythingElse, l.phrases.anythingElseToDo]);

/** Whether the assistant's words ask the visitor for details: a question, not one of its invitations. */
const asksForDetails = (text: string): boolean => text.endsWith('?') && !INVITATIONS.some((invitation) => text.endsWith(invitation));

/** The user message that the one at `index` answers a question after (past at most a handoff), or -1. */
function answeredFrom(conversation: ModelInputItem[], index: number): number {
  const before = conversation[index - 1];
  if (!(before?.type === 'message' && before.role === 'assistant' && asksForDetails(contentText(before.content).trim()))) return -1;
  for (let i = index - 2; i >= 0; i--) {
    const item = conversation[i];
    if (isUser(item)) return i;
    if (!(item?.type === 'function_call_output' || (item?.type === 'function_call' && item.name.startsWith(HANDOFF_PREFIX)))) return -1;
  }
  return -1;
}

/** Reads the conversation around the latest user message (none: empty words, everything is "since"). */
export function readTurn(conversation: ModelInputItem[]): Turn {
  let last = conversation.length - 1;
  while (last >= 0 && !isUser(conversation[last])) last--;
  const lastItem = conversation[last];
  if (!isUser(lastItem)) return { lastUser: '', earlier: [], since: [...conversation], attachments: [] };
  const earlier: string[] = [];
  for (let index = answeredFrom(conversation, last); index >= 0 && earlier.length < MAX_EARLIER; index = answeredFrom(conversation, index)) {
    earlier.push(wordsOf(conversation[index] as Message));
  }
  // The visitor's own words: an attachment's text never picks a tool.
  return { lastUser: wordsOf(lastItem), earlier, since: conversation.slice(last + 1), attachments: attachmentsOf(lastItem.content) };
}
