import { html, nothing, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';
import { retryableRun, type ViewModel, type Wait } from '../state/view-model.ts';

/** Refusals whose server text is for the site's developer: the visitor gets these instead. */
const READABLE = ['unauthorized', 'forbidden'] as const;

/** "12 s" or "3 min": how long is left of a wait, rounded up. */
export function formatWait(ms: number, t: UiStrings): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? t.waitSeconds(seconds) : t.waitMinutes(Math.ceil(seconds / 60));
}

/**
 * What a wait says with `left` ms to go. A long one (a daily budget) shows the server's text,
 * written by the site owner for visitors; a short one counts down.
 */
export function waitText(wait: Wait, reconnecting: boolean, left: number, t: UiStrings): string {
  if (wait.long) return wait.message;
  return reconnecting ? t.tooManyConnections(formatWait(left, t)) : t.tooQuick(formatWait(left, t));
}

/** The one line under the conversation that says what is going on, or what went wrong. */
export function statusText(vm: ViewModel, t: UiStrings): { text: string; error: boolean } | null {
  const code = READABLE.find((c) => c === vm.error?.code);
  const readable = code && t[code];
  // The conversation area shows this one, with Retry (views/connection-error.ts).
  if (vm.connection === 'failed' && vm.error?.code === 'connection_failed') return null;
  if (vm.error?.code === 'workflow_unavailable') return null;
  if (vm.connection === 'failed') return { text: readable || t.cantConnect(vm.error?.message ?? ''), error: true };
  if (vm.connection === 'reconnecting') return { text: t.connectionLost, error: false };
  if (vm.error) return { text: readable || vm.error.message || t.somethingWrong, error: true };
  if (vm.cancelRequested) return { text: t.stopping, error: false };
  if (vm.activeRunId) return null;
  switch (vm.lastRun?.status) {
    case 'failed':
      return { text: vm.lastRun.error?.message || t.runFailed, error: true };
    case 'cancelled':
      return { text: t.stopped, error: false };
    case 'interrupted':
      return { text: t.waitingApproval, error: false };
    case 'max_turns':
      return { text: t.maxTurns, error: true };
    default:
      return null;
  }
}

/**
 * A wait the server asked for. The countdown is hidden from screen readers, which hear the
 * notice once (with the full wait) rather than every second of it.
 */
function waitNotice(wait: Wait, reconnecting: boolean, t: UiStrings): TemplateResult {
  const left = wait.until - Date.now();
  return html`<span part="notice limit-notice" class="limit-notice">${wait.long
    ? wait.message
    : html`<span aria-hidden="true">${waitText(wait, reconnecting, left, t)}</span><span class="sr-only"
          >${waitText(wait, reconnecting, wait.ms, t)}</span
        >`}</span>`;
}

/**
 * Status line; a `role="status"` region so changes are announced politely. After a reply
 * failed it offers Retry (`run-retry-button`), which runs the reply again without sending the
 * visitor's message twice.
 */
export function statusLine(vm: ViewModel, onDismiss: () => void, t: UiStrings, onRetryRun?: () => void): TemplateResult {
  if (vm.wait && vm.connection !== 'failed') {
    return html`<div part="status-line" class="status-line" role="status">${waitNotice(vm.wait, vm.connection === 'reconnecting', t)}</div>`;
  }
  if (vm.retrying && !vm.error) return html`<div part="status-line" class="status-line" role="status"><span>${t.retrying}</span></div>`;
  const status = statusText(vm, t);
  const retry = onRetryRun && !vm.error && retryableRun(vm);
  return html`<div part="status-line" class="status-line ${status?.error ? 'status-line--error' : ''}" role="status">${status
    ? html`<span>${status.text}</span>${vm.error && vm.connection !== 'failed'
          ? html`<button type="button" class="link-button" @click=${onDismiss}>${t.dismiss}</button>`
          : nothing}${retry
          ? html`<button part="run-retry-button" type="button" class="link-button" @click=${onRetryRun}>${t.retry}</button>`
          : nothing}`
    : nothing}</div>`;
}
