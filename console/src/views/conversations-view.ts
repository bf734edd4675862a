import type { AdminSiteList, AdminThreadSummary, AdminWorkflow } from '@agent-chat/shared';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient, ThreadFilters } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { formatTime } from '../format.ts';
import { routeHref } from '../routes.ts';
import { failureMessage } from './view-errors.ts';

const STATUS_LABEL: Record<string, string> = {
  completed: 'completed',
  running: 'running',
  failed: 'failed',
  interrupted: 'interrupted',
  cancelled: 'cancelled',
  blocked: 'blocked',
  max_turns: 'max turns',
};

/** The filters as the form holds them, kept for the session so going back to the list keeps them. */
let lastFilters: ThreadFilters = {};

/** Conversations: filters, then every matching thread in scope, a page at a time. */
@customElement('console-conversations')
export class ConversationsView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.8em 1em;
        align-items: flex-end;
        margin-bottom: 1em;
        padding: 0.8em;
        border: 1px solid var(--border);
        border-radius: 8px;
        background: var(--surface);
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: flex;
        gap: 0.8em;
        flex-wrap: wrap;
      }
      legend {
        font-size: 0.88rem;
        color: var(--muted);
        margin-bottom: 0.2em;
      }
      .more {
        margin-top: 1em;
      }
      td.count {
        text-align: end;
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @state() private threads: AdminThreadSummary[] = [];
  @state() private nextCursor: string | null = null;
  @state() private workflows: AdminWorkflow[] = [];
  /** The sites this key sees (undefined until known): a select for the operator, fixed for a site's key. */
  @state() private sites: AdminSiteList | undefined;
  @state() private loading = false;
  @state() private error = '';
  @state() private filters: ThreadFilters = lastFilters;
  #loads = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load(false);
    this.client
      .workflows()
      .then((list) => (this.workflows = list.workflows))
      .catch(() => {}); // the filter falls back to any workflow
    this.client
      .sites()
      .then((list) => (this.sites = list))
      .catch(() => {}); // the filter falls back to free text
  }

  async #load(more: boolean): Promise<void> {
    const load = ++this.#loads;
    this.loading = true;
    this.error = '';
    try {
      const page = await this.client.threads(this.filters, more ? (this.nextCursor ?? undefined) : undefined);
      // Only the latest filters' answer is shown: the first load may come back after a quick Apply.
      if (load !== this.#loads) return;
      this.threads = more ? [...this.threads, ...page.threads] : page.threads;
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (load === this.#loads) this.error = failureMessage(this, error);
    } finally {
      if (load === this.#loads) this.loading = false;
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    this.filters = lastFilters = {
      site: text('site'),
      workflow: text('workflow'),
      user: text('user'),
      from: text('from'),
      to: text('to'),
      status: text('status'),
      q: text('q'),
      feedback: data.get('feedback') === 'on',
      guardrail: data.get('guardrail') === 'on',
      approval: data.get('approval') === 'on',
      preview: data.get('preview') === 'on',
    };
    void this.#load(false);
  }

  override render() {
    const f = this.filters;
    return html`
      <h2 tabindex="-1">Conversations</h2>
      <form @submit=${this.#onSubmit} role="search" aria-label="Filter conversations">
        <label>Title contains <input name="q" type="search" .value=${f.q ?? ''} /></label>
        ${this.#renderSite(f.site ?? '')}
        <label
          >Workflow
          <select name="workflow">
            <option value="">Any</option>
            ${this.workflows.map((w) => html`<option value=${w.id} ?selected=${f.workflow === w.id}>${w.name}</option>`)}
          </select>
        </label>
        <label>User or visitor id <input name="user" .value=${f.user ?? ''} /></label>
        <label>Active from <input name="from" type="date" .value=${f.from ?? ''} /></label>
        <label>Active until <input name="to" type="date" .value=${f.to ?? ''} /></label>
        <label
          >Last run
          <select name="status">
            <option value="">Any</option>
            ${['failed', 'interrupted', 'cancelled'].map((s) => html`<option value=${s} ?selected=${f.status === s}>${s}</option>`)}
          </select>
        </label>
        <fieldset>
          <legend>Only with</legend>
          <label class="check"><input type="checkbox" name="feedback" ?checked=${f.feedback} /> thumbs down (most first)</label>
          <label class="check"><input type="checkbox" name="guardrail" ?checked=${f.guardrail} /> guardrail trips</label>
          <label class="check"><input type="checkbox" name="approval" ?checked=${f.approval} /> approvals</label>
        </fieldset>
        <label class="check"><input type="checkbox" name="preview" ?checked=${f.preview} /> Only the console’s preview chats</label>
        <button type="submit">Apply</button>
      </form>
      ${this.error ? html`<p class="error-box" role="alert">${this.error}</p>` : nothing}
      <p class="sr-only" role="status">${this.loading ? 'Loading conversations' : `${this.threads.length} conversations shown`}</p>
      ${this.threads.length === 0 && !this.loading && !this.error ? html`<p class="muted">No conversation matches.</p>` : nothing}
      ${this.threads.length > 0 ? this.#renderTable() : nothing}
      ${this.nextCursor ? html`<button type="button" class="more secondary" ?disabled=${this.loading} @click=${() => this.#load(true)}>Load more</button>` : nothing}
    `;
  }

  /**
   * The site filter: a select of the sites for the operator; a site's key is pinned to its own
   * (the API answers nothing else); an open server's threads have no site; free text until known.
   */
  #renderSite(current: string) {
    const sites = this.sites;
    if (!sites) return html`<label>Site <input name="site" .value=${current} /></label>`;
    if (sites.open) return nothing;
    if (sites.scope === 'site') return html`<p class="pinned">Site: <strong>${sites.sites[0]?.id}</strong></p>`;
    return html`<label
      >Site
      <select name="site">
        <option value="">All sites</option>
        ${sites.sites.map((s) => html`<option value=${s.id} ?selected=${current === s.id}>${s.id}</option>`)}
      </select>
    </label>`;
  }

  #renderTable() {
    return html`<table>
      <caption class="sr-only">Conversations, most recently active first</caption>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Site</th>
          <th scope="col">Workflow</th>
          <th scope="col">Owner</th>
          <th scope="col">Last active</th>
          <th scope="col">Last run</th>
          <th scope="col">Thumbs down</th>
          <th scope="col">Guardrail trips</th>
          <th scope="col">Approvals</th>
        </tr>
      </thead>
      <tbody>
        ${this.threads.map(
          (t) => html`<tr>
            <td><a href=${routeHref({ view: 'transcript', threadId: t.id })}>${t.title || '(untitled)'}</a></td>
            <td>${t.site || html`<span class="muted">open</span>`}</td>
            <td>${t.workflow}</td>
            <td>${t.owner.kind} ${t.owner.id}</td>
            <td>${formatTime(t.updatedAt)}</td>
            <td class=${t.lastRunStatus === 'failed' ? 'danger' : ''}>${t.lastRunStatus ? STATUS_LABEL[t.lastRunStatus] : '—'}</td>
            <td class="count">${t.thumbsDown}</td>
            <td class="count">${t.guardrailTrips}</td>
            <td class="count">${t.approvalRuns + t.awaitingApproval}${t.awaitingApproval > 0 ? html` <span class="warning">(${t.awaitingApproval} waiting)</span>` : nothing}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
