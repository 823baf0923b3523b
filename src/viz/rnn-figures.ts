// Figures of the recurrent cell search and training: the activation and input policies over the epochs,
// perplexity curves. Built from the run's tables like the CNN figures.
import { ACTIVATIONS } from '../space/rnn-genotype.ts';
import type { RnnProbabilities } from '../policy/policy.ts';
import { line, sliderHeatmap, wholeAxis, type Figure } from './figures.ts';

type History = { epoch: number; probabilities: RnnProbabilities }[];

/** Each activation's probability, averaged over the 36 edges, after every epoch. */
export function activationFigure(history: History): Figure {
  const x = history.map((h) => h.epoch);
  const mean = (p: RnnProbabilities, k: number) => {
    const all = p.operation.flat();
    return all.reduce((s, v) => s + v[k], 0) / all.length;
  };
  return {
    data: ACTIVATIONS.map((a, k) =>
      line(
        a,
        x,
        history.map((h) => mean(h.probabilities, k)),
      ),
    ),
    layout: {
      title: { text: 'Activation policy, recurrent cell (mean over edges)' },
      xaxis: wholeAxis('epoch', x),
      yaxis: { title: { text: 'probability' } },
    },
  };
}

/** Activation probabilities of every edge (node i <- node j) with a slider over the epochs. */
export function activationHeatmapFigure(history: History): Figure {
  const rows = history[0].probabilities.operation.flatMap((edges, i) => edges.map((_, j) => `node ${i + 1} ← ${j}`));
  return sliderHeatmap(
    'Activation policy per edge, recurrent cell',
    rows,
    [...ACTIVATIONS],
    history.map((h) => ({ epoch: h.epoch, z: h.probabilities.operation.flat() })),
    { x: 'activation', y: 'edge' },
  );
}

/** Input probabilities of each node (structure policy) with a slider over the epochs. */
export function inputHeatmapFigure(history: History): Figure {
  const pad = (row: number[]) => [...row, ...new Array(8 - row.length).fill(null)];
  return sliderHeatmap(
    'Structure policy, recurrent cell (input probabilities)',
    history[0].probabilities.structure.map((_, i) => `node ${i + 1}`),
    Array.from({ length: 8 }, (_, j) => `node ${j}`),
    history.map((h) => ({ epoch: h.epoch, z: h.probabilities.structure.map(pad) })),
    { x: 'input', y: 'node' },
  );
}

/** Perplexity per epoch: training, and validation when there is one (log axis). */
export function perplexityFigure(
  title: string,
  epochs: { epoch: number; train_ppl: number; valid_ppl?: number }[],
): Figure {
  const x = epochs.map((e) => e.epoch);
  const data = [
    line(
      'train perplexity',
      x,
      epochs.map((e) => e.train_ppl),
    ),
  ];
  if (epochs.some((e) => e.valid_ppl !== undefined))
    data.push(
      line(
        'validation perplexity',
        x,
        epochs.map((e) => e.valid_ppl ?? NaN),
      ),
    );
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: wholeAxis('epoch', x),
      yaxis: { title: { text: 'perplexity (per word)' }, type: 'log' },
    },
  };
}
