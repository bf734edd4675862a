import type {
  Attachment,
  ConnectionUser,
  Item,
  Limits,
  ModelInfo,
  RunError,
  RunStatus,
  ThreadInfo,
  ThreadSummary,
  ToolCallItem,
  WorkflowInfo,
} from '@agent-chat/shared';
import { draftsReady, type DraftFile } from './attachments.ts';

/**
 * Where the widget's link to the server stands.
 * - `idle`: not started (a launcher that was never opened).
 * - `connecting`: first connection attempt, handshake or thread open in flight.
 * - `connected`: handshake done and the thread is open: the visitor can send.
 * - `reconnecting`: the socket dropped; a retry is scheduled or in flight.
 * - `failed`: the server refused us for good (unsupported protocol, unauthorized), or could not
 *   be reached several attempts in a row (`connection_failed`: the visitor may Retry); no retry.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** A message the visitor sent that the thread has not shown as a `user_message` item yet. */
export interface PendingMessage {
  readonly clientMessageId: string;
  readonly text: string;
  /** The uploaded files sent with it. */
  readonly attachments: readonly Attachment[];
  readonly createdAt: string;
  /** `sending` until `message.accepted`; `failed` when the server answered with an error. */
  readonly status: 'sending' | 'accepted' | 'failed';
  /** The item id from `message.accepted`, used to drop this entry when the item arrives. */
  readonly itemId?: string;
}

/** The outcome of the last run that finished, for the status line. */
export interface LastRun {
  readonly runId: string;
  readonly status: RunStatus;
  readonly error?: RunError;
}

/**
 * The server asked the visitor to wait (`rate_limited` with `retryAfterMs`): sending is off
 * until `until`. A long wait (a daily budget) shows the server's own text instead of a countdown.
 */
export interface Wait {
  /** Epoch milliseconds when sending may succeed again. */
  readonly until: number;
  /** How long the server asked us to wait, in ms. */
  readonly ms: number;
  /** The server's message, shown as is for a long wait. */
  readonly message: string;
  readonly long: boolean;
}

/** The visitor's rating of an answer: `saved` once the server confirmed it (`feedback.saved`). */
export interface Rating {
  readonly rating: 'up' | 'down';
  readonly saved: boolean;
  /** A comment went with it. */
  readonly commented?: boolean;
}

/** The visitor's threads for the thread list (`thread.list`); null until asked. */
export interface ThreadList {
  readonly threads: readonly ThreadSummary[];
  readonly loading: boolean;
}

/** An error to show in the status line. */
export interface ViewError {
  readonly code: string;
  readonly message: string;
}

/** Everything the element renders, built only by the reducer. */
export interface ViewModel {
  readonly connection: ConnectionStatus;
  readonly user: ConnectionUser | null;
  readonly limits: Limits | null;
  /** `ready.model`: whether replies come from the server's offline demo model. */
  readonly model: ModelInfo | null;
  readonly thread: ThreadInfo | null;
  readonly workflow: WorkflowInfo | null;
  /** The highest `seq` applied; events at or below it are duplicates and ignored. */
  readonly lastSeq: number;
  /** Set when an event arrived past a gap (`seq > lastSeq + 1`): the controller reopens with `afterSeq`. */
  readonly needsResync: boolean;
  readonly items: readonly Item[];
  /** Whether older items exist on the server (`thread.history`). */
  readonly hasMore: boolean;
  readonly pending: readonly PendingMessage[];
  readonly activeRunId: string | null;
  /** Set once the visitor pressed Stop, until the run finishes. */
  readonly cancelRequested: boolean;
  /** The agent currently answering (agent id), from `thread.opened`, `run.started` and handoffs. */
  readonly currentAgent: string | null;
  /** Tool calls whose approval answer was sent but whose item has not changed yet. */
  readonly approvalsSent: Readonly<Record<string, boolean>>;
  readonly lastRun: LastRun | null;
  readonly error: ViewError | null;
  readonly wait: Wait | null;
  /** Files chosen for the next message. */
  readonly drafts: readonly DraftFile[];
  /** Why chosen files were left out (too big, a type not accepted, too many), until the next choice. */
  readonly attachNotice: readonly string[];
  /** Ratings of the thread's answers, by item id. */
  readonly feedback: Readonly<Record<string, Rating>>;
  /** The visitor's threads, once the thread list asked for them. */
  readonly threadList: ThreadList | null;
  /** A retry of the failed run was asked for and has not started yet. */
  readonly retrying: boolean;
}

/** The view model before anything happened. */
export function initialViewModel(): ViewModel {
  return {
    connection: 'idle',
    user: null,
    limits: null,
    model: null,
    thread: null,
    workflow: null,
    lastSeq: 0,
    needsResync: false,
    items: [],
    hasMore: false,
    pending: [],
    activeRunId: null,
    cancelRequested: false,
    currentAgent: null,
    approvalsSent: {},
    lastRun: null,
    error: null,
    wait: null,
    drafts: [],
    attachNotice: [],
    feedback: {},
    threadList: null,
    retrying: false,
  };
}

/** Display name of an agent id, from the workflow's agent list (the id itself when unknown). */
export function agentName(vm: ViewModel, agentId: string | null | undefined): string {
  if (!agentId) return '';
  return vm.workflow?.agents.find((a) => a.id === agentId)?.name ?? agentId;
}

/** Tool calls waiting for the visitor's Approve or Deny. */
export function pendingApprovals(vm: ViewModel): ToolCallItem[] {
  return vm.items.filter((i): i is ToolCallItem => i.type === 'tool_call' && i.status === 'awaiting_approval');
}

/** Whether the visitor can send a message right now. */
export function canSend(vm: ViewModel): boolean {
  return vm.connection === 'connected' && vm.thread !== null && vm.wait === null;
}

/**
 * Whether the message in the box (with `hasText`) and the chosen files can be sent now: Send
 * stays off while an upload is in flight or failed, so a message never leaves without a file
 * the visitor chose.
 */
export function canSendDraft(vm: ViewModel, hasText: boolean): boolean {
  return canSend(vm) && draftsReady(vm.drafts) && (hasText || vm.drafts.length > 0);
}

/** Whether an assistant message is still streaming (used to hold screen-reader announcements). */
export function isStreaming(vm: ViewModel): boolean {
  return vm.items.some((i) => i.type === 'assistant_message' && i.status === 'in_progress');
}

/** The failed run the status line offers to retry: the last run, failed or out of turns, with nothing running. */
export function retryableRun(vm: ViewModel): string | null {
  if (vm.activeRunId || !vm.lastRun || vm.connection !== 'connected') return null;
  return vm.lastRun.status === 'failed' || vm.lastRun.status === 'max_turns' ? vm.lastRun.runId : null;
}
