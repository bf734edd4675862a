import { assertNever } from '@agent-chat/shared/assert-never';
import type { Attachment, Item, ServerMessage, ThreadEvent } from '@agent-chat/shared';
import { isKnownItemType } from '../connection/frame-check.ts';
import type { DraftFile } from './attachments.ts';
import { type ConnectionStatus, type PendingMessage, type ViewModel, type Wait, initialViewModel } from './view-model.ts';

/** Things the widget itself decides, as opposed to frames from the server. */
export type LocalAction =
  | { type: 'local.connection'; status: ConnectionStatus }
  /** The visitor sent a message: show it at once, before the server confirms it. */
  | { type: 'local.send'; clientMessageId: string; text: string; createdAt: string; attachments?: readonly Attachment[] }
  /** A failed message is being sent again. */
  | { type: 'local.retry'; clientMessageId: string }
  /** An Approve or Deny answer for this call left the widget. */
  | { type: 'local.approval'; callId: string }
  /** The visitor pressed Stop. */
  | { type: 'local.cancel' }
  /** "New conversation": forget the current thread until the new one opens. */
  | { type: 'local.new-thread' }
  | { type: 'local.dismiss-error' }
  /** The server asked us to wait (a Wait), or the wait is over (null, which also clears its error). */
  | { type: 'local.wait'; wait: Wait | null }
  /** Files chosen for the next message (their upload starts), and why others were left out. */
  | { type: 'local.files-chosen'; drafts: readonly DraftFile[]; refusals: readonly string[] }
  /** Upload progress, success or failure, or a retry (status back to `uploading`). */
  | { type: 'local.draft-update'; key: string; patch: Partial<Omit<DraftFile, 'key'>> }
  /** The visitor removed a chosen file. */
  | { type: 'local.draft-remove'; key: string }
  | { type: 'local.dismiss-attach-notice' }
  /** The visitor rated an answer (with or without a comment). */
  | { type: 'local.feedback'; itemId: string; rating: 'up' | 'down'; commented: boolean }
  /** The thread list asked for the visitor's threads. */
  | { type: 'local.list-threads' }
  /** Retry of the failed run was pressed. */
  | { type: 'local.retry-run' };

/** Everything the reducer applies. */
export type Action = ServerMessage | LocalAction;

/**
 * Applies one server frame or local action to the view model. Pure: it never mutates `vm`
 * and returns `vm` itself when nothing changed. Thread events are applied at most once, in
 * order: an event at or below `lastSeq` is a duplicate (a replay overlap) and is ignored; an
 * event past a gap is held back and flags `needsResync` so the controller can reopen with
 * `afterSeq` (docs/protocol.md, Opening and resuming a thread).
 */
