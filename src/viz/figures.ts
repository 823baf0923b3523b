// Plotly figure specifications built from a run's tables, so a report or notebook can redraw them without
// retraining. Each function returns plain data ({data, layout}) that plotly.js renders.
import { OP_NAMES } from '../space/ops.ts';
import type { CellType } from '../space/genotype.ts';
import type { PolicyProbabilities } from '../policy/policy.ts';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  /** Animation frames (an epoch slider steps through them). */
  frames?: { name: string; data: Record<string, unknown>[] }[];
}

/** Legends under figures with a right-hand axis, so they do not cover its tick labels. */
const BELOW = { orientation: 'h', y: -0.25 };

/**
 * An axis of whole numbers (epochs, steps): plotly's automatic ticks would show 1.2, 1.4, ... on a short
 * run, so the ticks step by a whole 1, 2 or 5 times a power of ten, about eight of them.
 */
export function wholeAxis(title: string, xs: number[]): Record<string, unknown> {
  const span = xs.length ? Math.max(...xs) - Math.min(...xs) : 0;
  const rough = Math.max(1, span / 8);
  const power = 10 ** Math.floor(Math.log10(rough));
  const dtick = [1, 2, 5, 10].map((m) => m * power).find((d) => d >= rough) ?? 10 * power;
  return { title: { text: title }, tickmode: 'linear', tick0: 0, dtick, tickformat: 'd' };
}

/** A line-and-markers trace. */
export const line = (name: string, x: number[], y: number[], extra: Record<string, unknown> = {}) => ({
  type: 'scatter',
  mode: 'lines+markers',
  name,
  x,
  y,
  ...extra,
});

/** Mean reward and baseline per epoch (left axis), entropy of the sampled distributions (right axis). */
export function rewardFigure(
  epochs: { epoch: number; mean_reward: number; baseline: number; entropy: number }[],
  rewardLabel = 'reward (child accuracy)',
): Figure {
  const x = epochs.map((e) => e.epoch);
  return {
    data: [
      line(
        'mean reward',
        x,
        epochs.map((e) => e.mean_reward),
      ),
      line(
        'baseline',
        x,
        epochs.map((e) => e.baseline),
      ),
      line(
        'entropy',
        x,
        epochs.map((e) => e.entropy),
        { yaxis: 'y2', line: { dash: 'dot' } },
      ),
    ],
    layout: {
      title: { text: 'Policy: reward, baseline and entropy' },
      xaxis: wholeAxis('epoch', x),
      yaxis: { title: { text: rewardLabel } },
      yaxis2: { title: { text: 'entropy (nats)' }, overlaying: 'y', side: 'right' },
      legend: BELOW,
    },
  };
}

/** Each operation's probability, averaged over a cell type's 14 edges, after every epoch. */
export function operationFigure(
  history: { epoch: number; probabilities: PolicyProbabilities }[],
  type: CellType,
): Figure {
  const x = history.map((h) => h.epoch);
  const mean = (p: PolicyProbabilities, k: number) => {
    const all = p[type].operation.flat();
    return all.reduce((s, v) => s + v[k], 0) / all.length;
  };
  return {
    data: OP_NAMES.map((op, k) =>
      line(
        op,
        x,
        history.map((h) => mean(h.probabilities, k)),
      ),
    ),
    layout: {
      title: { text: `Operation policy, ${type} cells (mean over edges)` },
      xaxis: wholeAxis('epoch', x),
      yaxis: { title: { text: 'probability' } },
    },
  };
}

/** Structure policy after the last epoch: one heatmap row per node, probability of each input. */
export function structureFigure(p: PolicyProbabilities, type: CellType): Figure {
  const z = p[type].structure.map((row) => [...row, ...new Array(5 - row.length).fill(null)]);
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: ['c_{k-2}', 'c_{k-1}', 'node 0', 'node 1', 'node 2'],
        y: ['node 0', 'node 1', 'node 2', 'node 3'],
        colorscale: 'Blues',
        reversescale: true,
        zmin: 0,
        zmax: 1,
      },
    ],
    layout: {
      title: { text: `Structure policy, ${type} cells (input probabilities)` },
      xaxis: { title: { text: 'input' } },
      yaxis: { title: { text: 'operation node' } },
    },
  };
}

