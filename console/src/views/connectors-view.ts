import type { AdminConnector } from '@agent-chat/shared';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { formatTime } from '../format.ts';
import { failureMessage } from './view-errors.ts';

const STATE_CLASS: Record<AdminConnector['state'], string> = { ready: 'ok', down: 'danger', connecting: 'warning', idle: 'muted' };

/** Connectors: each MCP connector's state, approval policy, users and (once connected) tools. */
@customElement('console-connectors')
export class ConnectorsView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      article {
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.6em 0.9em;
        margin: 0.8em 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2em 1em;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @state() private connectors: AdminConnector[] | undefined;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.client
      .connectors()
      .then((list) => (this.connectors = list.connectors))
      .catch((error: unknown) => (this.error = failureMessage(this, error)));
  }

  override render() {
    const title = html`<h2 tabindex="-1">Connectors</h2>`;
    if (this.error) return html`${title}<p class="error-box" role="alert">${this.error}</p>`;
    if (!this.connectors) return html`${title}<p role="status">Loading…</p>`;
    if (this.connectors.length === 0) return html`${title}<p class="muted">No MCP connector is configured for this key’s workflows.</p>`;
    return html`${title}${this.connectors.map((c) => this.#renderConnector(c))}`;
  }

  #renderConnector(c: AdminConnector) {
    const approval = c.approval === 'always' ? 'every tool' : c.approval === 'never' ? 'no tool' : c.approval.join(', ');
    return html`<article aria-labelledby="connector-${c.id}">
      <h3 id="connector-${c.id}">${c.id} <span class=${STATE_CLASS[c.state]}>${c.state}</span></h3>
      ${c.description ? html`<p>${c.description}</p>` : nothing}
      <dl>
        <dt>Transport</dt>
        <dd>${c.transport}</dd>
        <dt>State since</dt>
        <dd>${formatTime(c.since)}</dd>
        ${c.consecutiveFailures > 0 ? html`<dt>Failed attempts</dt><dd>${c.consecutiveFailures}</dd>` : nothing}
        ${c.lastError ? html`<dt>Last error</dt><dd class="danger">${c.lastError}</dd>` : nothing}
        <dt>Needs approval</dt>
        <dd>${approval}</dd>
        <dt>Used by</dt>
        <dd>${c.usedBy.join(', ') || 'no workflow'}</dd>
      </dl>
      ${c.tools === null
        ? html`<p class="muted">Tools are listed once it is connected (on its first use).</p>`
        : html`<table>
            <caption class="sr-only">Tools of ${c.id}</caption>
            <thead>
              <tr><th scope="col">Tool</th><th scope="col">Description</th><th scope="col">Approval</th></tr>
            </thead>
            <tbody>
              ${c.tools.map((t) => html`<tr><td><code>${t.name}</code>${t.title ? html` <span class="muted">${t.title}</span>` : nothing}</td><td>${t.description}</td><td>${t.needsApproval ? 'required' : '—'}</td></tr>`)}
            </tbody>
          </table>`}
    </article>`;
  }
}
