/**
 * The visitor's earlier messages that their latest one continues: while the assistant's last
 * words before a visitor message were a question (after at most a handoff), the message before
 * that question is part of the same request. "book a table for 2" → "What date and time?" →
 * "tomorrow" → "What time?" → "7pm" carries the party size and the date over to the last answer.
 */
import type { ModelInputItem } from '../../model.ts';
import { contentText } from '../../model.ts';
import { userWords } from '../see-attachments.ts';

const HANDOFF_PREFIX = 'transfer_to_';
/** How far back a request is carried over. */
const MAX_EARLIER = 4;
const MAX_READ_CHARS = 4_000;

type UserMessage = Extract<ModelInputItem, { type: 'message' }>;

function isUser(item: ModelInputItem | undefined): item is UserMessage {
  return item?.type === 'message' && item.role === 'user';
}

/** The user message that the one at `index` answers a question after, or -1. */
function answeredFrom(conversation: ModelInputItem[], index: number): number {
  const before = conversation[index - 1];
  if (!(before?.type === 'message' && before.role === 'assistant' && contentText(before.content).trim().endsWith('?'))) return -1;
  for (let i = index - 2; i >= 0; i--) {
    const item = conversation[i];
    if (isUser(item)) return i;
    const handoffStep = (item?.type === 'function_call' && item.name.startsWith(HANDOFF_PREFIX)) || item?.type === 'function_call_output';
    if (!handoffStep) return -1;
  }
  return -1;
}

/** The visitor's words of the earlier messages the latest one continues, newest first. */
export function earlierAnswers(conversation: ModelInputItem[]): string[] {
  let index = -1;
  for (let i = conversation.length - 1; i >= 0; i--) if (isUser(conversation[i])) { index = i; break; }
  const texts: string[] = [];
  while (index >= 0 && texts.length < MAX_EARLIER) {
    index = answeredFrom(conversation, index);
    const item = conversation[index];
    if (isUser(item)) texts.push(userWords(item.content).slice(0, MAX_READ_CHARS));
  }
  return texts;
}
