import { html, nothing, type TemplateResult } from 'lit';
import type { AssistantMessageItem, UserMessageItem } from '@agent-chat/shared';
import type { UiStrings } from '../i18n/en.ts';
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
const markdownCache = new Map<string, { t: UiStrings; result: TemplateResult }>();
const CACHE_LIMIT = 300;

function markdown(text: string, t: UiStrings): TemplateResult {
  let entry = markdownCache.get(text);
  // Another language (or element) rendered this text: its copy buttons speak that language.
  if (entry?.t !== t) {
    entry = { t, result: renderMarkdown(text, t) };
    if (markdownCache.size >= CACHE_LIMIT) markdownCache.delete(markdownCache.keys().next().value!);
    markdownCache.set(text, entry);
  }
  return entry.result;
}

/** The visitor's own message: plain text (never markdown), line breaks kept by CSS, and its files. */
export function userMessage(item: UserMessageItem, actions: AttachmentActions, t: UiStrings, lang: string): TemplateResult {
  return html`<div part="message user-message" class="msg msg--user">
    <span class="sr-only">${t.youSaid}</span>
    ${item.text ? html`<div class="bubble" dir="auto">${item.text}</div>` : nothing} ${sentAttachments(item.attachments ?? [], actions, t)}
    ${timestamp(item.createdAt, lang)}
  </div>`;
}

/** A message the server has not shown as an item yet: "Sending…", or "Not sent" with Retry. */
export function pendingMessage(p: PendingMessage, onRetry: (id: string) => void, retryDisabled: boolean, t: UiStrings): TemplateResult {
  return html`<div part="message user-message" class="msg msg--user" data-pending=${p.status}>
    <span class="sr-only">${t.youSaid}</span>
    ${p.text ? html`<div class="bubble" dir="auto">${p.text}</div>` : nothing} ${sentAttachments(p.attachments, undefined, t)}
    ${p.status === 'failed'
      ? html`<div class="msg__meta msg__meta--failed">
          ${t.notSent}
          <button type="button" class="link-button" ?disabled=${retryDisabled} @click=${() => onRetry(p.clientMessageId)}>${t.retry}</button>
        </div>`
      : html`<div class="msg__meta">${t.sending}</div>`}
  </div>`;
}

/** An assistant reply, rendered from markdown as it streams; its time, and the rating buttons once it is finished. */
export function assistantMessage(item: AssistantMessageItem, vm: ViewModel, t: UiStrings, lang: string, feedback?: ViewContext['feedback']): TemplateResult {
  const multiAgent = (vm.workflow?.agents.length ?? 0) > 1;
  const name = agentName(vm, item.agent);
  return html`<div part="message assistant-message" class="msg msg--assistant" data-status=${item.status}>
    ${multiAgent && name ? html`<div class="msg__agent">${name}</div>` : html`<span class="sr-only">${t.speaker(name || t.assistant)}</span>`}
    <div class="bubble markdown" dir="auto">
      ${item.status === 'in_progress' ? renderMarkdown(item.text, t) : markdown(item.text, t)}${item.status === 'in_progress' ? html`<span class="cursor" aria-hidden="true"></span>` : nothing}
    </div>
    ${item.status === 'incomplete' ? html`<div class="msg__meta">${t.stoppedEarly}</div>` : nothing}
    ${timestamp(item.createdAt, lang)}
    ${feedback && item.status === 'done'
      ? feedbackBar({
          itemId: item.id,
          rating: vm.feedback[item.id],
          commenting: feedback.commenting === item.id,
          t,
          disabled: vm.connection !== 'connected',
          onRate: feedback.onRate,
          onComment: feedback.onComment,
          onCloseComment: feedback.onCloseComment,
        })
      : nothing}
  </div>`;
}
