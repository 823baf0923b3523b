// A cell of a genotype as a standalone SVG, laid out left to right by dagre (layered-svg.ts): the cell
// inputs, the operation nodes, the concatenated output, each edge labelled with its operation.
import { STEPS, type Genotype, type CellType } from '../space/genotype.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { layeredSvg, type DiagramEdge, type DiagramNode } from './layered-svg.ts';

const OP_COLOURS: Record<string, string> = {
  sep_conv_3x3: '#1f77b4',
  sep_conv_5x5: '#17becf',
  dil_conv_3x3: '#2ca02c',
  dil_conv_5x5: '#98df8a',
  max_pool_3x3: '#d62728',
  avg_pool_3x3: '#ff7f0e',
  skip_connect: '#7f7f7f',
};
const INPUT = '#e8f0fe';
const INNER = '#fff8e1';
const OUTPUT = '#e6f4ea';

export function cellDiagram(g: Genotype, type: CellType, title = `${type} cell`): string {
  const id = (node: number) => `n${node}`;
  const nodes: DiagramNode[] = [
    { id: id(0), label: 'c_{k-2}', fill: INPUT },
    { id: id(1), label: 'c_{k-1}', fill: INPUT },
    ...Array.from({ length: STEPS }, (_, k) => ({ id: id(k + 2), label: String(k), fill: INNER })),
    { id: 'out', label: 'c_{k}', fill: OUTPUT },
  ];
  const edges: DiagramEdge[] = g[type].map(([op, j], k) => ({
    from: id(j),
    to: id(2 + Math.floor(k / 2)),
    label: op,
    colour: OP_COLOURS[op] ?? '#444',
  }));
  const concat = type === 'normal' ? g.normal_concat : g.reduce_concat;
  for (const k of concat) edges.push({ from: id(k), to: 'out', colour: '#bbb', dashed: true });
  return layeredSvg(title, nodes, edges, 'ednas-arrow');
}

const ACT_COLOURS: Record<string, string> = {
  tanh: '#1f77b4',
  relu: '#d62728',
  sigmoid: '#2ca02c',
  identity: '#7f7f7f',
};

/**
 * The recurrent cell as an SVG: x_t and h_{t-1} feed node 0, each node 1..8 reads one earlier node through
 * its activation (edge label), and h_t is the mean of the concatenated nodes (dashed).
 */
export function recurrentCellDiagram(g: RnnGenotype, title = 'recurrent cell'): string {
  const id = (node: number) => `n${node}`;
  const nodes: DiagramNode[] = [
    { id: 'x', label: 'x_t', fill: INPUT, width: 52 },
    { id: 'h', label: 'h_{t-1}', fill: INPUT, width: 52 },
    ...Array.from({ length: g.recurrent.length + 1 }, (_, n) => ({ id: id(n), label: `${n}`, fill: INNER, width: 40 })),
    { id: 'out', label: 'h_t', fill: OUTPUT, width: 52 },
  ];
  const edges: DiagramEdge[] = [
    { from: 'x', to: id(0), colour: '#888' },
    { from: 'h', to: id(0), colour: '#888' },
    ...g.recurrent.map(([act, j], i) => ({ from: id(j), to: id(i + 1), label: act, colour: ACT_COLOURS[act] })),
    ...g.concat.map((k) => ({ from: id(k), to: 'out', colour: '#bbb', dashed: true })),
  ];
  return layeredSvg(title, nodes, edges, 'ednas-rarrow');
}
