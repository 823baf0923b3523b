// A cell of a genotype as a standalone SVG: the two cell inputs on the left, the four operation nodes in
// the middle, the concatenated output on the right, each edge labelled with its operation.
import { STEPS, type Genotype, type CellType } from '../space/genotype.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { escapeHtml } from './html.ts';

const OP_COLOURS: Record<string, string> = {
  sep_conv_3x3: '#1f77b4', sep_conv_5x5: '#17becf', dil_conv_3x3: '#2ca02c', dil_conv_5x5: '#98df8a',
  max_pool_3x3: '#d62728', avg_pool_3x3: '#ff7f0e', skip_connect: '#7f7f7f',
};


export function cellDiagram(g: Genotype, type: CellType, title = `${type} cell`): string {
  const W = 620, H = 330;
  const pos = (node: number): [number, number] => {
    if (node === 0) return [60, 90];
    if (node === 1) return [60, 240];
    return [220 + 90 * ((node - 2) % 2), 50 + 70 * (node - 2)];
  };
  const out: [number, number] = [W - 60, 165];
  const pairs = g[type];
  const concat = type === 'normal' ? g.normal_concat : g.reduce_concat;
  const parts: string[] = [];
  const labels: string[] = [];
  pairs.forEach(([op, j], k) => {
    const node = 2 + Math.floor(k / 2);
    const [x1, y1] = pos(j);
    const [x2, y2] = pos(node);
    const colour = OP_COLOURS[op] ?? '#444';
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="2.5" marker-end="url(#arrow)"/>`);
    // The label sits on its edge, a little nearer the target, on a white patch so crossing edges stay readable.
    const t = 0.58;
    const [mx, my] = [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
    labels.push(`<g><rect x="${mx - 38}" y="${my - 8}" width="76" height="14" rx="3" fill="#fff" fill-opacity="0.85"/><text x="${mx}" y="${my + 3}" font-size="10" fill="${colour}" text-anchor="middle">${escapeHtml(op)}</text></g>`);
  });
  for (const k of concat) {
    const [x, y] = pos(k);
    parts.push(`<line x1="${x}" y1="${y}" x2="${out[0]}" y2="${out[1]}" stroke="#bbb" stroke-dasharray="4 3"/>`);
  }
  const box = (x: number, y: number, label: string, fill: string) =>
    `<g><rect x="${x - 34}" y="${y - 14}" width="68" height="28" rx="6" fill="${fill}" stroke="#333"/><text x="${x}" y="${y + 4}" font-size="12" fill="#111" text-anchor="middle">${escapeHtml(label)}</text></g>`;
  parts.push(box(...pos(0), 'c_{k-2}', '#e8f0fe'), box(...pos(1), 'c_{k-1}', '#e8f0fe'));
  for (let n = 2; n < 2 + STEPS; n++) parts.push(box(...pos(n), String(n - 2), '#fff8e1'));
  parts.push(box(...out, 'c_{k}', '#e6f4ea'), ...labels);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(title)}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="30" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>` +
    `<text x="10" y="18" font-size="14" font-weight="bold" fill="currentColor">${escapeHtml(title)}</text>${parts.join('')}</svg>`;
}

const ACT_COLOURS: Record<string, string> = { tanh: '#1f77b4', relu: '#d62728', sigmoid: '#2ca02c', identity: '#7f7f7f' };

/**
 * The recurrent cell as an SVG: x_t and h_{t-1} feed node 0, each node 1..8 reads one earlier node through
 * its activation (edge label), and h_t is the mean of the concatenated nodes (dashed).
 */
export function recurrentCellDiagram(g: RnnGenotype, title = 'recurrent cell'): string {
  const W = 760, H = 300;
  const pos = (node: number): [number, number] => (node === 0 ? [150, 150] : [200 + 62 * node, node % 2 ? 70 : 230]);
  const inputs: [string, [number, number]][] = [['x_t', [50, 90]], ['h_{t-1}', [50, 210]]];
  const out: [number, number] = [W - 50, 150];
  const parts: string[] = [];
  const labels: string[] = [];
  for (const [, [x, y]] of inputs) parts.push(`<line x1="${x}" y1="${y}" x2="${pos(0)[0]}" y2="${pos(0)[1]}" stroke="#888" stroke-width="2" marker-end="url(#rarrow)"/>`);
  g.recurrent.forEach(([act, j], i) => {
    const [x1, y1] = pos(j);
    const [x2, y2] = pos(i + 1);
    const colour = ACT_COLOURS[act] ?? '#444';
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="2.5" marker-end="url(#rarrow)"/>`);
    const [mx, my] = [x1 + 0.55 * (x2 - x1), y1 + 0.55 * (y2 - y1)];
    labels.push(`<g><rect x="${mx - 27}" y="${my - 8}" width="54" height="14" rx="3" fill="#fff" fill-opacity="0.85"/><text x="${mx}" y="${my + 3}" font-size="10" fill="${colour}" text-anchor="middle">${escapeHtml(act)}</text></g>`);
  });
  for (const k of g.concat) parts.push(`<line x1="${pos(k)[0]}" y1="${pos(k)[1]}" x2="${out[0]}" y2="${out[1]}" stroke="#bbb" stroke-dasharray="4 3"/>`);
  const box = (x: number, y: number, label: string, fill: string) =>
    `<g><rect x="${x - 26}" y="${y - 14}" width="52" height="28" rx="6" fill="${fill}" stroke="#333"/><text x="${x}" y="${y + 4}" font-size="12" fill="#111" text-anchor="middle">${escapeHtml(label)}</text></g>`;
  for (const [label, [x, y]] of inputs) parts.push(box(x, y, label, '#e8f0fe'));
  for (let n = 0; n <= g.recurrent.length; n++) parts.push(box(...pos(n), String(n), '#fff8e1'));
  parts.push(box(...out, 'h_t', '#e6f4ea'), ...labels);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(title)}">` +
    `<defs><marker id="rarrow" viewBox="0 0 10 10" refX="24" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>` +
    `<text x="10" y="18" font-size="14" font-weight="bold" fill="currentColor">${escapeHtml(title)}</text>${parts.join('')}</svg>`;
}
