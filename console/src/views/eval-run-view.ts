import type { AdminEvalRun, EvalCaseResult, EvalRunSummary, EvalVariantTotals } from '@agent-chat/shared';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { formatTime } from '../format.ts';
import { routeHref } from '../routes.ts';
import { type CaseRow, caseRows, formatMs, passRate, winnerOf } from './eval-ab.ts';
import { formatCount, formatUsd } from './usage-charts.ts';
import { failureMessage } from './view-errors.ts';

/** The A/B table's rows: a measure each, a column per variant. */
const MEASURES: Array<{ key: string; label: string; value: (t: EvalVariantTotals) => string }> = [
  { key: 'rate', label: 'Pass rate', value: (t) => `${Math.round(passRate(t) * 100)}%` },
  { key: 'passed', label: 'Passed', value: (t) => `${t.passed} / ${t.cases}` },
  { key: 'tokens', label: 'Tokens', value: (t) => `${formatCount(t.inputTokens + t.outputTokens)} (${formatCount(t.inputTokens)} in, ${formatCount(t.outputTokens)} out)` },
  { key: 'cost', label: 'Cost', value: (t) => formatUsd(t.costUsd) },
  { key: 'p50', label: 'Latency p50', value: (t) => formatMs(t.p50LatencyMs) },
  { key: 'p95', label: 'Latency p95', value: (t) => formatMs(t.p95LatencyMs) },
];

/**
 * One eval run: what ran, the A/B table (a column per variant: pass rate, tokens, cost, p50/p95
 * latency; the best one named in words), and the case grid (a row per case, pass or fail per
 * variant, each grader's verdict and the answer behind a disclosure). Case text is model text:
 * shown as text only.
 */
