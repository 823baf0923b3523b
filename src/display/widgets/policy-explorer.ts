// The policy explorer: a search's policy after any epoch, as a widget. A slider over the epochs and a
// dropdown over the cells (normal and reduction, or the recurrent cell) choose what is shown: the
// operation (or activation) probabilities of every edge and the structure probabilities of every node as
// heatmaps, and the cell that argmax derives from that policy. Drawn as SVG, so it shows in any front end
// and in a saved notebook.
import { argmaxOfProbabilities } from '../../policy/derive.ts';
import { CNN_LAYOUT, type PolicyProbabilities } from '../../policy/cnn-layout.ts';
import { RNN_LAYOUT, type RnnProbabilities } from '../../policy/rnn-layout.ts';
import { OP_NAMES } from '../../space/ops.ts';
import { ACTIVATIONS } from '../../space/rnn-genotype.ts';
import type { CellType } from '../../space/genotype.ts';
import { cellDiagram, recurrentCellDiagram } from '../../viz/cell-diagram.ts';
import { heatmapSvg } from '../../viz/heatmap-svg.ts';
import { Dropdown, HTML, IntSlider } from './controls.ts';
import { HBox, VBox } from './boxes.ts';

type Probabilities = PolicyProbabilities | RnnProbabilities;
export type PolicyHistory = readonly { epoch: number; probabilities: Probabilities }[];
/** A search (its `policyHistory` is read again on `refresh()`), or a recorded history. */
export type PolicySource = { readonly policyHistory: PolicyHistory } | PolicyHistory;

const historyOf = (s: PolicySource): PolicyHistory =>
  Array.isArray(s) ? s : (s as { policyHistory: PolicyHistory }).policyHistory;
const isCnn = (p: Probabilities): p is PolicyProbabilities =>
  typeof p === 'object' && p !== null && 'normal' in p && 'reduce' in p;
const cellInput = (j: number) => (j < 2 ? `c_{k-${2 - j}}` : `node ${j - 2}`);
const pad = (row: readonly number[], n: number): (number | null)[] => [
  ...row,
  ...new Array<null>(Math.max(0, n - row.length)).fill(null),
];

/** The explorer's picture of one recorded policy and cell. */
export function policyView(entry: { epoch: number; probabilities: Probabilities }, cell: string): string {
  const p = entry.probabilities;
  const at = `after epoch ${entry.epoch}`;
  let parts: string[];
  if (isCnn(p)) {
    const type = cell as CellType;
    const probs = p[type];
    const rows = probs.operation.flatMap((edges, node) => edges.map((_, j) => `node ${node} ← ${cellInput(j)}`));
    parts = [
      heatmapSvg(`Operation policy per edge, ${type} cell, ${at}`, rows, OP_NAMES, probs.operation.flat()),
      heatmapSvg(
        `Structure policy, ${type} cell`,
        probs.structure.map((_, i) => `node ${i}`),
        [0, 1, 2, 3, 4].map(cellInput),
        probs.structure.map((r) => pad(r, 5)),
      ),
      cellDiagram(argmaxOfProbabilities(CNN_LAYOUT, p), type, `argmax ${type} cell, ${at}`),
    ];
  } else {
    const rows = p.operation.flatMap((edges, i) => edges.map((_, j) => `node ${i + 1} ← node ${j}`));
    parts = [
      heatmapSvg(`Activation policy per edge, recurrent cell, ${at}`, rows, ACTIVATIONS, p.operation.flat()),
      heatmapSvg(
        'Structure policy, recurrent cell',
        p.structure.map((_, i) => `node ${i + 1}`),
        Array.from({ length: 8 }, (_, j) => `node ${j}`),
        p.structure.map((r) => pad(r, 8)),
      ),
      recurrentCellDiagram(argmaxOfProbabilities(RNN_LAYOUT, p), `argmax recurrent cell, ${at}`),
    ];
  }
  return (
    `<div class="ednas-policy-explorer" ` +
    `style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">` +
    `${parts[0]}<div>${parts[1]}<br>${parts[2]}</div></div>`
  );
}

export class PolicyExplorer extends VBox {
  private constructor(
    private readonly source: PolicySource,
    readonly epoch: IntSlider,
    readonly cell: Dropdown<string>,
    readonly view: HTML,
  ) {
    super([new HBox([epoch, cell]), view]);
    epoch.observe(() => this.draw());
    cell.observe(() => this.draw());
    this.draw();
  }

  static of(source: PolicySource, o: { cell?: string; epoch?: number } = {}): PolicyExplorer {
    const history = historyOf(source);
    if (!history.length)
      throw new Error(
        'the policy explorer needs a policy history with at least one entry (a search has one from its start)',
      );
    const cnn = isCnn(history[0].probabilities);
    const cells: [string, string][] = cnn
      ? [
          ['normal cell', 'normal'],
          ['reduction cell', 'reduce'],
        ]
      : [['recurrent cell', 'recurrent']];
    const cell = o.cell ?? cells[0][1];
    if (!cells.some(([, c]) => c === cell))
      throw new Error(`cell must be one of ${cells.map(([, c]) => c).join(', ')}, got ${JSON.stringify(cell)}`);
    const first = history[0].epoch;
    const last = history[history.length - 1].epoch;
    const epoch = o.epoch ?? last;
    const entry = history.find((h) => h.epoch === epoch) ?? history[history.length - 1];
    return new PolicyExplorer(
      source,
      new IntSlider({ description: 'epoch', min: first, max: last, value: epoch, continuousUpdate: false }),
      new Dropdown<string>({ description: 'cell', options: cells, value: cell }),
      new HTML({ value: policyView(entry, cell) }),
    );
  }

  /** The entry shown: the recorded epoch the slider points at. */
  get entry(): { epoch: number; probabilities: Probabilities } {
    const history = historyOf(this.source);
    return history.find((h) => h.epoch === this.epoch.value) ?? history[history.length - 1];
  }

  private draw(): void {
    this.view.value = policyView(this.entry, this.cell.value ?? 'normal');
  }

  /** Reads the history again (a search that went on): the slider reaches its newest epoch. */
  refresh(): void {
    const history = historyOf(this.source);
    const atEnd = this.epoch.value === this.epoch.max;
    this.epoch.max = history[history.length - 1].epoch;
    if (atEnd) this.epoch.value = this.epoch.max;
    this.draw();
  }

  toString(): string {
    return `PolicyExplorer(epoch=${this.epoch.value}, cell=${JSON.stringify(this.cell.value)})`;
  }
}

/** A policy explorer over a search (or its recorded policy history). */
export const policyExplorer = (source: PolicySource, o: { cell?: string; epoch?: number } = {}): PolicyExplorer =>
  PolicyExplorer.of(source, o);
