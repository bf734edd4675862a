import type { EvalRunSummary } from '@agent-chat/shared';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { formatTime } from '../format.ts';
import { routeHref } from '../routes.ts';
import { winnerOf } from './eval-ab.ts';
import { failureMessage } from './view-errors.ts';

/** Evals: the stored `agent-chat eval` runs in scope, newest first, a page at a time. */
@customElement('console-evals')
export class EvalsView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ul.results {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .more {
        margin-top: 1em;
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @state() private runs: EvalRunSummary[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loading = false;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load(false);
  }

  async #load(more: boolean): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      const page = await this.client.evalRuns(more ? (this.nextCursor ?? undefined) : undefined);
      this.runs = more ? [...this.runs, ...page.runs] : page.runs;
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.error = failureMessage(this, error);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    return html`
      <h2 tabindex="-1">Evals</h2>
      <p class="muted">Runs of <code>agent-chat eval</code> stored by the server, newest first. Open one for its A/B table and case grid.</p>
      ${this.error ? html`<p class="error-box" role="alert">${this.error}</p>` : nothing}
      <p class="sr-only" role="status">${this.loading ? 'Loading eval runs' : `${this.runs.length} eval runs shown`}</p>
      ${this.runs.length === 0 && !this.loading && !this.error
        ? html`<p class="muted">No eval run is stored yet. Run <code>agent-chat eval cases.jsonl</code> with the server’s DATA_DIR or DATABASE_URL.</p>`
        : nothing}
      ${this.runs.length > 0 ? this.#renderTable() : nothing}
      ${this.nextCursor ? html`<button type="button" class="more secondary" ?disabled=${this.loading} @click=${() => this.#load(true)}>Load more</button>` : nothing}
    `;
  }

  #renderTable() {
    return html`<table>
      <caption class="sr-only">Eval runs, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Cases file</th>
          <th scope="col">Workflows</th>
          <th scope="col">Model</th>
          <th scope="col">Passed per variant</th>
        </tr>
      </thead>
      <tbody>
        ${this.runs.map((run) => {
          const winner = winnerOf(run.totals);
          return html`<tr data-run=${run.id}>
            <td><a href=${routeHref({ view: 'evals', runId: run.id })}>${formatTime(run.startedAt)}</a></td>
            <td>${run.casesFile} <span class="muted">(${run.caseCount} cases)</span></td>
            <td>${run.workflows.join(', ') || '—'}</td>
            <td>${run.model ?? html`<span class="muted">the workflows’</span>`}</td>
            <td>
              <ul class="results">
                ${run.totals.map(
                  (t) => html`<li>
                    ${t.variant}: ${t.passed}/${t.cases}${winner?.variant === t.variant ? html` <span class="badge">Best</span>` : nothing}
                  </li>`,
                )}
              </ul>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-evals': EvalsView;
  }
}
