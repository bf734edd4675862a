import { html, nothing, type TemplateResult } from 'lit';
import type { ViewModel } from '../state/view-model.ts';

/** The one line under the conversation that says what is going on, or what went wrong. */
export function statusText(vm: ViewModel): { text: string; error: boolean } | null {
  if (vm.connection === 'failed') return { text: `Can't connect. ${vm.error?.message ?? ''}`.trim(), error: true };
  if (vm.connection === 'reconnecting') return { text: 'Connection lost. Reconnecting…', error: false };
  if (vm.error) return { text: vm.error.message || 'Something went wrong.', error: true };
  if (vm.cancelRequested) return { text: 'Stopping…', error: false };
  if (vm.activeRunId) return null;
  switch (vm.lastRun?.status) {
    case 'failed':
      return { text: vm.lastRun.error?.message || 'Something went wrong. Please try again.', error: true };
    case 'cancelled':
      return { text: 'Stopped.', error: false };
    case 'interrupted':
      return { text: 'Waiting for your approval.', error: false };
    case 'max_turns':
      return { text: 'The assistant gave up after too many steps. Try rephrasing.', error: true };
    default:
      return null;
  }
}

/** Status line; a `role="status"` region so changes are announced politely. */
export function statusLine(vm: ViewModel, onDismiss: () => void): TemplateResult {
  const status = statusText(vm);
  return html`<div part="status-line" class="status-line ${status?.error ? 'status-line--error' : ''}" role="status">${status
    ? html`<span>${status.text}</span>${vm.error && vm.connection !== 'failed'
          ? html`<button type="button" class="link-button" @click=${onDismiss}>Dismiss</button>`
          : nothing}`
    : nothing}</div>`;
}