export function reduce(vm: ViewModel, action: Action): ViewModel {
  switch (action.type) {
    case 'local.connection': {
      if (action.status === vm.connection) return vm;
      // Why the connection gave up is stale once it tries again.
      const stale = action.status !== 'failed' && vm.error?.code === 'connection_failed';
      return { ...vm, connection: action.status, error: stale ? null : vm.error };
    }
    case 'local.send': {
      const pending: PendingMessage = {
        clientMessageId: action.clientMessageId,
        text: action.text,
        attachments: action.attachments ?? [],
        createdAt: action.createdAt,
        status: 'sending',
      };
      // The chosen files went with the message.
      return { ...vm, pending: [...vm.pending, pending], error: null, drafts: [], attachNotice: [] };
    }
    case 'local.files-chosen':
      return { ...vm, drafts: [...vm.drafts, ...action.drafts], attachNotice: action.refusals };
    case 'local.draft-update': {
      if (!vm.drafts.some((d) => d.key === action.key)) return vm;
      return { ...vm, drafts: vm.drafts.map((d) => (d.key === action.key ? { ...d, ...action.patch } : d)) };
    }
    case 'local.draft-remove': {
      const drafts = vm.drafts.filter((d) => d.key !== action.key);
      return drafts.length === vm.drafts.length ? vm : { ...vm, drafts };
    }
    case 'local.dismiss-attach-notice':
      return vm.attachNotice.length ? { ...vm, attachNotice: [] } : vm;
    case 'local.retry':
      return {
        ...vm,
        pending: vm.pending.map((p) => (p.clientMessageId === action.clientMessageId ? { ...p, status: 'sending' } : p)),
        error: null,
      };
    case 'local.approval':
      return { ...vm, approvalsSent: { ...vm.approvalsSent, [action.callId]: true } };
    case 'local.cancel':
      return vm.activeRunId ? { ...vm, cancelRequested: true } : vm;
    case 'local.new-thread': {
      // A fresh thread on the same connection: keep who we are and what the server allows.
      // A wait is the visitor's, not the thread's: it stays, and so do the files chosen.
      const { connection, user, limits, workflow, wait, drafts, attachNotice, threadList } = vm;
      return { ...initialViewModel(), connection, user, limits, workflow, wait, drafts, attachNotice, threadList };
    }
    case 'local.dismiss-error':
      return vm.error ? { ...vm, error: null } : vm;
    case 'local.feedback':
      return { ...vm, feedback: { ...vm.feedback, [action.itemId]: { rating: action.rating, saved: false, commented: action.commented } } };
    case 'local.list-threads':
      return { ...vm, threadList: { threads: vm.threadList?.threads ?? [], loading: true } };
    case 'local.retry-run':
      return { ...vm, retrying: true, error: null };
    case 'local.wait':
      if (action.wait) return { ...vm, wait: action.wait };
      if (!vm.wait) return vm;
      return { ...vm, wait: null, error: vm.error?.code === 'rate_limited' ? null : vm.error };

    case 'ready':
      return { ...vm, user: action.user, limits: action.limits, model: action.model ?? null };
    case 'thread.opened':
      return applyThreadOpened(vm, action);
    case 'thread.items': {
      if (action.threadId !== vm.thread?.id) return vm;
      const known = new Set(vm.items.map((i) => i.id));
      const older = action.items.filter((i) => !known.has(i.id));
      return { ...vm, items: [...older, ...vm.items], hasMore: action.hasMore, feedback: withRatings(vm.feedback, action.feedback) };
    }
    case 'thread.deleted': {
      const listed = vm.threadList && { ...vm.threadList, threads: vm.threadList.threads.filter((t) => t.id !== action.threadId) };
      const next = listed ? { ...vm, threadList: listed } : vm;
      return action.threadId === vm.thread?.id ? reduce(next, { type: 'local.new-thread' }) : next;
    }
    case 'threads.deleted':
      return vm.thread ? reduce(vm, { type: 'local.new-thread' }) : vm;
    case 'message.accepted':
      return applyAccepted(vm, action.threadId, action.clientMessageId, action.itemId);
    case 'error': {
      const error = { code: action.code, message: action.message };
      if (vm.retrying && action.replyTo?.startsWith('retry:')) return { ...vm, retrying: false, error };
      const failed = vm.pending.some((p) => p.clientMessageId === action.replyTo);
      if (!failed) return { ...vm, error };
      return {
        ...vm,
        error,
        pending: vm.pending.map((p) => (p.clientMessageId === action.replyTo ? { ...p, status: 'failed' } : p)),
      };
    }
    case 'threads':
      return { ...vm, threadList: { threads: action.threads, loading: false } };
    case 'feedback.saved': {
      const rating = vm.feedback[action.itemId];
      return rating ? { ...vm, feedback: { ...vm.feedback, [action.itemId]: { ...rating, saved: true } } } : vm;
    }
    case 'run.retried':
    case 'pong':
      return vm;

    case 'run.started':
    case 'item.added':
    case 'text.delta':
    case 'item.done':
    case 'item.removed':
    case 'run.finished':
      return applyThreadEvent(vm, action);
    default:
      return assertNever(action);
  }
}

