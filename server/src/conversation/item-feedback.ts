import type { Item, ItemFeedback } from '@agent-chat/shared';
import type { Storage } from '../store/storage.ts';

/**
 * The caller's ratings of `items`, to send along with them (docs/protocol.md, Requests): a
 * reload then shows which answers were rated. Undefined when none of them is rated, so the
 * field stays out of the frame. Comments stay on the server: the client only shows the rating.
 */
export async function feedbackFor(storage: Storage, threadId: string, items: readonly Item[]): Promise<ItemFeedback[] | undefined> {
  if (items.length === 0) return undefined;
  const ids = new Set(items.map((i) => i.id));
  const rated = (await storage.feedback.forThread(threadId)).filter((f) => ids.has(f.itemId));
  return rated.length > 0 ? rated.map((f) => ({ itemId: f.itemId, rating: f.rating })) : undefined;
}
