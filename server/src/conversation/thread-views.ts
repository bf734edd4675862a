import type { ThreadOpened, Workflow, WorkflowInfo } from '@agent-chat/shared';
import type { MessageLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import type { ThreadRecord } from '../store/records.ts';

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
  // No upload routes yet: no upload id exists.
  if (attachments.length > 0) throw new AppError('not_found', 'No such upload.');
  if (text.trim() === '') throw new AppError('invalid_request', 'The message is empty.');
}
