// Search presets as data: the paper's setting and two scaled-down real runs for CPUs.
import { PAPER_SEARCH, type SearchConfig } from './search-config.ts';

export interface Preset {
  summary: string;
  config: SearchConfig;
}

export const SEARCH_PRESETS: Record<string, Preset> = {
  quick: {
    summary: 'about a minute on the bundled sample: C=4, L=5, 1,280/320 images, 10 epochs (2 of policy warm-up)',
    config: {
      ...PAPER_SEARCH,
      C: 4,
      layers: 5,
      epochs: 10,
      limit: 1600,
      batchSize: 32,
      policyBatchSize: 64,
      // 40 policy steps in all: a large step so the policy visibly moves. The supernet first trains two
      // epochs under uniform sampling: before that, rewards of children on untrained weights are noise.
      policyLr: 0.05,
      policyWarmupEpochs: 2,
    },
  },
  'cpu-proxy': {
    summary: 'a scaled-down real search for 2 CPU cores: C=8, L=5, 8k/2k CIFAR-10 images, 10 epochs',
    config: {
      ...PAPER_SEARCH,
      C: 8,
      layers: 5,
      epochs: 10,
      limit: 10000,
      batchSize: 32,
      policyBatchSize: 64,
      // The paper takes ~23k policy steps at 3.5e-4 (Adam moves a logit up to ~lr a step, ~8 in all); this
      // run takes ~310, so each step may move further for the same reach.
      policyLr: 0.02,
    },
  },
  cifar10: {
    summary: "the paper's setting: C=16, L=8, 40k/10k CIFAR-10 images, batch 128, 300 epochs (needs a GPU)",
    config: { ...PAPER_SEARCH },
  },
  imagenet: {
    summary:
      "the paper's ImageNet search (--data DIR with train/): 1M/0.2M images at 224 px, batch 200/50, SGD lr 0.05 " +
      'x0.1 every 10 epochs, 50 epochs (needs GPUs)',
    config: {
      ...PAPER_SEARCH,
      imagenet: true,
      epochs: 50,
      weightImages: 1_000_000,
      policyImages: 200_000,
      batchSize: 200,
      policyBatchSize: 50,
      nesterov: false,
      schedule: 'step',
      lrStepEpochs: 10,
      lrGamma: 0.1,
    },
  },
  'imagenet-cpu': {
    summary:
      'the ImageNet search scaled down for CPUs (--data DIR with train/): C=4, L=5, 64 px, 80% / 20% of the images, ' +
      '4 epochs, lr x0.1 every 2',
    config: {
      ...PAPER_SEARCH,
      imagenet: true,
      imageSize: 64,
      C: 4,
      layers: 5,
      epochs: 4,
      batchSize: 16,
      policyBatchSize: 16,
      nesterov: false,
      schedule: 'step',
      lrStepEpochs: 2,
      lrGamma: 0.1,
      policyLr: 0.05,
    },
  },
};
