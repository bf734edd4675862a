import { html, type TemplateResult } from 'lit';

/**
 * The conversation's error state after the connection gave up (`connection_failed`), or the
 * server refused to start a conversation (`workflow_unavailable`): a short message and Retry. It sits at the end of the conversation log, so screen readers hear it
 * once as it appears, and the conversation so far stays readable above it.
 */
export function connectionError(id: string, onRetry: () => void, text: string, retry: string): TemplateResult {
  return html`<div part="connection-error" class="connection-error">
    <p id=${id}>${text}</p>
    <button part="retry-button" class="button button--primary" type="button" aria-describedby=${id} @click=${onRetry}>${retry}</button>
  </div>`;
}