function applyThreadOpened(vm: ViewModel, msg: Extract<ServerMessage, { type: 'thread.opened' }>): ViewModel {
  const base = { ...vm, thread: msg.thread, workflow: msg.workflow, currentAgent: msg.thread.currentAgent, needsResync: false };
  const resume = vm.thread?.id === msg.thread.id && msg.items === undefined && msg.reset !== true;
  // A resume keeps what we have; the missed events follow and are applied by seq.
  if (resume) return base;
  const items = msg.items ?? [];
  const ids = new Set(items.map((i) => i.id));
  return {
    ...base,
    items,
    lastSeq: msg.lastSeq,
    hasMore: msg.hasMore ?? false,
    activeRunId: msg.activeRunId ?? null,
    cancelRequested: false,
    approvalsSent: {},
    pending: vm.pending.filter((p) => p.itemId === undefined || !ids.has(p.itemId)),
    feedback: withRatings(vm.thread?.id === msg.thread.id ? vm.feedback : {}, msg.feedback),
  };
}

function applyAccepted(vm: ViewModel, threadId: string, clientMessageId: string, itemId: string): ViewModel {
  if (threadId !== vm.thread?.id) return vm;
  if (!vm.pending.some((p) => p.clientMessageId === clientMessageId)) return vm;
  // The item may already be here (a replay delivered it before this reply).
  if (vm.items.some((i) => i.id === itemId)) {
    return { ...vm, pending: vm.pending.filter((p) => p.clientMessageId !== clientMessageId) };
  }
  return {
    ...vm,
    pending: vm.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, status: 'accepted', itemId } : p)),
  };
}

function applyThreadEvent(vm: ViewModel, event: ThreadEvent): ViewModel {
  if (event.threadId !== vm.thread?.id) return vm;
  if (event.seq <= vm.lastSeq) return vm;
  if (event.seq > vm.lastSeq + 1) return vm.needsResync ? vm : { ...vm, needsResync: true };
  return { ...applyEventBody(vm, event), lastSeq: event.seq };
}

function applyEventBody(vm: ViewModel, event: ThreadEvent): ViewModel {
  switch (event.type) {
    case 'run.started':
      return { ...vm, activeRunId: event.runId, currentAgent: event.agent, cancelRequested: false, lastRun: null, error: null, retrying: false };
    case 'item.added':
    case 'item.done': {
      const item = event.item;
      // A newer server's item type: its seq counts, the item is not shown.
      if (!isKnownItemType(item.type)) return vm;
      let next: ViewModel = { ...vm, items: upsert(vm.items, item) };
      if (item.type === 'user_message') next = { ...next, pending: vm.pending.filter((p) => p.itemId !== item.id) };
      if (item.type === 'handoff') next = { ...next, currentAgent: item.to };
      if (item.type === 'tool_call' && item.status !== 'awaiting_approval' && item.callId in vm.approvalsSent) {
        const { [item.callId]: _answered, ...rest } = vm.approvalsSent;
        next = { ...next, approvalsSent: rest };
      }
      return next;
    }
    case 'text.delta':
      return {
        ...vm,
        items: vm.items.map((i) => (i.id === event.itemId && i.type === 'assistant_message' ? { ...i, text: i.text + event.delta } : i)),
      };
    case 'item.removed':
      return { ...vm, items: vm.items.filter((i) => i.id !== event.itemId) };
    case 'run.finished':
      return {
        ...vm,
        activeRunId: vm.activeRunId === event.runId ? null : vm.activeRunId,
        cancelRequested: false,
        lastRun: { runId: event.runId, status: event.status, ...(event.error ? { error: event.error } : {}) },
      };
    default:
      return assertNever(event);
  }
}

/** Ratings the server sent with items, over the ones we have (all confirmed: they are stored). */
function withRatings(known: ViewModel['feedback'], sent: readonly { itemId: string; rating: 'up' | 'down' }[] | undefined): ViewModel['feedback'] {
  if (!sent?.length) return known;
  const next = { ...known };
  for (const f of sent) next[f.itemId] = { rating: f.rating, saved: true };
  return next;
}

/** Replaces the item with the same id in place, or appends it. */
function upsert(items: readonly Item[], item: Item): readonly Item[] {
  const index = items.findIndex((i) => i.id === item.id);
  if (index === -1) return [...items, item];
  const next = items.slice();
  next[index] = item;
  return next;
}
