import type { AssistantMessageItem, ThreadEventBody, ToolCallItem } from '@agent-chat/shared';
import { done, remember, type RunState } from './run-state.ts';
import { callAgain, settleConcurrently } from './tool-execution.ts';

/** What continuing an interrupted run left. */
export interface ResumeOutcome {
  /** Calls that still wait for the visitor's approval. */
  awaiting: number;
}

/**
 * Continues a run whose server stopped under it, from the thread's items alone (nothing else
 * survives a crash): the reply it was streaming is closed as `incomplete` (its text kept; the
 * continuation streams as a new item), calls that were running are run again — with the same
 * call id, so a tool that keys its work on it does it once — and calls that had finished are
 * not. Calls awaiting approval keep waiting. The caller then lets the model go on.
 */
export async function* resumeInterrupted(state: RunState): AsyncGenerator<ThreadEventBody, ResumeOutcome> {
  for (const item of state.items) {
    if (item.type !== 'assistant_message' || item.status !== 'in_progress') continue;
    const closed: AssistantMessageItem = { ...item, status: 'incomplete' };
    remember(state, closed);
    yield done(closed);
  }
  const tasks: Promise<ToolCallItem>[] = [];
  for (const item of state.items) {
    if (item.type !== 'tool_call' || item.status !== 'running') continue;
    yield* callAgain(state, item, tasks);
  }
  state.toolCalls += tasks.length;
  yield* settleConcurrently(state, tasks);
  const awaiting = state.items.filter((item) => item.type === 'tool_call' && item.status === 'awaiting_approval').length;
  return { awaiting };
}
