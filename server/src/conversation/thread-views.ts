import type { Attachment, ThreadOpened, Workflow, WorkflowInfo } from '@agent-chat/shared';
import type { MessageLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import type { ThreadRecord } from '../store/records.ts';
import type { UploadStore } from '../store/storage.ts';

/** The `thread` part of `thread.opened`. */
export function threadInfo(t: ThreadRecord): ThreadOpened['thread'] {
  return { id: t.id, title: t.title, workflow: t.workflow, currentAgent: t.currentAgent };
}

/** What a client needs of a workflow: its name and agent display names. */
export function workflowInfo(workflow: Workflow | undefined, thread: ThreadRecord): WorkflowInfo {
  // A workflow removed from WORKFLOWS_DIR after the thread was made: its history still opens.
  if (!workflow) return { id: thread.workflow, name: thread.workflow, agents: [] };
  return { id: workflow.id, name: workflow.name, agents: workflow.agents.map((a) => ({ id: a.id, name: a.name })) };
}

/** @throws AppError when a message breaks the announced limits or is empty. */
export function checkMessage(limits: MessageLimits, text: string, attachments: readonly string[]): void {
  if (text.length > limits.maxMessageChars) {
    throw new AppError('payload_too_large', `A message may have at most ${limits.maxMessageChars} characters.`);
  }
  if (attachments.length > limits.maxFilesPerMessage) {
    throw new AppError('invalid_request', `A message may carry at most ${limits.maxFilesPerMessage} files.`);
  }
  // A file alone is a message ("here is the screenshot").
  if (text.trim() === '' && attachments.length === 0) throw new AppError('invalid_request', 'The message is empty.');
}

/**
 * The attachments of a message from its upload ids: each must exist, belong to `owner` and not
 * have been sent with another message; anything else is `not_found`, exactly like a missing one.
 */
export async function resolveAttachments(uploads: UploadStore, owner: string, ids: readonly string[]): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  for (const id of new Set(ids)) {
    const upload = await uploads.get(id);
    if (!upload || upload.owner !== owner || upload.itemId !== null) throw new AppError('not_found', 'No such upload.');
    attachments.push({ id: upload.id, name: upload.name, mime: upload.mime, size: upload.size });
  }
  return attachments;
}
