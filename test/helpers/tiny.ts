// A tiny search setting for tests: 8x8 images, 2 channels, 3 cells; runs in well under a second an epoch.
import type { ImageSet } from '../../src/data/image-set.ts';
import { Rng } from '../../src/random/rng.ts';
import { PAPER_SEARCH, type SearchConfig } from '../../src/cnn/search-config.ts';
import { PAPER_RNN_EVAL, type RnnEvalConfig } from '../../src/rnn/config.ts';
import { NO_DROPOUT } from '../../src/rnn/model.ts';

export function tinyImages(count: number, seed: number, side = 8): ImageSet {
  const rng = new Rng(seed);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 4);
  // Class k is brighter in channel k % 3: learnable, so accuracies and rewards carry signal.
  const images = new Uint8Array(count * side * side * 3);
  for (let i = 0; i < count; i++)
    for (let p = 0; p < side * side * 3; p++)
      images[i * side * side * 3 + p] = rng.int(128) + (p % 3 === labels[i] % 3 ? 100 : 0);
  return { name: 'tiny', images, labels, count, height: side, width: side, channels: 3, classes: ['a', 'b', 'c', 'd'] };
}

export const TINY_SEARCH: SearchConfig = {
  ...PAPER_SEARCH,
  C: 2,
  layers: 3,
  epochs: 2,
  batchSize: 8,
  policyBatchSize: 8,
  policyLr: 0.05,
  weightSteps: 3,
  policySteps: 3,
};

/** A recurrent cell's training on the PTB fixture: 8 hidden units, no dropout, 600 tokens an epoch. */
export const TINY_RNN_EVAL: RnnEvalConfig = {
  ...PAPER_RNN_EVAL,
  hidden: 8,
  batchSize: 4,
  bptt: 6,
  evalBatchSize: 4,
  dropout: NO_DROPOUT,
  lr: 5,
  trainLimit: 600,
};
