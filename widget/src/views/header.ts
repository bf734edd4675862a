import { html, nothing, type TemplateResult } from 'lit';
import { agentName, type ConnectionStatus, type ViewModel } from '../state/view-model.ts';
import { conversationMenu, type ConversationMenuOptions } from './conversation-menu.ts';
import { closeIcon, historyIcon, newIcon } from './icons.ts';

const TEXT = {
  history: 'Your conversations',
} as const;

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Online',
  reconnecting: 'Reconnecting…',
  failed: 'Unavailable',
};

/** Options for {@link header}. */
export interface HeaderOptions {
  vm: ViewModel;
  titleId: string;
  /** Show a close button (launcher mode). */
  closable: boolean;
  onNewConversation(): void;
  onClose(): void;
  /** The conversation options menu (delete this / all conversations). */
  menu: ConversationMenuOptions;
  /** The thread list button (the `history` attribute); `open` while the list shows. */
  history?: { open: boolean; onToggle(): void };
}

/** Title (workflow name), who is answering, connection status, "New conversation", the options menu and close. */
export function header({ vm, titleId, closable, onNewConversation, onClose, menu, history }: HeaderOptions): TemplateResult {
  const title = vm.workflow?.name || 'Chat';
  const agent = (vm.workflow?.agents.length ?? 0) > 1 ? agentName(vm, vm.currentAgent) : '';
  const canStartNew = vm.connection === 'connected' && (vm.items.length > 0 || vm.pending.length > 0);
  // Connected, but no conversation can start here: not "Connecting…" forever.
  const status = vm.error?.code === 'workflow_unavailable' ? 'failed' : vm.connection;
  return html`<header part="header" class="header">
    <div class="header__text">
      <h2 part="title" class="title" id=${titleId}>${title}</h2>
      <div part="status" class="status">
        <span class="status__dot status__dot--${status}" aria-hidden="true"></span>
        <span>${STATUS_TEXT[status]}${agent && vm.connection === 'connected' ? html` · ${agent}` : nothing}</span>
      </div>
    </div>
    ${history
      ? html`<button part="history-button" class="icon-button" type="button" title=${TEXT.history} aria-label=${TEXT.history}
          aria-expanded=${history.open ? 'true' : 'false'} ?disabled=${vm.connection !== 'connected'} @click=${history.onToggle}>${historyIcon}</button>`
      : nothing}
    <button
      part="new-conversation-button"
      class="icon-button"
      type="button"
      title="New conversation"
      aria-label="New conversation"
      ?disabled=${!canStartNew}
      @click=${onNewConversation}
    >
      ${newIcon}
    </button>
    ${conversationMenu(menu)}
    ${closable
      ? html`<button part="close-button" class="icon-button" type="button" title="Close chat" aria-label="Close chat" @click=${onClose}>
          ${closeIcon}
        </button>`
      : nothing}
  </header>`;
}
