import { html, nothing, type TemplateResult } from 'lit';
import type { ToolCallItem, ToolCallStatus } from '@agent-chat/shared';
import type { UiStrings } from '../i18n/en.ts';
import { agentName } from '../state/view-model.ts';
import { argLabel, argDisplay, formatArg, formatValue, noMatchText, toolTitle } from './tool-display.ts';
import type { ViewContext } from './view-context.ts';

const STATUS_LABEL = {
  running: 'toolRunning',
  awaiting_approval: 'toolNeedsApproval',
  completed: 'toolDone',
  failed: 'toolFailed',
  denied: 'toolDenied',
} as const satisfies Record<ToolCallStatus, keyof UiStrings>;

/** Arguments and output in the details: pretty JSON, cut to a readable size. */
const MAX_SHOWN = 4000;

/** The arguments as label / value rows, in the declared formats. */
function argumentRows(item: ToolCallItem, lang: string): TemplateResult[] {
  return Object.entries(item.arguments ?? {}).map(([key, value]) => html`<dt>${argLabel(item, key)}</dt><dd>${formatArg(value, argDisplay(item, key), lang)}</dd>`);
}

/**
 * A tool call as a compact card: a status icon, the call's title (its workflow template, or the
 * tool name made readable), the status, and collapsible details (labelled arguments, output).
 * A call that found nothing is completed in neutral colours with the tool's own words; only a
 * failure or a denial is shown in the danger colour.
 */
export function toolCall(item: ToolCallItem, ctx: ViewContext): TemplateResult {
  if (item.status === 'awaiting_approval') return approvalCard(item, ctx);
  const { t } = ctx;
  const empty = item.status === 'completed' && item.noMatch === true;
  const state = empty ? 'no_match' : item.status;
  const note = empty ? noMatchText(item) : undefined;
  const label = STATUS_LABEL[item.status];
  return html`<details part="tool-call" class="tool" data-status=${item.status} data-state=${state} data-tool=${item.name}>
    <summary>
      <span class="tool__icon" aria-hidden="true"></span>
      <span class="tool__head">
        <span class="tool__name">${toolTitle(item, ctx.lang)}</span>
        ${note ? html`<span class="tool__note">${note}</span>` : nothing}
      </span>
      <span class="badge badge--${state}">${empty ? t.toolNoMatch : label ? t[label] : item.status}</span>
    </summary>
    <div class="tool__body">
      <dl class="tool__args"><dt>${t.tool}</dt><dd><code>${item.name}</code></dd>${argumentRows(item, ctx.lang)}</dl>
      ${item.output !== undefined
        ? html`<div class="tool__label">${t.toolResult}</div>
            <pre>${formatValue(item.output, MAX_SHOWN, 2)}</pre>`
        : nothing}
      ${item.error ? html`<p class="tool__error">${item.error}</p>` : nothing}
    </div>
  </details>`;
}

/** A tool call that waits for the visitor: the question ("Refund order 1234 — $59.00?"), the details, Approve / Deny. */
function approvalCard(item: ToolCallItem, ctx: ViewContext): TemplateResult {
  const sent = ctx.vm.approvalsSent[item.callId] === true;
  const { t } = ctx;
  const who = agentName(ctx.vm, item.agent) || t.theAssistant;
  const titleId = `approval-${item.id}`;
  const denying = ctx.denying === item.callId;
  const onDeny = (event: SubmitEvent) => {
    event.preventDefault();
    const reason = new FormData(event.currentTarget as HTMLFormElement).get('reason');
    ctx.onDenyConfirm(item.callId, typeof reason === 'string' ? reason : '');
  };
  return html`<div part="approval" class="approval" role="group" aria-labelledby=${titleId} data-call-id=${item.callId} data-tool=${item.name}>
    <p class="approval__title" id=${titleId}>${t.approvalQuestion(toolTitle(item, ctx.lang))}</p>
    <p class="approval__asker">${t.approvalAsker(who)}</p>
    ${item.arguments && Object.keys(item.arguments).length > 0 ? html`<dl class="tool__args">${argumentRows(item, ctx.lang)}</dl>` : nothing}
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
