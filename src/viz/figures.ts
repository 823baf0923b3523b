// Plotly figure specifications built from a run's tables, so a report or notebook can redraw them without
// retraining. Each function returns plain data ({data, layout}) that plotly.js renders.
import { OP_NAMES } from '../space/ops.ts';
import type { CellType } from '../space/genotype.ts';
import type { PolicyProbabilities } from '../policy/policy.ts';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const line = (name: string, x: number[], y: number[], extra: Record<string, unknown> = {}) => ({ type: 'scatter', mode: 'lines+markers', name, x, y, ...extra });

/** Mean reward and baseline per epoch (left axis), entropy of the sampled distributions (right axis). */
export function rewardFigure(epochs: { epoch: number; mean_reward: number; baseline: number; entropy: number }[]): Figure {
  const x = epochs.map((e) => e.epoch);
  return {
    data: [
      line('mean reward', x, epochs.map((e) => e.mean_reward)),
      line('baseline', x, epochs.map((e) => e.baseline)),
      line('entropy', x, epochs.map((e) => e.entropy), { yaxis: 'y2', line: { dash: 'dot' } }),
    ],
    layout: { title: { text: 'Policy: reward, baseline and entropy' }, xaxis: { title: { text: 'epoch' } }, yaxis: { title: { text: 'accuracy' } }, yaxis2: { title: { text: 'entropy (nats)' }, overlaying: 'y', side: 'right' } },
  };
}

/** Each operation's probability, averaged over a cell type's 14 edges, after every epoch. */
export function operationFigure(history: { epoch: number; probabilities: PolicyProbabilities }[], type: CellType): Figure {
  const x = history.map((h) => h.epoch);
  const mean = (p: PolicyProbabilities, k: number) => {
    const all = p[type].operation.flat();
    return all.reduce((s, v) => s + v[k], 0) / all.length;
  };
  return {
    data: OP_NAMES.map((op, k) => line(op, x, history.map((h) => mean(h.probabilities, k)))),
    layout: { title: { text: `Operation policy, ${type} cells (mean over edges)` }, xaxis: { title: { text: 'epoch' } }, yaxis: { title: { text: 'probability' } } },
  };
}

/** Structure policy after the last epoch: one heatmap row per node, probability of each input. */
export function structureFigure(p: PolicyProbabilities, type: CellType): Figure {
  const z = p[type].structure.map((row) => [...row, ...new Array(5 - row.length).fill(null)]);
  return {
    data: [{ type: 'heatmap', z, x: ['c_{k-2}', 'c_{k-1}', 'node 0', 'node 1', 'node 2'], y: ['node 0', 'node 1', 'node 2', 'node 3'], colorscale: 'Blues', reversescale: true, zmin: 0, zmax: 1 }],
    layout: { title: { text: `Structure policy, ${type} cells (input probabilities)` } },
  };
}

/** Training loss and accuracy per epoch, with test accuracy when there is one. */
export function trainingFigure(title: string, epochs: { epoch: number; train_loss: number; train_acc: number; test_acc?: number }[]): Figure {
  const x = epochs.map((e) => e.epoch);
  const data = [line('train loss', x, epochs.map((e) => e.train_loss), { yaxis: 'y2', line: { dash: 'dot' } }), line('train accuracy', x, epochs.map((e) => e.train_acc))];
  if (epochs.some((e) => e.test_acc !== undefined)) data.push(line('test accuracy', x, epochs.map((e) => e.test_acc ?? NaN)));
  return { data, layout: { title: { text: title }, xaxis: { title: { text: 'epoch' } }, yaxis: { title: { text: 'accuracy' } }, yaxis2: { title: { text: 'loss' }, overlaying: 'y', side: 'right' } } };
}
