import type { UsageBudget, UsageReport, UsageRow } from '@agent-chat/shared';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient, UsageFilters } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { dayChart, daysBetween, formatCount, formatUsd, groupChart, legend } from './usage-charts.ts';
import { failureMessage } from './view-errors.ts';

/** The presets offered: the last 7 or 30 UTC days, today included; `custom` is the from/to inputs. */
const PERIODS = [7, 30] as const;
type Period = (typeof PERIODS)[number] | 'custom';

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days, today included. */
function lastDays(days: number): { from: string; to: string } {
  const to = utcDay(Date.now());
  return { from: utcDay(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS), to };
}

/** What the view shows: one report per grouping, same period (the API scopes a site's key to its site). */
interface UsageData {
  from: string;
  to: string;
  day: UsageReport;
  site: UsageReport;
  workflow: UsageReport;
  model: UsageReport;
}

const siteName = (site: string | undefined) => (site ? site : 'open server');

/**
 * Usage: tokens and cost per day, per site, workflow and model for the last 7 or 30 days or
 * any range of UTC days, narrowed to a site (the operator's choice; a site's key is pinned to
 * its own), a workflow and a model, as charts drawn here in SVG, each followed by the same
 * numbers as a table; and each site's daily token budget as a meter (used today against it).
 */
