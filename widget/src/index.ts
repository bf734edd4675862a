/*
 * Public entry of @agent-chat/widget and of the single-file bundle (widget/dist/widget.js):
 * importing it defines <agent-chat>.
 */
export { AgentChat } from './agent-chat.ts';
export type { AgentChatMode, AgentChatTheme } from './agent-chat.component.ts';
export type * from './events.ts';
export type { AgentChatProps, AgentChatStrings } from './frameworks/agent-chat-props.ts';
export type { ConnectionStatus, ViewModel, PendingMessage } from './state/view-model.ts';
export type { UiStrings } from './i18n/en.ts';
export type { UiStringsOverride } from './i18n/overrides.ts';
