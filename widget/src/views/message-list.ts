import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Item } from '@agent-chat/shared';
import { assertNever } from '@agent-chat/shared/assert-never';
import { canSend, isStreaming } from '../state/view-model.ts';
import { guardrailNotice, handoffNotice, typingIndicator } from './agent-status.ts';
import { connectionError } from './connection-error.ts';
import { assistantMessage, pendingMessage, userMessage } from './message.ts';
import { starters } from './starters.ts';
import { toolCall } from './tool-call.ts';
import type { ViewContext } from './view-context.ts';

function renderItem(item: Item, ctx: ViewContext): TemplateResult {
  switch (item.type) {
    case 'user_message':
      return userMessage(item, ctx.attachments, ctx.t, ctx.lang);
    case 'assistant_message':
      return assistantMessage(item, ctx.vm, ctx.t, ctx.lang, ctx.feedback);
    case 'tool_call':
      return toolCall(item, ctx);
    case 'handoff':
      return handoffNotice(item, ctx.vm, ctx.t);
    case 'guardrail':
      return guardrailNotice(item, ctx.t);
    default:
      return assertNever(item);
  }
}

/**
 * The conversation. It is a `role="log"` live region so screen readers hear new entries;
 * `aria-busy` is set while a reply streams, so the reply is announced once, complete,
 * rather than token by token.
 */
export function messageList(ctx: ViewContext): TemplateResult {
  const { vm, t } = ctx;
  const streaming = isStreaming(vm);
  const unreachable = vm.connection === 'failed' && vm.error?.code === 'connection_failed';
  const unavailable = vm.error?.code === 'workflow_unavailable';
  const empty = vm.items.length === 0 && vm.pending.length === 0 && !unreachable && !unavailable;
  const last = vm.items[vm.items.length - 1];
  const waiting = vm.activeRunId !== null && !streaming && last?.type !== 'tool_call';
  return html`<div
    part="messages"
    class="messages"
    role="log"
    aria-live="polite"
    aria-relevant="additions text"
    aria-busy=${streaming ? 'true' : 'false'}
    aria-label=${t.conversation}
    tabindex="0"
  >
    ${vm.hasMore
      ? html`<button part="earlier-button" type="button" class="link-button" @click=${() => ctx.onLoadEarlier()}>${t.showEarlier}</button>`
      : nothing}
    ${empty
      ? html`<div class="empty"><slot name="empty">${ctx.greeting || t.greeting}</slot>${starters(ctx.starters, !canSend(vm), ctx.onStarter, t)}</div>`
      : nothing}
    ${repeat(vm.items, (item) => item.id, (item) => renderItem(item, ctx))}
    ${repeat(vm.pending, (p) => p.clientMessageId, (p) => pendingMessage(p, ctx.onRetry, !canSend(vm), t))}
    ${waiting ? typingIndicator(vm, t) : nothing}
    ${unreachable ? connectionError(`${ctx.idPrefix}-connection-error`, ctx.onReconnect, t.unreachable, t.retry) : nothing}
    ${unavailable ? connectionError(`${ctx.idPrefix}-connection-error`, ctx.onReconnect, t.workflowUnavailable, t.retry) : nothing}
  </div>`;
}
