import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorCode, ErrorMessage, Ready, ServerMessage, ThreadOpened } from '@agent-chat/shared';
import { emit } from '../events.ts';
import en, { type UiStrings } from '../i18n/en.ts';
import { reduce, type Action } from '../state/reducer.ts';
import { canSend, canSendDraft, initialViewModel, retryableRun, type PendingMessage, type ViewModel } from '../state/view-model.ts';
import type { Backoff } from './backoff.ts';
import { Connection, type SocketError, type SocketStatus } from './connection.ts';
import { normalizeServer, socketUrl } from './server-url.ts';
import { forgetThreads, loadThreadId, loadVisitorToken, saveThreadId, saveVisitorToken } from './storage.ts';
import { Uploads } from './uploads.ts';

/** Waits longer than this (a daily budget) show the server's text rather than a countdown. */
const LONG_WAIT_MS = 60 * 60 * 1000;

/** A refused upload token is renewed by reconnecting at most this often (a refusal loop stops). */
const TOKEN_RENEWAL_INTERVAL_MS = 30_000;

/** The `message.send` frame of a pending message (sent, retried or re-sent after a reconnect). */
function sendFrame(threadId: string, p: PendingMessage) {
  const attachments = p.attachments.map((a) => a.id);
  return {
    type: 'message.send' as const,
    id: p.clientMessageId,
    threadId,
    clientMessageId: p.clientMessageId,
    text: p.text,
    ...(attachments.length ? { attachments } : {}),
  };
}

/** Options for {@link ChatController}, mostly for tests. */
export interface ChatControllerOptions {
  backoff?: () => Backoff;
  pingIntervalMs?: number;
}

/** Who the widget says it is in `hello` (docs/protocol.md, Connecting). */
export interface ChatIdentity {
  /** The site's public key from the server's config. */
  publicKey?: string | undefined;
  /** A signed identity from the host site's backend (JWT); without it the visitor is anonymous. */
  userToken?: string | undefined;
}

/** A random id for `clientMessageId` (crypto.randomUUID is missing on plain-http pages). */
function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Connects one `<agent-chat>` to its server: runs the {@link Connection}, opens or creates the
 * thread remembered for the workflow, feeds every frame through the pure reducer, and asks
 * the host to re-render. Public methods are the visitor's intents (send, stop, approve…).
 */
export class ChatController implements ReactiveController {
  /** The current view model; replaced (never mutated) on every change. */
  vm: ViewModel = initialViewModel();

  #host: ReactiveControllerHost & HTMLElement;
  #options: ChatControllerOptions;
  #connection: Connection | null = null;
  /** Item types of a newer server already reported as skipped: once per element, across reconnects. */
  readonly #unknownItemTypes = new Set<string>();
  #server = '';
  #workflow = '';
  #identity: ChatIdentity = {};
  #wanted = false;
  /** The `id` of the latest thread.open / thread.create; older replies are stale. */
  #threadRequest = '';
  /** Whether that request was a resume (thread.open with afterSeq). */
  #threadRequestResumes = false;
  #requestCount = 0;
  /** The `id` of the thread.history request awaiting its answer; one at a time, so no page is asked twice. */
  #historyRequest: string | null = null;
  #readyThreadId: string | null = null;
  /** A server URL that failed to parse; not retried until configure() changes it. */
  #badServer: string | null = null;
  /** Ticks the countdown of `vm.wait` and ends it. */
  #waitTimer: ReturnType<typeof setTimeout> | undefined;
  /** A thread request the server refused with a wait: sent again when the wait is over. */
  #afterWait: (() => void) | null = null;
  /** `ready.uploadToken` of the current connection: authorises uploads and downloads over HTTP. */
  #uploadToken: string | null = null;
  #lastTokenRenewal = 0;
  /** The animation frame that will render the text deltas received since the last render (0: none). */
  #deltaFrame = 0;

  /** The files of the next message, and the bytes of sent ones. */
  readonly uploads: Uploads;

