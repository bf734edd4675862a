import { html, nothing, type TemplateResult } from 'lit';
import type { AssistantMessageItem, UserMessageItem } from '@agent-chat/shared';
import { renderMarkdown } from '../markdown/render-markdown.ts';
import { agentName, type PendingMessage, type ViewModel } from '../state/view-model.ts';
import { sentAttachments, type AttachmentActions } from './attachments.ts';
import { feedbackBar } from './feedback.ts';
import { timestamp } from './timestamp.ts';
import type { ViewContext } from './view-context.ts';

/*
 * Parsing markdown on every render would re-parse the whole history on each streamed token;
 * a small cache keyed by text makes finished messages free. A streaming text is not cached:
 * each frame's text is new, and would push the finished messages out (renderMarkdown reuses
 * its finished blocks anyway).
 */
const markdownCache = new Map<string, TemplateResult>();
const CACHE_LIMIT = 300;

function markdown(text: string): TemplateResult {
  let result = markdownCache.get(text);
  if (!result) {
    result = renderMarkdown(text);
    if (markdownCache.size >= CACHE_LIMIT) markdownCache.delete(markdownCache.keys().next().value!);
    markdownCache.set(text, result);
  }
  return result;
}

/** The visitor's own message: plain text (never markdown), line breaks kept by CSS, and its files. */
export function userMessage(item: UserMessageItem, actions: AttachmentActions): TemplateResult {
  return html`<div part="message user-message" class="msg msg--user">
    <span class="sr-only">You said:</span>
    ${item.text ? html`<div class="bubble">${item.text}</div>` : nothing} ${sentAttachments(item.attachments ?? [], actions)}
    ${timestamp(item.createdAt)}
  </div>`;
}

/** A message the server has not shown as an item yet: "Sending…", or "Not sent" with Retry. */
export function pendingMessage(p: PendingMessage, onRetry: (id: string) => void, retryDisabled: boolean): TemplateResult {
  return html`<div part="message user-message" class="msg msg--user" data-pending=${p.status}>
    <span class="sr-only">You said:</span>
    ${p.text ? html`<div class="bubble">${p.text}</div>` : nothing} ${sentAttachments(p.attachments, undefined)}
    ${p.status === 'failed'
      ? html`<div class="msg__meta msg__meta--failed">
          Not sent.
          <button type="button" class="link-button" ?disabled=${retryDisabled} @click=${() => onRetry(p.clientMessageId)}>Retry</button>
        </div>`
      : html`<div class="msg__meta">Sending…</div>`}
  </div>`;
}

/** An assistant reply, rendered from markdown as it streams; its time, and the rating buttons once it is finished. */
export function assistantMessage(item: AssistantMessageItem, vm: ViewModel, feedback?: ViewContext['feedback']): TemplateResult {
  const multiAgent = (vm.workflow?.agents.length ?? 0) > 1;
  const name = agentName(vm, item.agent);
  return html`<div part="message assistant-message" class="msg msg--assistant" data-status=${item.status}>
    ${multiAgent && name ? html`<div class="msg__agent">${name}</div>` : html`<span class="sr-only">${name || 'Assistant'}:</span>`}
    <div class="bubble markdown">
      ${item.status === 'in_progress' ? renderMarkdown(item.text) : markdown(item.text)}${item.status === 'in_progress' ? html`<span class="cursor" aria-hidden="true"></span>` : nothing}
    </div>
    ${item.status === 'incomplete' ? html`<div class="msg__meta">Stopped before the end.</div>` : nothing}
    ${timestamp(item.createdAt)}
    ${feedback && item.status === 'done'
      ? feedbackBar({
          itemId: item.id,
          rating: vm.feedback[item.id],
          commenting: feedback.commenting === item.id,
          disabled: vm.connection !== 'connected',
          onRate: feedback.onRate,
          onComment: feedback.onComment,
          onCloseComment: feedback.onCloseComment,
        })
      : nothing}
  </div>`;
}
