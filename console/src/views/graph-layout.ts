import type { AdminAgentNode, AdminToolBadge, AdminWorkflow } from '@agent-chat/shared';
import dagre from '@dagrejs/dagre';

/** Sizes of a node's box, in SVG units (px). */
export const NODE_WIDTH = 280;
export const LINE_HEIGHT = 18;
const PADDING = 10;
const MAX_CHARS = 38;

/** One line of text inside a node: what it says and how it is styled. */
export interface NodeLine {
  text: string;
  kind: 'title' | 'meta' | 'heading' | 'tool' | 'guardrail' | 'problem' | 'warning';
}

export interface PlacedNode {
  agent: AdminAgentNode;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  lines: NodeLine[];
  problems: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  description: string;
  points: Array<{ x: number; y: number }>;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const cut = (text: string) => (text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text);

/** A tool badge's words: name, kind and who must approve its calls. */
export function toolLabel(tool: AdminToolBadge): string {
  const approval = tool.approval === 'always' ? 'approval: always' : tool.approval === 'never' ? '' : `approval: ${tool.approval.join(', ')}`;
  const picked = tool.tools ? ` (${tool.tools.join(', ')})` : '';
  return [`${tool.name}${picked}`, tool.kind === 'function' ? 'function' : tool.kind.toUpperCase(), approval].filter(Boolean).join(' · ');
}

function nodeLines(agent: AdminAgentNode, workflow: AdminWorkflow): NodeLine[] {
  const lines: NodeLine[] = [{ text: cut(`${agent.name}${agent.entry ? ' (entry)' : ''}`), kind: 'title' }, { text: cut(`${agent.id} · ${agent.model}`), kind: 'meta' }];
  if (agent.tools.length > 0) lines.push({ text: 'Tools', kind: 'heading' }, ...agent.tools.map((t) => ({ text: cut(toolLabel(t)), kind: 'tool' as const })));
  if (agent.guardrails.length > 0) {
    lines.push({ text: 'Guardrails', kind: 'heading' }, ...agent.guardrails.map((g) => ({ text: cut(`${g.name} · ${g.stage}`), kind: 'guardrail' as const })));
  }
  for (const p of workflow.problems.filter((p) => p.agent === agent.id)) {
    lines.push({ text: cut(`${p.severity === 'error' ? '✖' : '⚠'} ${p.message}`), kind: p.severity === 'error' ? 'problem' : 'warning' });
  }
  return lines;
}

/**
 * Lays a workflow out with dagre: agents top to bottom along their handoffs, each node as tall as
 * its lines. Pure: the same workflow gives the same layout.
 */
export function layoutWorkflow(workflow: AdminWorkflow): GraphLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = new Map(workflow.agents.map((a) => [a.id, nodeLines(a, workflow)]));
  for (const agent of workflow.agents) {
    g.setNode(agent.id, { width: NODE_WIDTH, height: lines.get(agent.id)!.length * LINE_HEIGHT + 2 * PADDING });
  }
  const known = new Set(workflow.agents.map((a) => a.id));
  const edges = workflow.handoffs.filter((h) => known.has(h.from) && known.has(h.to) && h.from !== h.to);
  for (const h of edges) g.setEdge(h.from, h.to);
  dagre.layout(g);
  const graph = g.graph();
  return {
    width: Math.ceil(graph.width ?? NODE_WIDTH),
    height: Math.ceil(graph.height ?? 0),
    nodes: workflow.agents.map((agent) => {
      const n = g.node(agent.id);
      return {
        agent,
        x: n.x - n.width / 2,
        y: n.y - n.height / 2,
        width: n.width,
        height: n.height,
        lines: lines.get(agent.id)!,
        problems: workflow.problems.filter((p) => p.agent === agent.id).length,
      };
    }),
    edges: edges.map((h) => ({ ...h, points: g.edge(h.from, h.to).points ?? [] })),
  };
}

export const NODE_PADDING = PADDING;