/** The structure policy (input probabilities of each node) with a slider over the epochs. */
export function structureHeatmapFigure(
  history: { epoch: number; probabilities: PolicyProbabilities }[],
  type: CellType,
): Figure {
  const pad = (row: number[]) => [...row, ...new Array(5 - row.length).fill(null)];
  return sliderHeatmap(
    `Structure policy over the epochs, ${type} cells (input probabilities)`,
    ['node 0', 'node 1', 'node 2', 'node 3'],
    ['c_{k-2}', 'c_{k-1}', 'node 0', 'node 1', 'node 2'],
    history.map((h) => ({ epoch: h.epoch, z: h.probabilities[type].structure.map(pad) })),
    { x: 'input', y: 'operation node' },
  );
}

/** Training loss and accuracy per epoch, with test accuracy when there is one. */
export function trainingFigure(
  title: string,
  epochs: { epoch: number; train_loss: number; train_acc: number; test_acc?: number }[],
): Figure {
  const x = epochs.map((e) => e.epoch);
  const data = [
    line(
      'train loss',
      x,
      epochs.map((e) => e.train_loss),
      { yaxis: 'y2', line: { dash: 'dot' } },
    ),
    line(
      'train accuracy',
      x,
      epochs.map((e) => e.train_acc),
    ),
  ];
  if (epochs.some((e) => e.test_acc !== undefined))
    data.push(
      line(
        'test accuracy',
        x,
        epochs.map((e) => e.test_acc ?? NaN),
      ),
    );
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: wholeAxis('epoch', x),
      yaxis: { title: { text: 'accuracy' } },
      yaxis2: { title: { text: 'loss' }, overlaying: 'y', side: 'right' },
      legend: BELOW,
    },
  };
}

/** A heatmap of probabilities (rows x columns) with a slider that steps through the epochs. */
export function sliderHeatmap(
  title: string,
  rows: string[],
  columns: string[],
  history: { epoch: number; z: number[][] }[],
  axes: { x: string; y: string },
): Figure {
  const trace = (z: number[][]) => ({
    type: 'heatmap',
    z,
    x: columns,
    y: rows,
    colorscale: 'Viridis',
    zmin: 0,
    colorbar: { title: { text: 'probability' } },
  });
  const last = history[history.length - 1];
  return {
    data: [trace(last.z)],
    frames: history.map((h) => ({ name: String(h.epoch), data: [trace(h.z)] })),
    layout: {
      title: { text: title },
      height: Math.max(360, 140 + 22 * rows.length),
      margin: { l: 140 },
      xaxis: { title: { text: axes.x } },
      yaxis: { title: { text: axes.y }, autorange: 'reversed' },
      sliders: [
        {
          active: history.length - 1,
          currentvalue: { prefix: 'epoch ' },
          pad: { t: 60 },
          steps: history.map((h) => ({
            label: String(h.epoch),
            method: 'animate',
            args: [
              [String(h.epoch)],
              { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } },
            ],
          })),
        },
      ],
    },
  };
}

/**
 * Operation probabilities of every edge (rows: node <- input) over the 7 operations (columns), as a heatmap
 * with a slider over epochs.
 */
export function operationHeatmapFigure(
  history: { epoch: number; probabilities: PolicyProbabilities }[],
  type: CellType,
): Figure {
  const rows: string[] = [];
  history[0].probabilities[type].operation.forEach((edges, node) => {
    edges.forEach((_, input) => {
      rows.push(`node ${node} ← ${input < 2 ? `c_{k-${2 - input}}` : `node ${input - 2}`}`);
    });
  });
  return sliderHeatmap(
    `Operation policy per edge, ${type} cells`,
    rows,
    [...OP_NAMES],
    history.map((h) => ({ epoch: h.epoch, z: h.probabilities[type].operation.flat() })),
    { x: 'operation', y: 'edge' },
  );
}

