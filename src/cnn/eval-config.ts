// Settings of evaluation training (a derived cell trained from scratch), with the paper's defaults and
// presets as data.
import type { Schema } from '../train/settings.ts';
import { NETWORK_SCHEMA, SGD_SCHEMA } from './shared-schema.ts';

export interface EvalConfig {
  seed: number;
  C: number;
  layers: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** cosine: to lrMin over the run (CIFAR); step: x gamma every epoch (DARTS' ImageNet recipe). */
  schedule: 'cosine' | 'step';
  lrMin: number;
  gamma: number;
  momentum: number;
  weightDecay: number;
  gradClip: number;
  cutout: number;
  /** Drop-path probability at the last epoch; it rises linearly from 0. */
  dropPathProb: number;
  auxiliary: boolean;
  auxWeight: number;
  labelSmoothing: number;
  imagenet: boolean;
  /** Momentum of the batch norms' running statistics (PyTorch's default, DARTS'). */
  bnMomentum: number;
  /** Use only this many training / test images (CPU-scale runs); undefined = all. */
  trainLimit?: number;
  testLimit?: number;
  testBatchSize: number;
}

/** Every setting's type and range. */
export const EVAL_SCHEMA: Schema = {
  ...NETWORK_SCHEMA,
  epochs: { kind: 'int', min: 1 },
  ...SGD_SCHEMA,
  gamma: { kind: 'number', above: 0, max: 1, doc: 'step schedule: lr x gamma each epoch' },
  momentum: { kind: 'number', min: 0, below: 1 },
  weightDecay: { kind: 'number', min: 0 },
  gradClip: { kind: 'number', above: 0 },
  cutout: { kind: 'int', min: 0, doc: 'cutout square, pixels' },
  dropPathProb: { kind: 'number', min: 0, below: 1 },
  auxiliary: { kind: 'boolean' },
  auxWeight: { kind: 'number', min: 0 },
  labelSmoothing: { kind: 'number', min: 0, below: 1 },
  bnMomentum: { kind: 'number', above: 0, max: 1, doc: 'running statistics: r <- (1 - m) r + m batch' },
  imagenet: { kind: 'boolean' },
  trainLimit: { kind: 'int', min: 1, optional: true },
  testLimit: { kind: 'int', min: 1, optional: true },
  testBatchSize: { kind: 'int', min: 1 },
};

export const PAPER_EVAL_CIFAR: EvalConfig = {
  seed: 0,
  C: 36,
  layers: 20,
  epochs: 600,
  batchSize: 128,
  lr: 0.025,
  schedule: 'cosine',
  lrMin: 0,
  gamma: 0.97,
  momentum: 0.9,
  weightDecay: 3e-4,
  gradClip: 5,
  cutout: 16,
  dropPathProb: 0.2,
  auxiliary: true,
  auxWeight: 0.4,
  labelSmoothing: 0,
  bnMomentum: 0.1,
  imagenet: false,
  testBatchSize: 256,
};

export const EVAL_PRESETS: Record<string, { summary: string; config: EvalConfig }> = {
  quick: {
    summary: 'about a minute on the bundled sample: C=8, L=5, 2 epochs',
    // Batches of 32 (and test batches of 100) keep the peak memory of `npm start` down: the wasm heap
    // never shrinks, and batches of 64 take 1.2 GB here for the same time.
    config: { ...PAPER_EVAL_CIFAR, C: 8, layers: 5, epochs: 2, batchSize: 32, testBatchSize: 100 },
  },
  'cpu-proxy': {
    summary: 'a scaled-down real training for 2 CPU cores: C=8, L=6, 10k CIFAR-10 images, 10 epochs, tested on 10k',
    config: { ...PAPER_EVAL_CIFAR, C: 8, layers: 6, epochs: 10, batchSize: 64, trainLimit: 10000 },
  },
  cifar10: {
    summary: "the paper's setting: C=36, L=20, batch 128, 600 epochs (needs a GPU)",
    config: { ...PAPER_EVAL_CIFAR },
  },
  imagenet: {
    // DARTS' ImageNet recipe: lr 0.1 decayed x0.97 a epoch, label smoothing 0.1, weight decay 3e-5.
    summary:
      'ImageNet (train/ and val/ folders): C=48, L=14, 224px, batch 200, 250 epochs, label smoothing 0.1 (needs GPUs)',
    config: {
      ...PAPER_EVAL_CIFAR,
      C: 48,
      layers: 14,
      epochs: 250,
      batchSize: 200,
      lr: 0.1,
      schedule: 'step',
      weightDecay: 3e-5,
      labelSmoothing: 0.1,
      cutout: 0,
      dropPathProb: 0,
      imagenet: true,
      testBatchSize: 100,
    },
  },
};
