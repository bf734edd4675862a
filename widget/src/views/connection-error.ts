import { html, type TemplateResult } from 'lit';

/** What the visitor reads when the server cannot be reached; the details go to the console. */
export const CONNECTION_ERROR_TEXT = "We can't reach the chat right now. Please check your connection and try again.";

/** What the visitor reads when the server will not start a conversation on this workflow. */
export const WORKFLOW_ERROR_TEXT = "This chat isn't available right now. Please try again later.";

/**
 * The conversation's error state after the connection gave up (`connection_failed`), or the
 * server refused to start a conversation (`workflow_unavailable`): a short message and Retry. It sits at the end of the conversation log, so screen readers hear it
 * once as it appears, and the conversation so far stays readable above it.
 */
export function connectionError(id: string, onRetry: () => void, text: string = CONNECTION_ERROR_TEXT): TemplateResult {
  return html`<div part="connection-error" class="connection-error">
    <p id=${id}>${text}</p>
    <button part="retry-button" class="button button--primary" type="button" aria-describedby=${id} @click=${onRetry}>Retry</button>
  </div>`;
}
