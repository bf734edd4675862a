import type { AdminApproval, AdminFeedback, Item } from '@agent-chat/shared';
import { renderMarkdown } from '@agent-chat/widget/markdown';
import { html, nothing, type TemplateResult } from 'lit';
import { formatTime, jsonText } from '../format.ts';

/** What the transcript knows beside an item: its rating and, for a tool call, the approval decision. */
export interface ItemContext {
  feedback: ReadonlyMap<string, AdminFeedback>;
  approvals: ReadonlyMap<string, AdminApproval>;
}

function feedbackLine(item: Item, ctx: ItemContext) {
  const rating = ctx.feedback.get(item.id);
  if (!rating) return nothing;
  return html`<p class=${rating.rating === 'down' ? 'rating danger' : 'rating ok'}>
    Rated ${rating.rating === 'down' ? 'thumbs down' : 'thumbs up'} ${formatTime(rating.createdAt)}${rating.comment ? html`: “${rating.comment}”` : nothing}
  </p>`;
}

function approvalLine(decision: AdminApproval | undefined) {
  if (!decision) return nothing;
  if (decision.state === 'pending') return html`<p class="warning">Waiting for the visitor’s approval.</p>`;
  const who = decision.decidedBy ? `${decision.decidedBy.kind} ${decision.decidedBy.id}` : 'unknown';
  const when = decision.decidedAt ? formatTime(decision.decidedAt) : 'an unknown time';
  return html`<p class=${decision.state === 'denied' ? 'danger' : 'ok'}>
    ${decision.state === 'denied' ? 'Denied' : 'Approved'} by ${who} at ${when}${decision.reason ? html` — reason: “${decision.reason}”` : nothing}${decision.source === 'run'
      ? html` <span class="muted">(time of the run it started)</span>`
      : nothing}
  </p>`;
}

/**
 * One item as the widget shows it (messages; assistant text through the widget's sanitizing
 * markdown renderer), plus what the widget hides: tool arguments and outputs as JSON text,
 * approval decisions, guardrail decisions and handoffs. No text here is ever parsed as HTML.
 */
export function renderItem(item: Item, ctx: ItemContext): TemplateResult {
  switch (item.type) {
    case 'user_message':
      return html`<article class="item user" aria-label="Visitor message">
        <h3>Visitor <span class="muted time">${formatTime(item.createdAt)}</span></h3>
        <p class="user-text">${item.text}</p>
        ${item.attachments.length > 0 ? html`<p class="muted">Attached: ${item.attachments.map((a) => a.name).join(', ')}</p>` : nothing}
      </article>`;
    case 'assistant_message':
      return html`<article class="item assistant" aria-label="Reply from ${item.agent}">
        <h3>${item.agent} <span class="muted time">${formatTime(item.createdAt)}</span>${item.status !== 'done' ? html` <span class="badge">${item.status.replace('_', ' ')}</span>` : nothing}</h3>
        <div class="markdown">${renderMarkdown(item.text)}</div>
        ${feedbackLine(item, ctx)}
      </article>`;
    case 'tool_call':
      return html`<article class="item tool" aria-label="Tool call ${item.name}">
        <h3>Tool call <code>${item.name}</code> by ${item.agent} <span class="badge status-${item.status}">${item.status.replace('_', ' ')}</span></h3>
        ${approvalLine(ctx.approvals.get(item.callId))}
        <details open>
          <summary>Arguments</summary>
          <pre class="json">${jsonText(item.arguments)}</pre>
        </details>
        ${item.output !== undefined ? html`<details><summary>Output</summary><pre class="json">${jsonText(item.output)}</pre></details>` : nothing}
        ${item.error ? html`<p class="danger">Error: ${item.error}</p>` : nothing}
      </article>`;
    case 'handoff':
      return html`<article class="item handoff" aria-label="Handoff">
        <p><span class="badge">handoff</span> ${item.from} handed the conversation to ${item.to} <span class="muted">${formatTime(item.createdAt)}</span></p>
      </article>`;
    case 'guardrail':
      return html`<article class="item guardrail" aria-label="Guardrail ${item.name}">
        <p><span class="badge">guardrail</span> <strong>${item.name}</strong> tripped on ${item.stage === 'input' ? 'the visitor’s input' : `${item.agent}’s output`}: ${item.message}</p>
      </article>`;
  }
}
