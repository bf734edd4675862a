import type { Attachment, ErrorCode, Item, RunErrorCode } from '@agent-chat/shared';
import type { ConnectionStatus } from './state/view-model.ts';

/** Detail of `agent-chat-ready`: a thread is open and the visitor can type. */
export interface AgentChatReadyDetail {
  threadId: string;
  workflow: string;
}

/** Detail of `agent-chat-message`: an item of the thread reached its final state live. */
export interface AgentChatMessageDetail {
  threadId: string;
  item: Item;
}

/**
 * Codes the widget reports itself. `connection_failed`: the server could not be reached several
 * attempts in a row; the widget stopped retrying and offers Retry. `workflow_unavailable`: the
 * server refused to start a conversation on the `workflow` attribute (it has no such workflow,
 * or the site may not use it); the widget offers Retry.
 */
export type WidgetErrorCode = 'connection_failed' | 'workflow_unavailable';

/** Detail of `agent-chat-error`: the server refused a request, a run failed, or the connection gave up. */
export interface AgentChatErrorDetail {
  code: ErrorCode | RunErrorCode | WidgetErrorCode | string;
  message: string;
}

/** Detail of `agent-chat-connection`: the connection status changed. */
export interface AgentChatConnectionDetail {
  status: ConnectionStatus;
}

/** Detail of `agent-chat-toggle`: the launcher panel opened or closed. */
export interface AgentChatToggleDetail {
  open: boolean;
}

/**
 * Detail of `agent-chat-thread-deleted`: the visitor deleted a conversation (`threadId`) or all
 * of them (`all`, with how many there were); the widget then starts a new, empty one.
 */
export interface AgentChatThreadDeletedDetail {
  threadId?: string;
  all: boolean;
  count?: number;
}

/** Detail of `agent-chat-upload`: a file the visitor chose was uploaded (it leaves with the next message). */
export interface AgentChatUploadDetail {
  attachment: Attachment;
}

/**
 * Detail of `agent-chat-feedback`: the visitor rated an assistant reply (`itemId`), with an
 * optional comment.
 */
export interface AgentChatFeedbackDetail {
  threadId: string;
  itemId: string;
  rating: 'up' | 'down';
  comment?: string;
}

export type AgentChatReadyEvent = CustomEvent<AgentChatReadyDetail>;
export type AgentChatMessageEvent = CustomEvent<AgentChatMessageDetail>;
export type AgentChatErrorEvent = CustomEvent<AgentChatErrorDetail>;
export type AgentChatConnectionEvent = CustomEvent<AgentChatConnectionDetail>;
export type AgentChatToggleEvent = CustomEvent<AgentChatToggleDetail>;
export type AgentChatThreadDeletedEvent = CustomEvent<AgentChatThreadDeletedDetail>;
export type AgentChatUploadEvent = CustomEvent<AgentChatUploadDetail>;
export type AgentChatFeedbackEvent = CustomEvent<AgentChatFeedbackDetail>;

/** Every event `<agent-chat>` dispatches, by name. */
export interface AgentChatEventMap {
  'agent-chat-ready': AgentChatReadyEvent;
  'agent-chat-message': AgentChatMessageEvent;
  'agent-chat-error': AgentChatErrorEvent;
  'agent-chat-connection': AgentChatConnectionEvent;
  'agent-chat-toggle': AgentChatToggleEvent;
  'agent-chat-thread-deleted': AgentChatThreadDeletedEvent;
  'agent-chat-upload': AgentChatUploadEvent;
  'agent-chat-feedback': AgentChatFeedbackEvent;
}

declare global {
  interface GlobalEventHandlersEventMap extends AgentChatEventMap {}
}

/** Dispatches a typed `agent-chat-*` event that bubbles out of the shadow root. */
export function emit<K extends keyof AgentChatEventMap>(
  target: EventTarget,
  name: K,
  detail: AgentChatEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