/** Test accuracy per epoch of several evaluation runs, overlaid. */
export function comparisonFigure(runs: { name: string; epochs: { epoch: number; test_acc: number }[] }[]): Figure {
  return {
    data: runs.map((r) =>
      line(
        r.name,
        r.epochs.map((e) => e.epoch),
        r.epochs.map((e) => e.test_acc),
      ),
    ),
    layout: {
      title: { text: 'Test accuracy per epoch' },
      xaxis: wholeAxis(
        'epoch',
        runs.flatMap((r) => r.epochs.map((e) => e.epoch)),
      ),
      yaxis: { title: { text: 'test accuracy' } },
    },
  };
}

/** Final test accuracy of each run as bars, labelled with its parameter count. */
export function comparisonBarsFigure(runs: { name: string; test_acc: number; params: number }[]): Figure {
  return {
    data: [
      {
        type: 'bar',
        x: runs.map((r) => r.name),
        y: runs.map((r) => r.test_acc),
        text: runs.map((r) => `${(r.params / 1e3).toFixed(1)}k params`),
        textposition: 'outside',
      },
    ],
    layout: {
      title: { text: 'Final test accuracy' },
      xaxis: { title: { text: 'cell' } },
      yaxis: { title: { text: 'test accuracy' } },
    },
  };
}

/** Every step of a search: weight-phase loss (right axis) and accuracy, policy-phase reward and baseline, on one step
 * axis.
 */
export function stepFigure(
  steps: {
    phase: string;
    loss: number | null;
    accuracy: number | null;
    reward: number | null;
    baseline: number | null;
  }[],
): Figure {
  const at = (phase: string) => steps.map((s, k) => [k + 1, s] as const).filter(([, s]) => s.phase === phase);
  const w = at('weights');
  const p = at('policy');
  const thin = { mode: 'lines', line: { width: 1 } };
  return {
    data: [
      { type: 'scatter', name: 'weight loss', x: w.map(([k]) => k), y: w.map(([, s]) => s.loss), yaxis: 'y2', ...thin },
      { type: 'scatter', name: 'weight accuracy', x: w.map(([k]) => k), y: w.map(([, s]) => s.accuracy), ...thin },
      {
        type: 'scatter',
        name: 'reward',
        x: p.map(([k]) => k),
        y: p.map(([, s]) => s.reward),
        mode: 'markers',
        marker: { size: 4 },
      },
      { type: 'scatter', name: 'baseline', x: p.map(([k]) => k), y: p.map(([, s]) => s.baseline), mode: 'lines' },
    ],
    layout: {
      title: { text: 'Search, step by step' },
      xaxis: wholeAxis('step (weight and policy phases in order)', [1, steps.length]),
      yaxis: { title: { text: 'accuracy / reward' } },
      yaxis2: { title: { text: 'loss' }, overlaying: 'y', side: 'right' },
    },
  };
}

/** Every seed's value of each group as a point, beside the group's mean with its standard deviation as an error bar. */
export function seedPointsFigure(
  title: string,
  metric: string,
  groups: { name: string; points: { seed: number; value: number }[] }[],
): Figure {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = (xs: number[]) =>
    xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
  const values = (g: (typeof groups)[number]) => g.points.map((p) => p.value);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'seeds',
        x: groups.flatMap((g) => g.points.map(() => g.name)),
        y: groups.flatMap(values),
        text: groups.flatMap((g) => g.points.map((p) => `seed ${p.seed}`)),
        marker: { size: 9, opacity: 0.7 },
        hovertemplate: '%{x}<br>%{text}: %{y}<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'mean ± sd',
        x: groups.map((g) => g.name),
        y: groups.map((g) => mean(values(g))),
        error_y: { type: 'data', array: groups.map((g) => sd(values(g))), visible: true, thickness: 2, width: 10 },
        marker: { symbol: 'line-ew-open', size: 26, line: { width: 3 } },
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'group' }, type: 'category', automargin: true },
      yaxis: { title: { text: metric } },
      legend: BELOW,
    },
  };
}
