import type { Item } from '@agent-chat/shared';
import { ownerKey } from '../identity/owner-key.ts';
import type { StoredFeedback } from '../store/records.ts';
import type { Storage } from '../store/storage.ts';

/** Everything kept about one signed-in user of one site (`GET /v1/admin/users/:sub/export`). */
export interface UserExport {
  user: { sub: string; siteId: string };
  threads: Array<{
    id: string;
    workflow: string;
    title: string;
    currentAgent: string;
    createdAt: string;
    updatedAt: string;
    items: Item[];
    feedback: StoredFeedback[];
  }>;
  /** Metadata of the user's uploaded files (sent or not yet), oldest first; `itemId` is the message it went with. */
  attachments: Array<{ id: string; name: string; mime: string; size: number; createdAt: string; itemId: string | null }>;
}

/** Collects a user's threads with their items and feedback, oldest thread first, and their files' metadata. */
export async function exportUserData(storage: Storage, siteId: string, sub: string): Promise<UserExport> {
  const owner = ownerKey(siteId, 'user', sub);
  const threads: UserExport['threads'] = [];
  for (const id of await storage.threads.idsByOwner(owner)) {
    const thread = await storage.threads.get(id);
    if (!thread) continue; // deleted meanwhile
    const { id: threadId, workflow, title, currentAgent, createdAt, updatedAt } = thread;
    const [items, feedback] = await Promise.all([storage.items.all(id), storage.feedback.forThread(id)]);
    threads.push({ id: threadId, workflow, title, currentAgent, createdAt, updatedAt, items, feedback });
  }
  const attachments = (await storage.uploads.ofOwner(owner)).map(({ id, name, mime, size, createdAt, itemId }) => ({ id, name, mime, size, createdAt, itemId }));
  return { user: { sub, siteId }, threads, attachments };
}