@customElement('console-eval-run')
export class EvalRunView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      section {
        margin: 1.4em 0;
      }
      table.ab {
        width: auto;
        min-width: min(40em, 100%);
      }
      table.ab td {
        font-variant-numeric: tabular-nums;
      }
      table.ab .best {
        font-weight: 700;
      }
      .grid-wrap {
        overflow-x: auto;
      }
      table.grid th[scope='row'] {
        color: var(--text);
        font-size: inherit;
        font-weight: 400;
      }
      table.grid td {
        min-width: 14em;
      }
      .outcome {
        font-weight: 600;
      }
      ul.grades {
        margin: 0.3em 0;
        padding-inline-start: 1.2em;
      }
      ul.grades li {
        overflow-wrap: anywhere;
      }
      summary {
        cursor: pointer;
        color: var(--accent);
      }
      /* Never a scroll box (one would need its own tab stop): long answers wrap. */
      pre.answer {
        overflow: visible;
        max-height: none;
      }
      label.check {
        margin-bottom: 0.6em;
        font-size: 0.95rem;
        color: var(--text);
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @property({ attribute: false }) runId = '';
  @state() private data: AdminEvalRun | undefined;
  @state() private error = '';
  @state() private onlyDiffering = false;
  #loads = 0;

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('client') || changed.has('runId')) && this.client && this.runId) void this.#load(this.runId);
  }

  async #load(id: string): Promise<void> {
    const load = ++this.#loads;
    this.error = '';
    this.data = undefined;
    try {
      const data = await this.client.evalRun(id);
      if (load === this.#loads) this.data = data;
    } catch (error) {
      if (load === this.#loads) this.error = failureMessage(this, error);
    }
  }

  override render() {
    const run = this.data?.run;
    return html`
      <p><a href=${routeHref({ view: 'evals' })}>All eval runs</a></p>
      <h2 tabindex="-1">Eval run${run ? html`: ${run.casesFile}` : nothing}</h2>
      ${this.error ? html`<p class="error-box" role="alert">${this.error}</p>` : this.data ? this.#renderRun(this.data) : html`<p role="status">Loading…</p>`}
    `;
  }

  #renderRun({ run, cases }: AdminEvalRun) {
    return html`
      <dl class="meta">
        <dt>Started</dt>
        <dd>${formatTime(run.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>${formatTime(run.finishedAt)}</dd>
        <dt>Cases</dt>
        <dd>${run.caseCount}, each played on every variant</dd>
        <dt>Workflows</dt>
        <dd>${run.workflows.join(', ') || '—'}</dd>
        <dt>Model</dt>
        <dd>${run.model ?? 'each agent’s own'}</dd>
        <dt>Variants</dt>
        <dd>${run.variants.map((v, i) => html`${i > 0 ? ', ' : ''}${v.name}${v.file ? html` <span class="muted">(${v.file})</span>` : nothing}`)}</dd>
        <dt>Run id</dt>
        <dd><code>${run.id}</code></dd>
      </dl>
      ${this.#renderAb(run)} ${this.#renderGrid(run, cases)}
    `;
  }

  #renderAb(run: EvalRunSummary) {
    const winner = winnerOf(run.totals);
    return html`<section aria-labelledby="ab" class="ab">
      <h3 id="ab">A/B table</h3>
      <table class="ab">
        <caption class="sr-only">Each variant over the run’s cases${winner ? `; best: ${winner.variant}` : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            ${run.totals.map(
              (t) => html`<th scope="col" data-variant=${t.variant} class=${winner?.variant === t.variant ? 'best' : ''}>
                ${t.variant}${winner?.variant === t.variant ? html` <span class="badge winner">Best</span>` : nothing}
              </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${MEASURES.map(
            (m) => html`<tr data-measure=${m.key}>
              <th scope="row">${m.label}</th>
              ${run.totals.map((t) => html`<td data-variant=${t.variant} class=${winner?.variant === t.variant ? 'best' : ''}>${m.value(t)}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table>
      <p class="verdict">
        ${run.totals.length < 2
          ? 'One variant: nothing to compare.'
          : winner
            ? html`Best: <strong>${winner.variant}</strong> (${winner.why}).`
            : 'No single best variant: the best tie on pass rate and cost.'}
        Latencies are per run (a case with several turns counts each).
      </p>
    </section>`;
  }

  #renderGrid(run: EvalRunSummary, cases: EvalCaseResult[]) {
    const variants = run.totals.map((t) => t.variant);
    const rows = caseRows(cases);
    const differing = rows.filter((r) => r.differs).length;
    const shown = this.onlyDiffering ? rows.filter((r) => r.differs) : rows;
    return html`<section aria-labelledby="cases" class="cases">
      <h3 id="cases">Cases</h3>
      ${variants.length > 1
        ? html`<label class="check"
            ><input type="checkbox" name="differing" .checked=${this.onlyDiffering} @change=${(e: Event) => (this.onlyDiffering = (e.target as HTMLInputElement).checked)} />
            Only the ${differing} case${differing === 1 ? '' : 's'} where the variants differ</label
          >`
        : nothing}
      <div class="grid-wrap">
        <table class="grid">
          <caption class="sr-only">Each case’s outcome per variant</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              ${variants.map((v) => html`<th scope="col">${v}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${shown.map((row) => this.#renderRow(row, variants))}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  #renderRow(row: CaseRow, variants: string[]) {
    return html`<tr data-case=${row.caseId}>
      <th scope="row">
        <code>${row.caseId}</code>${row.differs ? html` <span class="badge">differs</span>` : nothing}
        ${row.description ? html`<div class="muted">${row.description}</div>` : nothing}
      </th>
      ${variants.map((variant) => {
        const result = row.byVariant.get(variant);
        return html`<td data-variant=${variant} class=${result ? (result.pass ? 'pass' : 'fail') : ''}>${result ? this.#renderCell(result) : html`<span class="muted">not played</span>`}</td>`;
      })}
    </tr>`;
  }

  #renderCell(c: EvalCaseResult) {
    const failed = c.grades.filter((g) => !g.pass).length;
    return html`<span class="outcome ${c.pass ? 'ok' : 'danger'}"><span aria-hidden="true">${c.pass ? '✓' : '✗'}</span> ${c.pass ? 'Pass' : 'Fail'}</span>
      <details>
        <summary>${c.pass ? 'Details' : c.error ? 'Error' : `${failed} failing grader${failed === 1 ? '' : 's'}`}<span class="sr-only">: ${c.caseId} on ${c.variant}</span></summary>
        ${c.error ? html`<p class="danger error">Error: ${c.error}</p>` : nothing}
        ${c.grades.length > 0
          ? html`<ul class="grades">
              ${c.grades.map(
                (g) => html`<li class=${g.pass ? 'passed' : 'failed'}>
                  <span class=${g.pass ? 'ok' : 'danger'}><span aria-hidden="true">${g.pass ? '✓' : '✗'}</span> ${g.pass ? 'passed' : 'failed'}</span>
                  <code>${g.name}</code>${g.detail ? html`: <span class="detail">${g.detail}</span>` : nothing}
                </li>`,
              )}
            </ul>`
          : nothing}
        <p class="muted">
          ${c.workflow ?? 'no workflow'} · ${formatCount(c.inputTokens + c.outputTokens)} tokens · ${formatUsd(c.costUsd)} · ${c.latenciesMs.map(formatMs).join(', ') || 'no run'}
        </p>
        ${c.text ? html`<p>Answer${c.textTruncated ? ' (cut short)' : ''}:</p><pre class="answer">${c.text}</pre>` : nothing}
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-eval-run': EvalRunView;
  }
}
