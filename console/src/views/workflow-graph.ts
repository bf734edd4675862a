import type { AdminWorkflow } from '@agent-chat/shared';
import { css, html, LitElement, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { layoutWorkflow, LINE_HEIGHT, NODE_PADDING, type PlacedNode } from './graph-layout.ts';

/**
 * A workflow drawn as a graph (SVG): agents as boxes with their tools, guardrails and problems,
 * handoffs as arrows. The picture is one image to a screen reader, described in words; the
 * workflows view lists the same facts as text beside it.
 */
@customElement('console-workflow-graph')
export class WorkflowGraph extends LitElement {
  static override styles = css`
    :host {
      display: block;
      overflow: auto;
      border: 1px solid var(--border);
      border-radius: 8px;
      background: var(--surface);
    }
    svg {
      display: block;
      font: 13px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    }
    .node rect {
      fill: var(--bg);
      stroke: var(--border);
      stroke-width: 1.5;
    }
    .node.entry rect {
      stroke: var(--accent);
      stroke-width: 2.5;
    }
    .node.has-problems rect {
      stroke: var(--danger);
      stroke-width: 2.5;
      stroke-dasharray: 6 3;
    }
    text {
      fill: var(--text);
    }
    text.title {
      font-weight: 700;
      font-size: 14px;
    }
    text.meta,
    text.heading {
      fill: var(--muted);
    }
    text.heading {
      font-size: 11px;
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    text.problem {
      fill: var(--danger);
    }
    text.warning {
      fill: var(--warning);
    }
    path.edge {
      fill: none;
      stroke: var(--muted);
      stroke-width: 1.6;
    }
    marker path {
      fill: var(--muted);
    }
  `;

  @property({ attribute: false }) workflow!: AdminWorkflow;

  #node(n: PlacedNode) {
    const classes = ['node', n.agent.entry ? 'entry' : '', n.problems > 0 ? 'has-problems' : ''].join(' ');
    return svg`<g class=${classes} data-agent=${n.agent.id} transform="translate(${n.x} ${n.y})">
      <rect width=${n.width} height=${n.height} rx="8"></rect>
      ${n.lines.map(
        (line, i) =>
          svg`<text class=${line.kind} x=${NODE_PADDING + (line.kind === 'tool' || line.kind === 'guardrail' ? 8 : 0)} y=${NODE_PADDING + (i + 1) * LINE_HEIGHT - 5}>${line.full ? svg`<title>${line.full}</title>` : nothing}${line.text}</text>`,
      )}
    </g>`;
  }

  override render() {
    const w = this.workflow;
    if (!w) return nothing;
    const layout = layoutWorkflow(w);
    const describe = `${w.agents.length} agents; entry ${w.entryAgent}; handoffs: ${w.handoffs.map((h) => `${h.from} to ${h.to}`).join(', ') || 'none'}${w.problems.length ? `; ${w.problems.length} problems` : ''}.`;
    return html`<svg
      role="img"
      aria-labelledby="graph-title graph-desc"
      width=${layout.width}
      height=${layout.height}
      viewBox="0 0 ${layout.width} ${layout.height}"
    >
      <title id="graph-title">Graph of the ${w.name} workflow</title>
      <desc id="graph-desc">${describe}</desc>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z"></path>
        </marker>
      </defs>
      ${layout.edges.map(
        (e) => svg`<path class="edge" data-from=${e.from} data-to=${e.to} marker-end="url(#arrow)" d=${e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ')}><title>${e.from} hands off to ${e.to}: ${e.description}</title></path>`,
      )}
      ${layout.nodes.map((n) => this.#node(n))}
    </svg>`;
  }
}
