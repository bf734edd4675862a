/**
 * The visitor's earlier messages that their latest one continues: a message answering the assistant's question (after at
 * most a handoff) continues the one before it. "book a table for 2" → "What date and time?" → "tomorrow" → "What time?" → "7pm".
 */
import { contentText, type ModelInputItem } from '../../model.ts';
import { userWords } from '../see-attachments.ts';

/** How far back a request is carried over, and how much of each message is read. */
const [MAX_EARLIER, MAX_READ_CHARS] = [4, 4_000];

const isUser = (item: ModelInputItem | undefined): item is Extract<ModelInputItem, { type: 'message' }> => item?.type === 'message' && item.role === 'user';

/** The user message that the one at `index` answers a question after, or -1. */
function answeredFrom(conversation: ModelInputItem[], index: number): number {
  const before = conversation[index - 1];
  if (!(before?.type === 'message' && before.role === 'assistant' && contentText(before.content).trim().endsWith('?'))) return -1;
  for (let i = index - 2; i >= 0; i--) {
    const item = conversation[i];
    if (isUser(item)) return i;
    if (!((item?.type === 'function_call' && item.name.startsWith('transfer_to_')) || item?.type === 'function_call_output')) return -1;
  }
  return -1;
}

/** The visitor's words of the earlier messages the latest one continues, newest first. */
export function earlierAnswers(conversation: ModelInputItem[]): string[] {
  const texts: string[] = [];
  let index = conversation.length - 1;
  while (index >= 0 && !isUser(conversation[index])) index--;
  while (index >= 0 && texts.length < MAX_EARLIER) {
    index = answeredFrom(conversation, index);
    const item = conversation[index];
    if (isUser(item)) texts.push(userWords(item.content).slice(0, MAX_READ_CHARS));
  }
  return texts;
}
