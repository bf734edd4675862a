import { html, nothing, type TemplateResult } from 'lit';
import { retryableRun, type ViewModel, type Wait } from '../state/view-model.ts';

const TEXT = {
  retry: 'Retry',
  retrying: 'Trying again…',
} as const;

/** Refusals whose server text is for the site's developer: the visitor gets these instead. */
const READABLE: Record<string, string> = {
  unauthorized: "This chat can't verify who you are. Please reload the page or sign in again.",
  forbidden: "This chat isn't available on this page.",
};

/** "12 s" or "3 min": how long is left of a wait, rounded up. */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/**
 * What a wait says with `left` ms to go. A long one (a daily budget) shows the server's text,
 * written by the site owner for visitors; a short one counts down.
 */
export function waitText(wait: Wait, reconnecting: boolean, left: number): string {
  if (wait.long) return wait.message;
  return reconnecting
    ? `Too many connections right now. Trying again in ${formatWait(left)}.`
    : `You're sending messages too quickly. You can send again in ${formatWait(left)}.`;
}

/** The one line under the conversation that says what is going on, or what went wrong. */
export function statusText(vm: ViewModel): { text: string; error: boolean } | null {
  const readable = vm.error && READABLE[vm.error.code];
  // The conversation area shows this one, with Retry (views/connection-error.ts).
  if (vm.connection === 'failed' && vm.error?.code === 'connection_failed') return null;
  if (vm.error?.code === 'workflow_unavailable') return null;
  if (vm.connection === 'failed') return { text: readable || `Can't connect. ${vm.error?.message ?? ''}`.trim(), error: true };
  if (vm.connection === 'reconnecting') return { text: 'Connection lost. Reconnecting…', error: false };
  if (vm.error) return { text: readable || vm.error.message || 'Something went wrong.', error: true };
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

/**
 * A wait the server asked for. The countdown is hidden from screen readers, which hear the
 * notice once (with the full wait) rather than every second of it.
 */
function waitNotice(wait: Wait, reconnecting: boolean): TemplateResult {
  const left = wait.until - Date.now();
  return html`<span part="notice limit-notice" class="limit-notice">${wait.long
    ? wait.message
    : html`<span aria-hidden="true">${waitText(wait, reconnecting, left)}</span><span class="sr-only"
          >${waitText(wait, reconnecting, wait.ms)}</span
        >`}</span>`;
}

/**
 * Status line; a `role="status"` region so changes are announced politely. After a reply
 * failed it offers Retry (`run-retry-button`), which runs the reply again without sending the
 * visitor's message twice.
 */
export function statusLine(vm: ViewModel, onDismiss: () => void, onRetryRun?: () => void): TemplateResult {
  if (vm.wait && vm.connection !== 'failed') {
    return html`<div part="status-line" class="status-line" role="status">${waitNotice(vm.wait, vm.connection === 'reconnecting')}</div>`;
  }
  if (vm.retrying && !vm.error) return html`<div part="status-line" class="status-line" role="status"><span>${TEXT.retrying}</span></div>`;
  const status = statusText(vm);
  const retry = onRetryRun && !vm.error && retryableRun(vm);
  return html`<div part="status-line" class="status-line ${status?.error ? 'status-line--error' : ''}" role="status">${status
    ? html`<span>${status.text}</span>${vm.error && vm.connection !== 'failed'
          ? html`<button type="button" class="link-button" @click=${onDismiss}>Dismiss</button>`
          : nothing}${retry
          ? html`<button part="run-retry-button" type="button" class="link-button" @click=${onRetryRun}>${TEXT.retry}</button>`
          : nothing}`
    : nothing}</div>`;
}
