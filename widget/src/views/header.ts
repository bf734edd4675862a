import { html, nothing, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';
import { agentName, type ConnectionStatus, type ViewModel } from '../state/view-model.ts';
import { conversationMenu, type ConversationMenuOptions } from './conversation-menu.ts';
import { closeIcon, historyIcon, newIcon } from './icons.ts';

const STATUS_TEXT = {
  idle: 'statusOffline',
  connecting: 'statusConnecting',
  connected: 'statusOnline',
  reconnecting: 'statusReconnecting',
  failed: 'statusUnavailable',
} as const satisfies Record<ConnectionStatus, keyof UiStrings>;

/** Options for {@link header}. */
export interface HeaderOptions {
  vm: ViewModel;
  titleId: string;
  t: UiStrings;
  /** The site owner's title (`title` attribute); else the workflow's name. */
  title?: string | undefined;
  /** A line under the title (`subtitle` attribute). */
  subtitle?: string | undefined;
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
export function header({ vm, titleId, t, closable, onNewConversation, onClose, menu, history, ...text }: HeaderOptions): TemplateResult {
  const title = text.title || vm.workflow?.name || t.defaultTitle;
  const agent = (vm.workflow?.agents.length ?? 0) > 1 ? agentName(vm, vm.currentAgent) : '';
  const canStartNew = vm.connection === 'connected' && (vm.items.length > 0 || vm.pending.length > 0);
  // Connected, but no conversation can start here: not "Connecting…" forever.
  const status = vm.error?.code === 'workflow_unavailable' ? 'failed' : vm.connection;
  return html`<header part="header" class="header">
    <div class="header__text">
      <h2 part="title" class="title" id=${titleId}>${title}</h2>
      ${text.subtitle ? html`<p part="subtitle" class="subtitle">${text.subtitle}</p>` : nothing}
      <div part="status" class="status">
        <span class="status__dot status__dot--${status}" aria-hidden="true"></span>
        <span>${t[STATUS_TEXT[status]]}${agent && vm.connection === 'connected' ? html` · ${agent}` : nothing}</span>
        ${vm.model?.offline ? html`<span part="model-note" class="model-note" title=${t.offlineModelHint}>${t.offlineModel}</span>` : nothing}
      </div>
    </div>
    ${history
      ? html`<button part="history-button" class="icon-button" type="button" title=${t.yourConversations} aria-label=${t.yourConversations}
          aria-expanded=${history.open ? 'true' : 'false'} ?disabled=${vm.connection !== 'connected'} @click=${history.onToggle}>${historyIcon}</button>`
      : nothing}
    <button
      part="new-conversation-button"
      class="icon-button"
      type="button"
      title=${t.newConversation}
      aria-label=${t.newConversation}
      ?disabled=${!canStartNew}
      @click=${onNewConversation}
    >
      ${newIcon}
    </button>
    ${conversationMenu(menu, t)}
    ${closable
      ? html`<button part="close-button" class="icon-button" type="button" title=${t.closeChat} aria-label=${t.closeChat} @click=${onClose}>
          ${closeIcon}
        </button>`
      : nothing}
  </header>`;
}
