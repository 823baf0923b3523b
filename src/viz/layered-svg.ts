// A small directed graph drawn as a standalone SVG, laid out by dagre: layered, left to right. Each edge
// label is a node of the layout (dagre's edge-label dummies), so labels never overlap each other or a node.
import dagre from '@dagrejs/dagre';
import { escapeHtml } from './html.ts';

export interface DiagramNode {
  id: string;
  label: string;
  fill: string;
  width?: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  colour: string;
  /** Drawn on a white patch in the middle of the edge, where the layout placed it. */
  label?: string;
  dashed?: boolean;
}

const NODE_H = 28;
const LABEL_FONT = 10;
/** Labels are set in a monospace font, so their width is known before the page measures them. */
const CHAR_W = 0.62 * LABEL_FONT;
const LABEL_H = 14;
const TITLE_H = 28;
const MARGIN = 12;

const labelWidth = (text: string) => Math.ceil(text.length * CHAR_W) + 10;

/** The graph as SVG markup; `markerId` names the arrowhead (unique per diagram kind on a page). */
export function layeredSvg(title: string, nodes: DiagramNode[], edges: DiagramEdge[], markerId: string): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 14, edgesep: 8, ranksep: 34, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width ?? 68, height: NODE_H });
  edges.forEach((e, k) => {
    const label = e.label ? { width: labelWidth(e.label), height: LABEL_H, labelpos: 'c' as const } : { minlen: 1 };
    g.setEdge(e.from, e.to, label, `e${k}`);
  });
  dagre.layout(g);
  const size = g.graph() as { width: number; height: number };
  const W = Math.ceil(Math.max(size.width, 8 * title.length + 20));
  const H = Math.ceil(size.height) + TITLE_H;
  const parts: string[] = [];
  const labels: string[] = [];
  edges.forEach((e, k) => {
    const laid = g.edge(e.from, e.to, `e${k}`) as { points: { x: number; y: number }[]; x?: number; y?: number };
    const d = laid.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)} ${(p.y + TITLE_H).toFixed(1)}`).join(' ');
    // Dashed edges (into the concatenated output) carry no arrowhead: they join, they do not compute.
    const arrow = `marker-end="url(#${markerId})"`;
    const style = e.dashed ? 'stroke-width="1.5" stroke-dasharray="4 3"' : `stroke-width="2.5" ${arrow}`;
    parts.push(`<path d="${d}" fill="none" stroke="${e.colour}" ${style}/>`);
    if (!e.label || laid.x === undefined || laid.y === undefined) return;
    const w = labelWidth(e.label);
    const [x, y] = [laid.x, laid.y + TITLE_H];
    labels.push(
      `<g class="edge-label"><rect x="${(x - w / 2).toFixed(1)}" y="${(y - LABEL_H / 2).toFixed(1)}" ` +
        `width="${w}" height="${LABEL_H}" rx="3" fill="#fff" fill-opacity="0.9"/>` +
        `<text x="${x.toFixed(1)}" y="${(y + 3.5).toFixed(1)}" font-size="${LABEL_FONT}" font-family="monospace" ` +
        `fill="${e.colour}" text-anchor="middle">${escapeHtml(e.label)}</text></g>`,
    );
  });
  for (const n of nodes) {
    const { x, y, width } = g.node(n.id) as { x: number; y: number; width: number };
    const cy = y + TITLE_H;
    parts.push(
      `<g class="node"><rect x="${(x - width / 2).toFixed(1)}" y="${(cy - NODE_H / 2).toFixed(1)}" ` +
        `width="${width}" height="${NODE_H}" rx="6" fill="${n.fill}" stroke="#333"/>` +
        `<text x="${x.toFixed(1)}" y="${(cy + 4).toFixed(1)}" font-size="12" fill="#111" text-anchor="middle">` +
        `${escapeHtml(n.label)}</text></g>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" ` +
    `aria-label="${escapeHtml(title)}"><defs><marker id="${markerId}" viewBox="0 0 10 10" refX="10" refY="5" ` +
    `markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">` +
    `<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>` +
    `<text x="10" y="18" font-size="14" font-weight="bold" fill="currentColor">${escapeHtml(title)}</text>` +
    `${parts.join('')}${labels.join('')}</svg>`
  );
}
