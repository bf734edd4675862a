import type { AdminAgentNode, AdminToolBadge, AdminWorkflow } from '@agent-chat/shared';
import dagre from '@dagrejs/dagre';

/** Sizes of a node's box, in SVG units (px). */
export const NODE_WIDTH = 320;
export const LINE_HEIGHT = 18;
const PADDING = 10;
const MAX_CHARS = 44;

/** One line of text inside a node: what it says and how it is styled. */
export interface NodeLine {
  text: string;
  /** The whole text when `text` was cut to fit. */
  full?: string;
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

function line(text: string, kind: NodeLine['kind']): NodeLine {
  return text.length > MAX_CHARS ? { text: `${text.slice(0, MAX_CHARS - 1)}…`, full: text, kind } : { text, kind };
}

/** A tool's approval policy in words; empty when no call waits. */
export function approvalLabel(tool: AdminToolBadge): string {
  if (tool.approval === 'never') return '';
  return `approval: ${tool.approval === 'always' ? 'always' : tool.approval.join(', ')}`;
}

/** A tool badge's words: name, kind and who must approve its calls. */
export function toolLabel(tool: AdminToolBadge): string {
  return [toolName(tool), approvalLabel(tool)].filter(Boolean).join(' · ');
}

function toolName(tool: AdminToolBadge): string {
  const picked = tool.tools ? ` (${tool.tools.join(', ')})` : '';
  return `${tool.name} · ${tool.kind === 'function' ? 'function' : tool.kind.toUpperCase()}${picked}`;
}

/** A tool on a node: its name and kind, and its approval policy on a line of its own when long. */
function toolLines(tool: AdminToolBadge): NodeLine[] {
  const whole = toolLabel(tool);
  if (whole.length <= MAX_CHARS) return [line(whole, 'tool')];
  const approval = approvalLabel(tool);
  return [line(toolName(tool), 'tool'), ...(approval ? [line(`  ${approval}`, 'tool')] : [])];
}

function nodeLines(agent: AdminAgentNode, workflow: AdminWorkflow): NodeLine[] {
  const lines: NodeLine[] = [line(`${agent.name}${agent.entry ? ' (entry)' : ''}`, 'title'), line(`${agent.id} · ${agent.model}`, 'meta')];
  if (agent.tools.length > 0) lines.push(line('Tools', 'heading'), ...agent.tools.flatMap(toolLines));
  if (agent.guardrails.length > 0) lines.push(line('Guardrails', 'heading'), ...agent.guardrails.map((g) => line(`${g.name}${g.name === g.kind ? '' : ` · ${g.kind}`} · ${g.stage}`, 'guardrail')));
  for (const p of workflow.problems.filter((p) => p.agent === agent.id)) {
    lines.push(line(`${p.severity === 'error' ? '✖' : '⚠'} ${p.message}`, p.severity === 'error' ? 'problem' : 'warning'));
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
