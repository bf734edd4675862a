import type { RunTrace } from '@agent-chat/shared';
import { css, html, LitElement, nothing, svg, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { AdminApiError, type AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { formatTime, jsonText } from '../format.ts';
import { routeHref } from '../routes.ts';
import { formatMs, layoutTrace, type TraceRow } from './trace-layout.ts';
import { failureMessage } from './view-errors.ts';

/** The bar's drawing width; the SVG stretches it to the column. */
const AXIS = 1000;
/** Indented levels; deeper spans are indented as this one (the level is still said in words). */
const MAX_INDENT = 8;
// Indentation by class, not a style attribute: the console's CSP allows no inline styles.
const indentRules = unsafeCSS(
  Array.from({ length: MAX_INDENT }, (_, i) => `td.span.l${i + 1} { padding-inline-start: ${0.5 + i * 1.4}em; }`).join('\n'),
);

/**
 * A run's trace as a waterfall: one table row per span, nested by parent (indented, with its
 * level in words), a bar placed by its start and end on the run's time axis, approval events as
 * markers on the bar and in words. A span's button shows all its attributes.
 */
@customElement('console-trace')
export class TraceView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .waterfall {
        overflow-x: auto;
      }
      td.span {
        white-space: nowrap;
      }
      td.span button {
        font: inherit;
        background: none;
        color: var(--accent);
        border: none;
        padding: 0;
        text-decoration: underline;
        cursor: pointer;
      }
      .op {
        font-size: 0.8rem;
      }
      td.num {
        text-align: end;
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      td.timeline {
        width: 40%;
        min-width: 12em;
      }
      td.timeline svg {
        display: block;
        width: 100%;
        height: 18px;
      }
      rect.track {
        fill: var(--surface);
      }
      rect.bar {
        fill: var(--accent);
      }
      rect.bar.chat {
        fill: var(--ok);
      }
      rect.bar.execute_tool {
        fill: var(--warning);
      }
      rect.bar.apply_guardrail,
      rect.bar.error {
        fill: var(--danger);
      }
      line.marker {
        stroke: var(--text);
        stroke-width: 3;
      }
      line.marker.decided {
        stroke-dasharray: 3 2;
      }
      ul.markers {
        list-style: none;
        margin: 0.2em 0 0;
        padding: 0;
        font-size: 0.9rem;
      }
      pre.json {
        margin: 0;
        white-space: pre-wrap;
        word-break: break-word;
        font-size: 0.85rem;
      }
    `,
    indentRules,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @property({ attribute: false }) threadId = '';
  @property({ attribute: false }) runId = '';
  @state() private trace: RunTrace | undefined;
  @state() private error = '';
  @state() private open = new Set<string>();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('runId') && this.runId) void this.#load(this.runId);
  }

  async #load(runId: string): Promise<void> {
    this.trace = undefined;
    this.error = '';
    this.open = new Set();
    try {
      const trace = await this.client.runTrace(runId);
      if (runId === this.runId) this.trace = trace;
    } catch (error) {
      // A run still going has no trace yet: the API says "not found", the reader is told why.
      const message = failureMessage(this, error);
      this.error = error instanceof AdminApiError && error.status === 404 ? 'No trace for this run: it is still running, or it is not yours to see.' : message;
    }
  }

  #toggle(spanId: string): void {
    const open = new Set(this.open);
    if (!open.delete(spanId)) open.add(spanId);
    this.open = open;
  }

  override render() {
    return html`
      <p><a href=${routeHref({ view: 'transcript', threadId: this.threadId })}>← The conversation</a></p>
      <h2 tabindex="-1">Trace of run <code>${this.runId}</code></h2>
      ${this.error ? html`<p class="error-box" role="alert">${this.error}</p>` : this.trace ? this.#renderTrace(this.trace) : html`<p role="status">Loading…</p>`}
    `;
  }

  #renderTrace(trace: RunTrace) {
    const layout = layoutTrace(trace);
    return html`
      <dl class="meta">
        <dt>Started</dt>
        <dd>${formatTime(trace.startedAt)}</dd>
        <dt>Duration</dt>
        <dd>${formatMs(layout.durationMs)}</dd>
        <dt>Spans</dt>
        <dd>${layout.rows.length}</dd>
        <dt>Trace id</dt>
        <dd><code>${trace.traceId}</code></dd>
      </dl>
      <div class="waterfall">
        <table aria-describedby="waterfall-note">
          <caption class="sr-only">Spans of the run, each after the span it belongs to, with its nesting level</caption>
          <thead>
            <tr>
              <th scope="col">Span</th>
              <th scope="col">Details</th>
              <th scope="col">Starts at</th>
              <th scope="col">Duration</th>
              <th scope="col"><span aria-hidden="true">Timeline</span><span class="sr-only">Timeline (drawing)</span></th>
            </tr>
          </thead>
          <tbody>
            ${layout.rows.flatMap((row) => this.#renderRow(row))}
          </tbody>
        </table>
      </div>
      <p id="waterfall-note" class="muted">Bars: agent (blue), model call (green), tool (amber), guardrail or error (red); a solid tick is an approval asked for, a dashed one its decision.</p>
    `;
  }

  #renderRow(row: TraceRow) {
    const { span } = row;
    const open = this.open.has(span.spanId);
    const detailsId = `attrs-${span.spanId}`;
    const barX = row.left * AXIS;
    const barW = Math.max(2, row.width * AXIS);
    const rows = [
      html`<tr data-span=${span.spanId} data-parent=${span.parentSpanId ?? nothing} data-level=${row.level} data-operation=${span.operation}>
        <td class="span l${Math.min(row.level, MAX_INDENT)}">
          <span class="sr-only">Level ${row.level}: </span>
          <button id="name-${span.spanId}" type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls=${open ? detailsId : nothing} @click=${() => this.#toggle(span.spanId)}>${row.subject}</button>
          <span class="op muted">${span.operation}</span>
        </td>
        <td class="details">
          ${row.facts.join(' · ') || '—'}
          ${row.markers.length
            ? html`<ul class="markers">
                ${row.markers.map((m) => html`<li class="marker ${m.kind}">${m.kind === 'requested' ? 'Approval' : 'Decision'}: ${m.text} (at ${m.offsetMs >= 0 ? '+' : ''}${formatMs(m.offsetMs)})</li>`)}
              </ul>`
            : nothing}
        </td>
        <td class="num">+${formatMs(row.offsetMs)}</td>
        <td class="num">${formatMs(row.durationMs)}</td>
        <td class="timeline">
          <svg viewBox="0 0 ${AXIS} 18" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="track" x="0" y="3" width=${AXIS} height="12"></rect>
            <rect class="bar ${span.operation} ${span.status.code === 'error' ? 'error' : ''}" x=${Math.min(barX, AXIS - barW)} y="3" width=${barW} height="12"></rect>
            ${row.markers.map((m) => svg`<line class="marker ${m.kind}" x1=${m.at * AXIS} x2=${m.at * AXIS} y1="0" y2="18" vector-effect="non-scaling-stroke"></line>`)}
          </svg>
        </td>
      </tr>`,
    ];
    if (open) {
      rows.push(html`<tr class="attributes">
        <td colspan="5" id=${detailsId}>
          <pre class="json" tabindex="0" aria-labelledby="name-${span.spanId}">${jsonText({ name: span.name, status: span.status, start: span.start, end: span.end, attributes: span.attributes, events: span.events })}</pre>
        </td>
      </tr>`);
    }
    return rows;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-trace': TraceView;
  }
}
