import { AgentChat } from './agent-chat.component.ts';

export { AgentChat };

// Defining twice throws; a page that loads widget.js twice (or two versions) keeps the first.
if (!customElements.get('agent-chat')) customElements.define('agent-chat', AgentChat);

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat': AgentChat;
  }
}
