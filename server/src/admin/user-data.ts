import type { Item } from '@agent-chat/shared';
import { ownerKey } from '../identity/owner-key.ts';
import type { StoredFeedback } from '../store/request-stores.ts';
import type { Store } from '../store/store.ts';

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
  /** Metadata of uploaded files; always empty while the server takes no uploads. */
  attachments: Array<{ id: string; name: string; mime: string; size: number }>;
}

/** Collects a user's threads with their items and feedback, oldest thread first. */
export function exportUserData(store: Store, siteId: string, sub: string): UserExport {
  const owner = ownerKey(siteId, 'user', sub);
  const threads = store.threads.idsByOwner(owner).flatMap((id) => {
    const thread = store.threads.get(id);
    if (!thread) return [];
    const { id: threadId, workflow, title, currentAgent, createdAt, updatedAt } = thread;
    return [{ id: threadId, workflow, title, currentAgent, createdAt, updatedAt, items: store.items.all(id), feedback: store.feedback.forThread(id) }];
  });
  return { user: { sub, siteId }, threads, attachments: [] };
}
