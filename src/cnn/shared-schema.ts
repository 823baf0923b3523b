// The settings a CNN search and a CNN evaluation both have, typed and ranged once so the two agree.
import type { Schema } from '../train/settings.ts';

/** The network: seed, channels of the first cells, cells. */
export const NETWORK_SCHEMA: Schema = {
  seed: { kind: 'int', min: 0 },
  C: { kind: 'int', min: 2, even: true, doc: 'channels of the first cells' },
  layers: { kind: 'int', min: 1, doc: 'cells' },
};

/** SGD's minibatch and learning-rate schedule. */
export const SGD_SCHEMA: Schema = {
  batchSize: { kind: 'int', min: 1 },
  lr: { kind: 'number', above: 0 },
  schedule: { kind: 'enum', values: ['cosine', 'step'] },
  lrMin: { kind: 'number', min: 0 },
};