@customElement('console-usage')
export class UsageView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      form.filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6em 1.2em;
        align-items: end;
        margin-bottom: 1em;
      }
      form.filters label {
        display: flex;
        flex-direction: column;
        gap: 0.2em;
        font-size: 0.9rem;
      }
      dl.totals {
        display: grid;
        grid-template-columns: repeat(4, max-content);
        gap: 0.1em 2em;
        margin: 0 0 1em;
      }
      dl.totals dt {
        color: var(--muted);
        grid-row: 1;
      }
      dl.totals dd {
        margin: 0;
        grid-row: 2;
        font-size: 1.2rem;
        font-weight: 600;
      }
      section {
        margin: 1.4em 0;
      }
      svg.chart {
        display: block;
        width: 100%;
        max-width: 720px;
        height: auto;
      }
      svg .input,
      .key.input {
        fill: var(--accent);
        background: var(--accent);
      }
      svg .output,
      .key.output {
        fill: var(--ok);
        background: var(--ok);
      }
      svg text {
        fill: var(--text);
        font-size: 12px;
      }
      svg text.tick {
        fill: var(--muted);
      }
      svg line.axis {
        stroke: var(--border);
      }
      .legend {
        font-size: 0.85rem;
        color: var(--muted);
      }
      .key {
        display: inline-block;
        width: 0.9em;
        height: 0.9em;
        vertical-align: -0.1em;
      }
      td.num,
      th.num {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      details {
        margin-top: 0.4em;
      }
      details table {
        width: auto;
        min-width: min(36em, 100%);
      }
      ul.budgets {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 0.6em;
      }
      meter {
        width: min(24em, 100%);
        height: 1.2em;
        display: block;
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @state() private period: Period = 7;
  @state() private range = lastDays(7);
  @state() private filters: UsageFilters = {};
  @state() private data: UsageData | undefined;
  @state() private error = '';
  /** The choices of the filters: sites (operator only), workflows, models seen so far. */
  @state() private sites: string[] = [];
  @state() private workflows: string[] = [];
  @state() private models: string[] = [];
  #loads = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    // Choices only: a failure here leaves the filters at "all" and the report still loads.
    void this.client
      .sites()
      .then((list) => (this.sites = list.sites.length > 1 ? list.sites.map((s) => s.id) : []))
      .catch(() => undefined);
    void this.client
      .workflows()
      .then((list) => (this.workflows = list.workflows.map((w) => w.id)))
      .catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('client') || changed.has('range') || changed.has('filters')) && this.client) void this.#load(this.range, this.filters);
  }

  #choosePeriod(value: string): void {
    if (value === 'custom') {
      this.period = 'custom';
      return;
    }
    this.period = Number(value) as Period;
    this.range = lastDays(this.period as number);
  }

  #chooseDay(which: 'from' | 'to', value: string): void {
    if (!value) return;
    this.period = 'custom';
    this.range = { ...this.range, [which]: value };
  }

  #filter(name: keyof UsageFilters, value: string): void {
    const next = { ...this.filters };
    if (value) next[name] = value;
    else delete next[name];
    this.filters = next;
  }

  async #load({ from, to }: { from: string; to: string }, filters: UsageFilters): Promise<void> {
    const load = ++this.#loads;
    this.error = '';
    try {
      const [day, site, workflow, model] = await Promise.all(
        (['day', 'site', 'workflow', 'model'] as const).map((dimension) => this.client.usage(from, to, [dimension], filters)),
      );
      if (load === this.#loads) this.models = [...new Set([...this.models, ...model!.rows.map((r) => r.model ?? '').filter(Boolean)])].sort();
      // Only the latest choice of period is shown, whatever order the answers come in.
      if (load === this.#loads) this.data = { from, to, day: day!, site: site!, workflow: workflow!, model: model! };
    } catch (error) {
      if (load === this.#loads) this.error = failureMessage(this, error);
    }
  }

  override render() {
    return html`
      <h2 tabindex="-1">Usage</h2>
      <form class="filters" aria-label="Usage period and filters" @submit=${(e: Event) => e.preventDefault()}>
        <label
          >Period
          <select id="period" @change=${(e: Event) => this.#choosePeriod((e.target as HTMLSelectElement).value)}>
            ${PERIODS.map((p) => html`<option value=${p} ?selected=${p === this.period}>Last ${p} days</option>`)}
            <option value="custom" ?selected=${this.period === 'custom'}>From – to</option>
          </select>
        </label>
        <label
          >From (UTC day)
          <input type="date" name="from" .value=${this.range.from} max=${this.range.to} @change=${(e: Event) => this.#chooseDay('from', (e.target as HTMLInputElement).value)} />
        </label>
        <label
          >To (UTC day)
          <input type="date" name="to" .value=${this.range.to} min=${this.range.from} @change=${(e: Event) => this.#chooseDay('to', (e.target as HTMLInputElement).value)} />
        </label>
        ${this.sites.length > 0 ? this.#select('site', 'Site', 'All sites', this.sites) : nothing}
        ${this.#select('workflow', 'Workflow', 'All workflows', this.workflows)}
        ${this.#select('model', 'Model', 'All models', this.models)}
      </form>
      ${this.error ? html`<p class="error-box" role="alert">${this.error}</p>` : this.data ? this.#renderData(this.data) : html`<p role="status">Loading…</p>`}
    `;
  }

  #select(name: keyof UsageFilters, label: string, all: string, options: string[]) {
    const current = this.filters[name] ?? '';
    const choices = current && !options.includes(current) ? [...options, current] : options;
    return html`<label
      >${label}
      <select name=${name} @change=${(e: Event) => this.#filter(name, (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${current === ''}>${all}</option>
        ${choices.map((o) => html`<option value=${o} ?selected=${o === current}>${o}</option>`)}
      </select>
    </label>`;
  }

  #renderData(d: UsageData) {
    const total = d.day.total;
    return html`
      <p class="muted" role="status">
        ${d.from} to ${d.to} (UTC days)${(['site', 'workflow', 'model'] as const).map((f) => (this.filters[f] ? `; ${f} ${this.filters[f]}` : ''))}.
      </p>
      <dl class="totals">
        <dt>Model calls</dt>
        <dd>${formatCount(total.calls)}</dd>
        <dt>Input tokens</dt>
        <dd>${formatCount(total.inputTokens)}</dd>
        <dt>Output tokens</dt>
        <dd>${formatCount(total.outputTokens)}</dd>
        <dt>Cost</dt>
        <dd>${formatUsd(total.costUsd)}</dd>
      </dl>
      ${this.#renderBudgets(d.day.budgets)}
      <section aria-labelledby="per-day" class="per-day">
        <h3 id="per-day">Per day</h3>
        ${legend} ${dayChart(d.day.rows, daysBetween(d.from, d.to))}
        ${this.#table('day', 'Day', d.day.rows.filter((r) => r.inputTokens + r.outputTokens + r.calls > 0).sort((a, b) => (a.day ?? '').localeCompare(b.day ?? '')), (r) => r.day ?? '')}
      </section>
      ${this.#groupSection('site', 'Per site', d.site.rows, (r) => siteName(r.site))}
      ${this.#groupSection('workflow', 'Per workflow', d.workflow.rows, (r) => r.workflow ?? '')}
      ${this.#groupSection('model', 'Per model', d.model.rows, (r) => r.model ?? '')}
    `;
  }

  #groupSection(key: string, title: string, rows: UsageRow[], nameOf: (r: UsageRow) => string) {
    return html`<section aria-labelledby="per-${key}" class="per-${key}">
      <h3 id="per-${key}">${title}</h3>
      ${legend} ${groupChart(rows, nameOf, key)} ${this.#table(key, title.replace('Per ', '').replace(/^./, (c) => c.toUpperCase()), rows, nameOf)}
    </section>`;
  }

  /** The chart's numbers as a table (open by default for the days, folded for the groups). */
  #table(key: string, heading: string, rows: UsageRow[], nameOf: (r: UsageRow) => string) {
    return html`<details ?open=${key === 'day'}>
      <summary>${heading === 'Day' ? 'Days' : `${heading}s`} as a table</summary>
      <table data-table=${key}>
        <thead>
          <tr>
            <th scope="col">${heading}</th>
            <th scope="col" class="num">Calls</th>
            <th scope="col" class="num">Input tokens</th>
            <th scope="col" class="num">Output tokens</th>
            <th scope="col" class="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          ${rows.length === 0
            ? html`<tr><td colspan="5" class="muted">Nothing in this period.</td></tr>`
            : rows.map(
                (r) => html`<tr data-key=${nameOf(r)}>
                  <th scope="row">${nameOf(r)}</th>
                  <td class="num calls">${formatCount(r.calls)}</td>
                  <td class="num input">${formatCount(r.inputTokens)}</td>
                  <td class="num output">${formatCount(r.outputTokens)}</td>
                  <td class="num cost">${formatUsd(r.costUsd)}</td>
                </tr>`,
              )}
        </tbody>
      </table>
    </details>`;
  }

  #renderBudgets(budgets: UsageBudget[]) {
    if (budgets.length === 0) return nothing;
    return html`<section aria-labelledby="budgets" class="budgets">
      <h3 id="budgets">Daily token budgets (today, UTC)</h3>
      <ul class="budgets">
        ${budgets.map((b, i) => {
          const id = `budget-${i}`;
          return html`<li data-site=${b.site}>
            <span id=${id}>${siteName(b.site)}</span>:
            <span class="used">${formatCount(b.usedToday)}</span>
            ${b.dailyTokens > 0
              ? html`of <span class="limit">${formatCount(b.dailyTokens)}</span> tokens (${Math.round((b.usedToday / b.dailyTokens) * 100)}%)
                  <meter aria-labelledby=${id} min="0" max=${b.dailyTokens} low=${Math.round(b.dailyTokens * 0.75)} high=${Math.round(b.dailyTokens * 0.9)} optimum="0" .value=${b.usedToday}></meter>`
              : html`tokens used, <span class="limit">no daily budget</span>`}
          </li>`;
        })}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-usage': UsageView;
  }
}
