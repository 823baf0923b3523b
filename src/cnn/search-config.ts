// Every setting of an EDNAS search of the convolutional cells, with the paper's defaults (arXiv
// 1910.10397, on DARTS' settings). Presets override them.
import type { DeriveMethod } from '../policy/derive.ts';
import { LOOP_SCHEMA, type SearchLoopConfig } from '../policy/policy-search.ts';
import { SettingError, type Schema } from '../train/settings.ts';
import { DEFAULT_POLICY_FRACTION, splitSizes } from '../data/split.ts';
import { NETWORK_SCHEMA, SGD_SCHEMA } from './shared-schema.ts';

/** Policy phase settings (minibatch, Adam, baseline decay, entropy weight h, warm-up): see PolicyConfig. */
export interface SearchConfig extends SearchLoopConfig {
  seed: number;
  /** Supernet: channels of the first cells, cells, stem channels = stemMultiplier x C. */
  C: number;
  layers: number;
  stemMultiplier: number;
  epochs: number;
  /** ImageNet-style folders (train/<class>/*.jpg) at imageSize pixels, with the ImageNet stem; else CIFAR-10. */
  imagenet: boolean;
  imageSize: number;
  /** Training images used in all (weight + policy split); undefined = all. */
  limit?: number;
  policyFraction: number;
  /** Exact split sizes instead of limit and fraction (the paper's ImageNet search: 1M / 0.2M). */
  weightImages?: number;
  policyImages?: number;
  /** Weight phase: minibatch, SGD (Nesterov), lr from lr to lrMin (cosine) or x lrGamma every lrStepEpochs (step),
   * weight decay, gradient clip.
   */
  batchSize: number;
  lr: number;
  schedule: 'cosine' | 'step';
  lrMin: number;
  lrStepEpochs: number;
  lrGamma: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  gradClip: number;
  /** Crop + flip on the weight split (DARTS' search augmentation). */
  augment: boolean;
  /** Cap on steps per phase and epoch (undefined = one pass over the split). */
  weightSteps?: number;
  policySteps?: number;
  derive: DeriveMethod;
}

/** Every setting's type and range. */
export const SEARCH_SCHEMA: Schema = {
  ...NETWORK_SCHEMA,
  stemMultiplier: { kind: 'int', min: 1 },
  imagenet: { kind: 'boolean', doc: 'image folders with the ImageNet stem' },
  imageSize: { kind: 'int', min: 16, doc: 'ImageNet: input pixels' },
  limit: { kind: 'int', min: 2, optional: true, doc: 'training images used' },
  policyFraction: { kind: 'number', above: 0, below: 1, doc: 'share of the images that reward the policy' },
  weightImages: { kind: 'int', min: 1, optional: true, doc: 'exact weight split' },
  policyImages: { kind: 'int', min: 1, optional: true, doc: 'exact policy split' },
  ...SGD_SCHEMA,
  lrStepEpochs: { kind: 'int', min: 1, doc: 'step schedule: epochs between decays' },
  lrGamma: { kind: 'number', above: 0, max: 1, doc: 'step schedule: lr factor' },
  momentum: { kind: 'number', min: 0, below: 1 },
  nesterov: { kind: 'boolean' },
  weightDecay: { kind: 'number', min: 0 },
  gradClip: { kind: 'number', above: 0 },
  augment: { kind: 'boolean' },
  ...LOOP_SCHEMA,
};

export const PAPER_SEARCH: SearchConfig = {
  seed: 0,
  C: 16,
  layers: 8,
  stemMultiplier: 3,
  epochs: 300,
  imagenet: false,
  imageSize: 224,
  policyFraction: 0.2,
  batchSize: 128,
  lr: 0.05,
  schedule: 'cosine',
  lrMin: 0.001,
  lrStepEpochs: 10,
  lrGamma: 0.1,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 3e-4,
  gradClip: 5,
  augment: true,
  policyBatchSize: 128,
  policyLr: 3.5e-4,
  policyBeta1: 0.5,
  policyBeta2: 0.999,
  baselineDecay: 0.95,
  entropyWeight: 0,
  policyWarmupEpochs: 0,
  derive: 'argmax',
};

/**
 * Refuses settings under which an epoch takes no weight step or no policy step: a split smaller than one
 * batch (the last partial batch is dropped), so the supernet or the policy would never learn and the
 * reward would stay 0. `available`: the training images the data holds.
 */
export function checkSearchSplit(config: SearchConfig, available: number): void {
  const { weight, policy } = splitSizes(available, {
    seed: config.seed,
    limit: config.limit,
    policyFraction: config.policyFraction,
    weight: config.weightImages,
    policy: config.policyImages,
  });
  const exact = config.weightImages !== undefined || config.policyImages !== undefined;
  const used = Math.min(config.limit ?? available, available);
  const all = config.limit === undefined ? ' (all the data)' : '';
  const fraction = config.policyFraction ?? DEFAULT_POLICY_FRACTION;
  const from = exact ? 'weightImages and policyImages' : `limit ${used}${all} x policyFraction ${fraction}`;
  if (policy < config.policyBatchSize) {
    const raise = exact ? 'policyImages' : 'limit or policyFraction';
    throw new SettingError(
      `the policy split holds ${policy} images (${from}), fewer than one policy batch ` +
        `(policyBatchSize ${config.policyBatchSize}): the search would take no policy step and its reward would ` +
        `stay 0. Raise ${raise}, or lower policyBatchSize.`,
    );
  }
  if (weight < config.batchSize) {
    const raise = exact ? 'weightImages' : 'limit, or lower policyFraction';
    throw new SettingError(
      `the weight split holds ${weight} images (${from}), fewer than one batch ` +
        `(batchSize ${config.batchSize}): the search would take no weight step. Raise ${raise}, or lower batchSize.`,
    );
  }
}
