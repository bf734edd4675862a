import type { AdminWorkflow } from '@agent-chat/shared';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { jsonText } from '../format.ts';
import { routeHref } from '../routes.ts';
import { toolLabel } from './graph-layout.ts';
import { failureMessage } from './view-errors.ts';
import './workflow-graph.ts';
import './workflow-preview.ts';

/** Workflows: pick one; its graph, its problems, its agents in words, and its JSON (read-only). */
@customElement('console-workflows')
export class WorkflowsView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em 1.2em;
        list-style: none;
        padding: 0;
        margin: 0 0 1em;
      }
      a[aria-current='page'] {
        font-weight: 700;
      }
      .problems li {
        margin: 0.2em 0;
      }
      .agents {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(18em, 1fr));
        gap: 0.8em;
        padding: 0;
        list-style: none;
      }
      .agents > li {
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.6em 0.8em;
      }
      .agents ul {
        padding-inline-start: 1.2em;
        margin: 0.2em 0;
      }
      section {
        margin: 1.2em 0;
      }
      .beside {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(20rem, 2fr);
        gap: 1.2em;
        align-items: start;
      }
      @media (max-width: 960px) {
        .beside {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @property({ attribute: false }) workflowId: string | undefined;
  @state() private workflows: AdminWorkflow[] | undefined;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.client
      .workflows()
      .then((list) => (this.workflows = list.workflows))
      .catch((error: unknown) => (this.error = failureMessage(this, error)));
  }

  override render() {
    if (this.error) return html`<h2 tabindex="-1">Workflows</h2><p class="error-box" role="alert">${this.error}</p>`;
    if (!this.workflows) return html`<h2 tabindex="-1">Workflows</h2><p role="status">Loading…</p>`;
    if (this.workflows.length === 0) return html`<h2 tabindex="-1">Workflows</h2><p class="muted">No workflow is available to this key.</p>`;
    const current = this.workflows.find((w) => w.id === this.workflowId) ?? this.workflows[0]!;
    return html`
      <h2 tabindex="-1">Workflows</h2>
      <nav aria-label="Workflows">
        <ul>
          ${this.workflows.map(
            (w) => html`<li>
              <a href=${routeHref({ view: 'workflows', workflowId: w.id })} aria-current=${w.id === current.id ? 'page' : nothing}>${w.name}</a>${w.problems.length > 0
                ? html` <span class="warning">(${w.problems.length} problem${w.problems.length === 1 ? '' : 's'})</span>`
                : nothing}
            </li>`,
          )}
        </ul>
      </nav>
      ${this.#renderWorkflow(current)}
    `;
  }

  #renderWorkflow(w: AdminWorkflow) {
    return html`
      <h3>${w.name} <span class="muted">(${w.id})</span></h3>
      ${w.description ? html`<p>${w.description}</p>` : nothing}
      ${w.problems.length > 0
        ? html`<section aria-labelledby="problems-title" class="problems">
            <h3 id="problems-title">Problems</h3>
            <ul>
              ${w.problems.map(
                (p) => html`<li class=${p.severity === 'error' ? 'danger' : 'warning'}>
                  <strong>${p.severity}</strong> at <code>${p.path}</code>${p.agent ? html` (agent ${p.agent})` : nothing}: ${p.message}
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}
      <div class="beside">
        <section aria-labelledby="graph-heading">
          <h3 id="graph-heading">Graph</h3>
          <console-workflow-graph .workflow=${w}></console-workflow-graph>
        </section>
        <section aria-labelledby="preview-heading" class="preview">
          <h3 id="preview-heading">Live preview</h3>
          <console-workflow-preview .client=${this.client} .workflowId=${w.id}></console-workflow-preview>
        </section>
      </div>
      <section aria-labelledby="agents-title">
        <h3 id="agents-title">Agents</h3>
        <ul class="agents">
          ${w.agents.map((a) => {
            const handoffs = w.handoffs.filter((h) => h.from === a.id);
            return html`<li>
              <strong>${a.name}</strong> <span class="muted">${a.id} · ${a.model}</span>${a.entry ? html` <span class="badge">entry</span>` : nothing}
              <div>Tools: ${a.tools.length === 0 ? 'none' : html`<ul>${a.tools.map((t) => html`<li>${toolLabel(t)}</li>`)}</ul>`}</div>
              <div>Guardrails: ${a.guardrails.length === 0 ? 'none' : html`<ul>${a.guardrails.map((g) => html`<li>${g.name} (${g.kind}, ${g.stage})</li>`)}</ul>`}</div>
              <div>Hands off to: ${handoffs.length === 0 ? 'nobody' : html`<ul>${handoffs.map((h) => html`<li>${h.to}: ${h.description}</li>`)}</ul>`}</div>
            </li>`;
          })}
        </ul>
      </section>
      <section aria-labelledby="json-title">
        <h3 id="json-title">JSON (read-only)</h3>
        <pre class="json" tabindex="0" aria-labelledby="json-title">${jsonText(w.spec)}</pre>
      </section>
    `;
  }
}