  /** `strings`: the texts in the visitor's language, for what the widget words itself (file refusals). */
  constructor(host: ReactiveControllerHost & HTMLElement, options: ChatControllerOptions = {}, strings: () => UiStrings = () => en) {
    this.#host = host;
    this.#options = options;
    this.uploads = new Uploads({
      element: host,
      vm: () => this.vm,
      dispatch: (action) => this.#dispatch(action),
      server: () => normalizeServer(this.#server),
      token: () => this.#uploadToken,
      renewToken: () => this.#renewToken(),
      update: () => host.requestUpdate(),
      strings,
    });
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#wanted) this.#start();
    this.#tick();
  }

  /** An update is under way and renders the latest model: a pending delta frame has nothing left to do. */
  hostUpdate(): void {
    this.#cancelDeltaFrame();
  }

  hostDisconnected(): void {
    this.#cancelDeltaFrame();
    this.#stop();
    clearTimeout(this.#waitTimer);
    this.uploads.dispose();
  }

  /** Sets the server, workflow and identity; a change reconnects from scratch. */
  configure(server: string, workflow: string, identity: ChatIdentity = {}): void {
    const same =
      server === this.#server &&
      workflow === this.#workflow &&
      identity.publicKey === this.#identity.publicKey &&
      identity.userToken === this.#identity.userToken;
    if (same) return;
    this.#server = server;
    this.#workflow = workflow;
    this.#identity = identity;
    this.#readyThreadId = null;
    this.#uploadToken = null; // another server's token is no good here
    if (this.#connection) {
      this.#stop();
      this.uploads.reset();
      this.vm = initialViewModel();
      this.#start();
    }
  }

  /** Starts connecting (now if the host is in the document, else when it is attached). */
  connect(): void {
    this.#wanted = true;
    if (this.#host.isConnected) this.#start();
  }

  /**
   * Sends a message with the uploaded files; false when it cannot be sent (nothing to send, an
   * upload pending or failed, or not connected).
   */
  send(text: string): boolean {
    const trimmed = text.trim();
    const threadId = this.vm.thread?.id;
    if (!threadId || !canSendDraft(this.vm, trimmed !== '')) return false;
    const clientMessageId = randomId();
    const attachments = this.uploads.take();
    this.#dispatch({ type: 'local.send', clientMessageId, text: trimmed, attachments, createdAt: new Date().toISOString() });
    const pending = this.vm.pending.find((p) => p.clientMessageId === clientMessageId)!;
    this.#connection?.send(sendFrame(threadId, pending));
    return true;
  }

  /** Sends a failed message again with its original `clientMessageId` (the server dedups it). */
  retry(clientMessageId: string): void {
    const pending = this.vm.pending.find((p) => p.clientMessageId === clientMessageId);
    const threadId = this.vm.thread?.id;
    if (!pending || !threadId || !canSend(this.vm)) return;
    this.#dispatch({ type: 'local.retry', clientMessageId });
    this.#connection?.send(sendFrame(threadId, pending));
  }

  /** Asks the server to stop the active run. */
  cancel(): void {
    const { thread, activeRunId } = this.vm;
    if (!thread || !activeRunId) return;
    if (this.#connection?.send({ type: 'run.cancel', threadId: thread.id, runId: activeRunId })) {
      this.#dispatch({ type: 'local.cancel' });
    }
  }

  /** Answers a tool call waiting for approval. */
  answerApproval(callId: string, approved: boolean, reason?: string): void {
    const threadId = this.vm.thread?.id;
    if (!threadId) return;
    const trimmed = reason?.trim();
    const sent = this.#connection?.send({
      type: 'tool.approval',
      threadId,
      callId,
      approved,
      ...(trimmed ? { reason: trimmed } : {}),
    });
    if (sent) this.#dispatch({ type: 'local.approval', callId });
  }

  /** Forgets the current thread and starts a new one. */
  newConversation(): void {
    saveThreadId(this.#server, this.#workflow, null);
    this.#dispatch({ type: 'local.new-thread' });
    if (this.#connection?.isOpen) this.#createThread();
  }

  /** Asks the server to delete the open thread; false when it cannot be asked now. */
  deleteThread(): boolean {
    const threadId = this.vm.thread?.id;
    return !!threadId && !!this.#connection?.send({ type: 'thread.delete', id: this.#nextId('delete'), threadId });
  }

  /** Asks the server to delete every thread of this visitor or user; false when it cannot be asked now. */
  deleteAllThreads(): boolean {
    return !!this.#connection?.send({ type: 'thread.delete_all', id: this.#nextId('delete-all') });
  }

  /** Rates an answer (a second rating replaces the first); false when it cannot be sent now. */
  rate(itemId: string, rating: 'up' | 'down', comment?: string): boolean {
    const threadId = this.vm.thread?.id;
    const trimmed = comment?.trim();
    if (!threadId) return false;
    const sent = this.#connection?.send({ type: 'feedback', id: this.#nextId('feedback'), threadId, itemId, rating, ...(trimmed ? { comment: trimmed } : {}) });
    if (sent) this.#dispatch({ type: 'local.feedback', itemId, rating, commented: !!trimmed });
    return !!sent;
  }

  /** Asks for the visitor's threads (the thread list); false when it cannot be asked now. */
  listThreads(): boolean {
    const sent = this.#connection?.send({ type: 'thread.list', id: this.#nextId('list'), limit: 50 });
    if (sent) this.#dispatch({ type: 'local.list-threads' });
    return !!sent;
  }

  /** Switches to another of the visitor's threads (from the thread list). */
  openThread(threadId: string): void {
    if (threadId === this.vm.thread?.id || !this.#connection?.isOpen) return;
    saveThreadId(this.#server, this.#workflow, threadId);
    this.#dispatch({ type: 'local.new-thread' });
    this.#openThread(threadId);
  }

  /** Deletes one thread of the visitor (from the thread list); false when it cannot be asked now. */
  deleteThreadById(threadId: string): boolean {
    return !!this.#connection?.send({ type: 'thread.delete', id: this.#nextId('delete'), threadId });
  }

  /** Runs the failed reply again, without sending the visitor's message twice (`run.retry`). */
  retryRun(): void {
    const threadId = this.vm.thread?.id;
    const runId = retryableRun(this.vm);
    if (!threadId || !runId || this.vm.retrying) return;
    if (this.#connection?.send({ type: 'run.retry', id: this.#nextId('retry'), threadId, runId })) this.#dispatch({ type: 'local.retry-run' });
  }

  /** Loads older items of the thread. */
  loadEarlier(): void {
    const { thread, items, hasMore } = this.vm;
    if (!thread || !hasMore || items.length === 0 || this.#historyRequest !== null) return;
    const id = this.#nextId('history');
    if (this.#connection?.send({ type: 'thread.history', id, threadId: thread.id, beforeItemId: items[0]!.id })) this.#historyRequest = id;
  }

  /**
   * After the connection gave up (`connection_failed`): tries again from scratch, with fresh
   * attempts. The thread is kept, so a success resumes it from the last `seq`.
   */
  reconnect(): void {
    if (this.vm.connection === 'failed' && this.vm.error?.code === 'connection_failed') this.#connection?.start();
    if (this.vm.error?.code === 'workflow_unavailable') {
      this.#dispatch({ type: 'local.dismiss-error' });
      this.#createThread();
    }
  }

  /** Clears the message about files that were left out. */
  dismissAttachNotice(): void {
    this.#dispatch({ type: 'local.dismiss-attach-notice' });
  }

  /** Clears the error shown in the status line. */
  dismissError(): void {
    this.#dispatch({ type: 'local.dismiss-error' });
  }

  #start(): void {
    if (this.#connection || this.#badServer === this.#server) return;
    let url: string;
    try {
      this.#server = normalizeServer(this.#server);
      url = socketUrl(this.#server, this.#identity.publicKey);
    } catch (error) {
      this.#badServer = this.#server;
      this.#handleStatus('failed', { code: 'invalid_request', message: `Invalid server URL: ${String(error)}` });
      return;
    }
    const visitorToken = () => loadVisitorToken(this.#server);
    this.#connection = new Connection({
      url,
      hello: () => {
        const { publicKey, userToken } = this.#identity;
        const token = userToken ? null : visitorToken(); // a signed-in user needs no visitor identity
        return { ...(publicKey ? { publicKey } : {}), ...(userToken ? { userToken } : {}), ...(token ? { visitorToken: token } : {}) };
      },
      onReady: (ready) => this.#handleReady(ready),
      onMessage: (message) => this.#handleMessage(message),
      onStatus: (status, error) => this.#handleStatus(status, error),
      unknownItemTypes: this.#unknownItemTypes,
      ...(this.#options.backoff ? { backoff: this.#options.backoff() } : {}),
      ...(this.#options.pingIntervalMs ? { pingIntervalMs: this.#options.pingIntervalMs } : {}),
    });
    this.#connection.start();
  }

  /** Reconnects for a fresh upload token (`ready` carries one); false when that was just done. */
  #renewToken(): boolean {
    if (!this.#connection || Date.now() - this.#lastTokenRenewal < TOKEN_RENEWAL_INTERVAL_MS) return false;
    this.#lastTokenRenewal = Date.now();
    this.#stop();
    this.#start();
    return true;
  }

  #stop(): void {
    const connection = this.#connection;
    this.#connection = null;
    connection?.stop();
  }

  #dispatch(action: Action): void {
    const previous = this.vm;
    const next = reduce(previous, action);
    if (next === previous) return;
    this.vm = next;
    if (action.type === 'text.delta') this.#renderNextFrame();
    else this.#host.requestUpdate();
    if (next.connection !== previous.connection) emit(this.#host, 'agent-chat-connection', { status: next.connection });
  }

  /**
   * Text deltas arrive faster than the screen refreshes (a burst carries hundreds): the ones
   * received before the next animation frame are rendered together, once. Every other event
   * renders at once, and with it the deltas received so far, so the order on screen is kept.
   */
  #renderNextFrame(): void {
    if (this.#deltaFrame !== 0) return;
    this.#deltaFrame = requestAnimationFrame(() => {
      this.#deltaFrame = 0;
      this.#host.requestUpdate();
    });
  }

  #cancelDeltaFrame(): void {
    if (this.#deltaFrame === 0) return;
    cancelAnimationFrame(this.#deltaFrame);
    this.#deltaFrame = 0;
  }

  #handleStatus(status: SocketStatus, error?: SocketError): void {
    switch (status) {
      case 'connecting':
      case 'reconnecting':
      case 'failed':
        this.#dispatch({ type: 'local.connection', status });
        break;
      case 'closed':
        this.#dispatch({ type: 'local.connection', status: 'idle' });
        break;
      case 'open':
        break; // "connected" waits for the thread to open
    }
    if (error) {
      // The visitor reads a fixed sentence; the URL and the likely cause are for the site owner.
      if (error.code === 'connection_failed') console.error(`[agent-chat] ${error.message}`);
      this.#dispatch({ type: 'error', code: error.code as ErrorCode, message: error.message, retryable: false });
      emit(this.#host, 'agent-chat-error', { code: error.code, message: error.message });
      this.#startWait(error);
    }
  }

  /** Starts the countdown of a `rate_limited` refusal that says how long to wait. */
  #startWait({ code, message, retryAfterMs }: SocketError): void {
    if (code !== 'rate_limited' || !retryAfterMs) return;
    const until = Date.now() + retryAfterMs;
    if (this.vm.wait && this.vm.wait.until >= until) return;
    this.#dispatch({ type: 'local.wait', wait: { until, ms: retryAfterMs, message, long: retryAfterMs > LONG_WAIT_MS } });
    this.#tick();
  }

  /** Re-renders the countdown once a second, and ends the wait when its time has come. */
  #tick(): void {
    clearTimeout(this.#waitTimer);
    const wait = this.vm.wait;
    if (!wait) return;
    const left = wait.until - Date.now();
    if (left <= 0) {
      this.#dispatch({ type: 'local.wait', wait: null });
      const resend = this.#afterWait;
      this.#afterWait = null;
      if (this.#connection?.isOpen) resend?.();
      return;
    }
    this.#host.requestUpdate();
    // Wake on the next whole second of the countdown (a long wait shows no countdown).
    const delay = wait.long ? left : left % 1000 || 1000;
    this.#waitTimer = setTimeout(() => this.#tick(), Math.min(delay, 2 ** 31 - 1));
  }

  #handleReady(ready: Ready): void {
    this.#historyRequest = null; // an answer still due on an old socket will never come
    saveVisitorToken(this.#server, ready.visitorToken);
    this.#uploadToken = typeof ready.uploadToken === 'string' ? ready.uploadToken : null;
    this.#dispatch(ready);
    this.uploads.tokenRenewed();
    const current = this.vm.thread;
    if (current) {
      // Resume: the server replays every event after the last one we applied.
      this.#openThread(current.id, this.vm.lastSeq);
      return;
    }
    this.#afterWait = null; // the thread request below replaces any refused one
    const remembered = loadThreadId(this.#server, this.#workflow);
    if (remembered) this.#openThread(remembered);
    else this.#createThread();
  }

  #openThread(threadId: string, afterSeq?: number): void {
    this.#threadRequest = this.#nextId('open');
    this.#threadRequestResumes = afterSeq !== undefined;
    this.#connection?.send({ type: 'thread.open', id: this.#threadRequest, threadId, ...(afterSeq !== undefined ? { afterSeq } : {}) });
  }

  #createThread(): void {
    this.#threadRequest = this.#nextId('create');
    this.#connection?.send({ type: 'thread.create', id: this.#threadRequest, workflow: this.#workflow });
  }

  #nextId(kind: string): string {
    this.#requestCount += 1;
    return `${kind}:${this.#requestCount}`;
  }

  #handleMessage(message: ServerMessage): void {
    if (message.type === 'thread.opened' && message.replyTo !== undefined && message.replyTo !== this.#threadRequest) return;
    if (message.type === 'error' && this.#recoverFrom(message)) return;
    if ((message.type === 'thread.items' || message.type === 'error') && message.replyTo === this.#historyRequest) this.#historyRequest = null;
    const before = this.vm;
    this.#dispatch(message);
    const applied = 'seq' in message && this.vm.lastSeq === message.seq && before.lastSeq !== message.seq;
    switch (message.type) {
      case 'thread.opened':
        this.#handleOpened(message);
        break;
      case 'item.done':
        if (applied && (message.item.type === 'assistant_message' || message.item.type === 'user_message')) {
          emit(this.#host, 'agent-chat-message', { threadId: message.threadId, item: message.item });
        }
        break;
      case 'run.finished':
        if (applied && message.status === 'failed' && message.error) emit(this.#host, 'agent-chat-error', message.error);
        break;
      case 'error':
        if (this.#refusedThread(message)) break;
        emit(this.#host, 'agent-chat-error', { code: message.code, message: message.message });
        if (message.code === 'rate_limited' && message.retryAfterMs && message.replyTo !== undefined && message.replyTo === this.#threadRequest) {
          // No thread yet (too many new conversations): ask again once the wait is over.
          const [kind] = message.replyTo.split(':');
          const threadId = this.vm.thread?.id ?? loadThreadId(this.#server, this.#workflow);
          this.#afterWait = kind === 'open' && threadId ? () => this.#openThread(threadId) : () => this.#createThread();
        }
        this.#startWait(message);
        break;
      case 'thread.deleted':
        if (before.thread?.id === message.threadId) {
          saveThreadId(this.#server, this.#workflow, null);
          this.#freshThread();
        }
        emit(this.#host, 'agent-chat-thread-deleted', { threadId: message.threadId, all: false });
        break;
      case 'threads.deleted':
        forgetThreads(this.#server);
        if (before.thread) this.#freshThread();
        emit(this.#host, 'agent-chat-thread-deleted', { all: true, count: message.count });
        break;
      default:
        break;
    }
    // An event arrived past a gap: ask for what we missed (the reducer held it back).
    if (this.vm.needsResync && !before.needsResync && this.vm.thread) this.#openThread(this.vm.thread.id, this.vm.lastSeq);
  }

  /**
   * A new conversation refused for good (no such workflow, or not this site's): the widget
   * shows the error state with Retry instead of waiting for a thread that never comes. The
   * visitor reads a fixed sentence; the server's reason goes to the console for the site owner.
   */
  #refusedThread(error: ErrorMessage): boolean {
    if (error.replyTo === undefined || error.replyTo !== this.#threadRequest || !error.replyTo.startsWith('create:')) return false;
    if (error.code === 'rate_limited' || error.code === 'internal' || error.code === 'upstream_error') return false;
    const message = `cannot start a conversation on workflow "${this.#workflow}": ${error.message}`;
    console.error(`[agent-chat] ${message}`);
    this.#dispatch({ type: 'error', code: 'workflow_unavailable' as ErrorCode, message, retryable: false });
    emit(this.#host, 'agent-chat-error', { code: 'workflow_unavailable', message });
    return true;
  }

  /** Handles errors that answer our own thread requests; true when handled. */
  #recoverFrom(error: ErrorMessage): boolean {
    if (error.replyTo === undefined || error.replyTo !== this.#threadRequest || !error.replyTo.startsWith('open:')) return false;
    if (error.code === 'not_found') {
      // The remembered thread is gone (deleted, or another server's data): start a new one.
      saveThreadId(this.#server, this.#workflow, null);
      this.#dispatch({ type: 'local.new-thread' });
      this.#createThread();
      return true;
    }
    if (error.code === 'invalid_request' && this.#threadRequestResumes && this.vm.thread) {
      // Our afterSeq is beyond the server's lastSeq (its data was reset): reload everything.
      this.#openThread(this.vm.thread.id);
      return true;
    }
    return false;
  }

  /** After a deletion took the open thread away: a new, empty conversation. */
  #freshThread(): void {
    this.#historyRequest = null;
    if (this.#connection?.isOpen) this.#createThread();
  }

  #handleOpened(message: ThreadOpened): void {
    saveThreadId(this.#server, this.#workflow, message.thread.id);
    this.#dispatch({ type: 'local.connection', status: 'connected' });
    // Messages sent just before the socket dropped may never have arrived; the server
    // deduplicates by clientMessageId, so sending them again is safe.
    for (const p of this.vm.pending) {
      if (p.status !== 'sending') continue;
      this.#connection?.send(sendFrame(message.thread.id, p));
    }
    if (this.#readyThreadId !== message.thread.id) {
      this.#readyThreadId = message.thread.id;
      emit(this.#host, 'agent-chat-ready', { threadId: message.thread.id, workflow: message.thread.workflow });
    }
  }
}
