import type { AdminThreadDetail } from '@agent-chat/shared';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { formatTime } from '../format.ts';
import { routeHref } from '../routes.ts';
import { renderItem } from './transcript-item.ts';
import { failureMessage } from './view-errors.ts';

/** One conversation whole: who, its runs (status, error, times) and every item. */
@customElement('console-transcript')
export class TranscriptView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .item {
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.6em 0.9em;
        margin: 0.6em 0;
        background: var(--bg);
      }
      .item.user {
        background: var(--surface);
      }
      .item h3 {
        font-size: 0.95rem;
        margin-bottom: 0.3em;
      }
      .item p {
        margin: 0.3em 0;
      }
      .time {
        font-weight: 400;
        font-size: 0.85rem;
      }
      .user-text {
        white-space: pre-wrap;
      }
      .markdown pre,
      .markdown code {
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      }
      .markdown pre {
        background: var(--surface);
        padding: 0.5em;
        overflow: auto;
        border-radius: 6px;
      }
      .markdown table {
        width: auto;
      }
      .markdown .md-code-bar {
        display: flex;
        justify-content: space-between;
        font-size: 0.8rem;
        color: var(--muted);
      }
      .markdown .md-copy {
        font-size: 0.8rem;
        padding: 0.1em 0.6em;
      }
      section {
        margin: 1.2em 0;
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @property({ attribute: false }) threadId = '';
  @state() private detail: AdminThreadDetail | undefined;
  @state() private error = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('threadId') && this.threadId) void this.#load(this.threadId);
  }

  async #load(id: string): Promise<void> {
    this.detail = undefined;
    this.error = '';
    try {
      const detail = await this.client.thread(id);
      if (id === this.threadId) this.detail = detail;
    } catch (error) {
      this.error = failureMessage(this, error);
    }
  }

  override render() {
    const d = this.detail;
    // One heading element whatever the state, so focus on it survives the load.
    return html`
      <p><a href="#/conversations">← All conversations</a></p>
      <h2 tabindex="-1">${d ? d.thread.title || '(untitled)' : 'Conversation'}</h2>
      ${this.error ? html`<p class="error-box" role="alert">${this.error}</p>` : d ? this.#renderDetail(d) : html`<p role="status">Loading…</p>`}
    `;
  }

  #renderDetail(d: AdminThreadDetail) {
    const t = d.thread;
    const ctx = { feedback: new Map(d.feedback.map((f) => [f.itemId, f])), approvals: new Map(d.approvals.map((a) => [a.callId, a])) };
    return html`
      <dl class="meta">
        <dt>Site</dt>
        <dd>${t.site || 'open server'}</dd>
        <dt>Workflow</dt>
        <dd><a href="#/workflows/${encodeURIComponent(t.workflow)}">${t.workflow}</a></dd>
        <dt>Owner</dt>
        <dd>${t.owner.kind} ${t.owner.id}</dd>
        <dt>Started</dt>
        <dd>${formatTime(t.createdAt)}</dd>
        <dt>Last active</dt>
        <dd>${formatTime(t.updatedAt)}</dd>
      </dl>
      <section aria-labelledby="runs-title">
        <h3 id="runs-title">Runs</h3>
        ${d.runs.length === 0
          ? html`<p class="muted">No runs.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">Run (its trace)</th>
                  <th scope="col">Started by</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                ${d.runs.map(
                  (r) => html`<tr>
                    <td><a href=${routeHref({ view: 'trace', threadId: t.id, runId: r.id })}><code>${r.id}</code></a></td>
                    <td>${r.trigger}${r.resumes > 0 ? ` (resumed ${r.resumes}×)` : ''}</td>
                    <td>${r.agent}</td>
                    <td class=${r.status === 'failed' ? 'danger' : ''}>${r.status}</td>
                    <td>${formatTime(r.startedAt)}</td>
                    <td>${formatTime(r.finishedAt)}</td>
                    <td>${r.error ? html`<code>${r.error.code}</code> ${r.error.message}` : '—'}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </section>
      <section aria-labelledby="items-title">
        <h3 id="items-title">Transcript (${d.items.length} items)</h3>
        ${d.items.map((item) => renderItem(item, ctx))}
      </section>
    `;
  }
}
