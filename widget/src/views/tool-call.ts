import { html, nothing, type TemplateResult } from 'lit';
import type { ToolCallItem, ToolCallStatus } from '@agent-chat/shared';
import type { UiStrings } from '../i18n/en.ts';
import { agentName } from '../state/view-model.ts';
import { toolIcon } from './icons.ts';
import type { ViewContext } from './view-context.ts';

const STATUS_LABEL = {
  running: 'toolRunning',
  awaiting_approval: 'toolNeedsApproval',
  completed: 'toolDone',
  failed: 'toolFailed',
  denied: 'toolDenied',
} as const satisfies Record<ToolCallStatus, keyof UiStrings>;

const MAX_SHOWN = 4000;

/** Pretty JSON for display (strings as they are), cut to a readable size. */
export function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value, null, 2) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** A tool call: name and status, with arguments and output in a collapsible body. */
export function toolCall(item: ToolCallItem, ctx: ViewContext): TemplateResult {
  if (item.status === 'awaiting_approval') return approvalCard(item, ctx);
  const { t } = ctx;
  const label = STATUS_LABEL[item.status];
  const status = label ? t[label] : item.status;
  return html`<details part="tool-call" class="tool" data-status=${item.status}>
    <summary>
      ${toolIcon}<span class="tool__name">${item.name}</span>
      <span class="badge badge--${item.status}">${status}</span>
    </summary>
    <div class="tool__body">
      <div class="tool__label">${t.toolArguments}</div>
      <pre>${formatValue(item.arguments)}</pre>
      ${item.output !== undefined
        ? html`<div class="tool__label">${t.toolResult}</div>
            <pre>${formatValue(item.output)}</pre>`
        : nothing}
      ${item.error ? html`<p class="tool__error">${item.error}</p>` : nothing}
    </div>
  </details>`;
}

/** A tool call that waits for the visitor: what would run, then Approve / Deny (with an optional reason). */
function approvalCard(item: ToolCallItem, ctx: ViewContext): TemplateResult {
  const sent = ctx.vm.approvalsSent[item.callId] === true;
  const { t } = ctx;
  const who = agentName(ctx.vm, item.agent) || t.theAssistant;
  const titleId = `approval-${item.id}`;
  const args = Object.entries(item.arguments ?? {});
  const denying = ctx.denying === item.callId;
  const onDeny = (event: SubmitEvent) => {
    event.preventDefault();
    const reason = new FormData(event.currentTarget as HTMLFormElement).get('reason');
    ctx.onDenyConfirm(item.callId, typeof reason === 'string' ? reason : '');
  };
  return html`<div part="approval" class="approval" role="group" aria-labelledby=${titleId} data-call-id=${item.callId}>
    <p class="approval__title" id=${titleId}>${t.wantsToRun(who, html`<code>${item.name}</code>`)}</p>
    ${args.length
      ? html`<dl>${args.map(([key, value]) => html`<dt>${key}</dt><dd>${formatValue(value)}</dd>`)}</dl>`
      : nothing}
    ${denying
      ? html`<form class="approval__actions" @submit=${onDeny}>
          <label class="approval__reason">
            ${t.reasonOptional}
            <input name="reason" maxlength="2000" autocomplete="off" />
          </label>
          <button part="deny-button" class="button button--danger" type="submit" ?disabled=${sent}>${t.deny}</button>
          <button class="button" type="button" @click=${() => ctx.onDenyCancel()}>${t.back}</button>
        </form>`
      : html`<div class="approval__actions">
          <button part="approve-button" class="button button--primary" type="button" ?disabled=${sent} @click=${() => ctx.onApprove(item.callId)}>
            ${t.approve}
          </button>
          <button part="deny-button" class="button" type="button" ?disabled=${sent} @click=${() => ctx.onDenyStart(item.callId)}>
            ${t.deny}
          </button>
          ${sent ? html`<span class="msg__meta">${t.sending}</span>` : nothing}
        </div>`}
  </div>`;
}
