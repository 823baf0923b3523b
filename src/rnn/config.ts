// Settings of the PTB search and of training a recurrent cell from scratch, with the paper's (DARTS')
// defaults (the paper's, on DARTS' settings), and presets as data: two CPU-scale real runs and the paper's setting.
import type { RnnDropout } from './model.ts';
import { LOOP_SCHEMA, type PolicyConfig } from '../policy/policy-search.ts';
import type { Schema } from '../train/settings.ts';

/** Training of the language model, in the search and from scratch alike. */
export interface RnnTraining {
  seed: number;
  /** Embedding = hidden size. */
  hidden: number;
  epochs: number;
  /** Parallel streams, BPTT window, SGD without momentum (clipped), DARTS' dropouts. */
  batchSize: number;
  bptt: number;
  lr: number;
  weightDecay: number;
  gradClip: number;
  dropout: RnnDropout;
  /** DARTS' variable BPTT: each window's length jitters around `bptt` (see windowLength), its step's lr scaled by
   * length / bptt.
   */
  variableBptt: boolean;
  maxSeqLenDelta: number;
  /** Activation regularisation (AR, alpha): ar * mean(dropped outputs ^ 2). */
  ar: number;
  /** Temporal activation regularisation (TAR, beta): tar * mean((h_t - h_{t-1}) ^ 2) of the raw outputs. */
  tar: number;
}

/** The PTB search: the language model's training and the policy phase (PolicyConfig: streams, Adam, baseline). */
export interface RnnSearchConfig extends RnnTraining, PolicyConfig {
  /** Training tokens used in all (weight + policy part); undefined = all. */
  limit?: number;
  /** The last share of the training tokens rewards the policy; the rest trains the weights. */
  policyFraction: number;
  /** reward = rewardConstant / perplexity of the child on a policy window. */
  rewardConstant: number;
  weightSteps?: number;
  policySteps?: number;
  derive: 'argmax' | `sample-best:${number}`;
}

const rate = { kind: 'number', min: 0, below: 1 } as const;

/** The language model's training settings, typed and ranged. */
const TRAINING_SCHEMA: Schema = {
  seed: { kind: 'int', min: 0 },
  hidden: { kind: 'int', min: 1, doc: 'embedding = hidden size' },
  epochs: { kind: 'int', min: 1 },
  batchSize: { kind: 'int', min: 1, doc: 'parallel token streams' },
  bptt: { kind: 'int', min: 2, doc: 'BPTT window' },
  lr: { kind: 'number', above: 0 },
  weightDecay: { kind: 'number', min: 0 },
  gradClip: { kind: 'number', above: 0 },
  dropout: { kind: 'group', fields: { output: rate, hidden: rate, x: rate, input: rate, embedding: rate } },
  variableBptt: { kind: 'boolean', doc: "DARTS' jittered window lengths" },
  maxSeqLenDelta: { kind: 'int', min: 0, doc: 'longest window: bptt + this' },
  ar: { kind: 'number', min: 0, doc: 'AR weight (alpha)' },
  tar: { kind: 'number', min: 0, doc: 'TAR weight (beta)' },
};

export const RNN_SEARCH_SCHEMA: Schema = {
  ...TRAINING_SCHEMA,
  limit: { kind: 'int', min: 2, optional: true, doc: 'training tokens used' },
  policyFraction: { kind: 'number', above: 0, below: 1, doc: 'share of the tokens that reward the policy' },
  rewardConstant: { kind: 'number', above: 0, doc: 'reward = c / perplexity' },
  ...LOOP_SCHEMA,
};

export const RNN_EVAL_SCHEMA: Schema = {
  ...TRAINING_SCHEMA,
  averageFrom: { kind: 'int', min: 1, optional: true, doc: 'epoch averaging starts (else NT-ASGD)' },
  nonmono: { kind: 'int', min: 1 },
  trainLimit: { kind: 'int', min: 2, optional: true },
  validLimit: { kind: 'int', min: 2, optional: true },
  testLimit: { kind: 'int', min: 2, optional: true },
  evalBatchSize: { kind: 'int', min: 1 },
};

/** DARTS' defaults (rnn/train_search.py, rnn/train.py): variable BPTT up to bptt + 20, alpha 0, beta 1e-3. */
const DARTS_REGULARISERS = { variableBptt: true, maxSeqLenDelta: 20, ar: 0, tar: 1e-3 };

export const PAPER_RNN_SEARCH: RnnSearchConfig = {
  seed: 0,
  hidden: 300,
  epochs: 150,
  policyFraction: 0.2,
  batchSize: 256,
  bptt: 35,
  lr: 20,
  weightDecay: 5e-7,
  gradClip: 0.25,
  dropout: { output: 0.75, hidden: 0.25, x: 0.75, input: 0.2, embedding: 0 },
  ...DARTS_REGULARISERS,
  policyBatchSize: 256,
  policyLr: 3e-3,
  policyBeta1: 0.5,
  policyBeta2: 0.999,
  baselineDecay: 0.95,
  entropyWeight: 0,
  rewardConstant: 80,
  policyWarmupEpochs: 0,
  derive: 'argmax',
};

export interface RnnEvalConfig extends RnnTraining {
  /**
   * Averaged SGD: averaging starts at this epoch, or (undefined) when the validation loss is worse than the
   * best of the epochs before the last `nonmono` (NT-ASGD, as DARTS and AWD-LSTM train).
   */
  averageFrom?: number;
  nonmono: number;
  /** Tokens of train / valid / test used (CPU-scale runs); undefined = all. */
  trainLimit?: number;
  validLimit?: number;
  testLimit?: number;
  evalBatchSize: number;
}

export const PAPER_RNN_EVAL: RnnEvalConfig = {
  seed: 0,
  hidden: 850,
  epochs: 1600,
  batchSize: 64,
  bptt: 35,
  lr: 20,
  weightDecay: 8e-7,
  gradClip: 0.25,
  dropout: { output: 0.75, hidden: 0.25, x: 0.75, input: 0.2, embedding: 0.1 },
  ...DARTS_REGULARISERS,
  nonmono: 5,
  evalBatchSize: 10,
};

/** CPU runs are short: lighter dropout lets a small model learn something in a few epochs. */
const CPU_DROPOUT: RnnDropout = { output: 0.3, hidden: 0.1, x: 0.1, input: 0.1, embedding: 0 };

export const RNN_SEARCH_PRESETS: Record<string, { summary: string; config: RnnSearchConfig }> = {
  'ptb-quick': {
    summary: 'about a minute on the bundled PTB slice: hidden 32, 2 epochs',
    config: {
      ...PAPER_RNN_SEARCH,
      hidden: 32,
      epochs: 2,
      batchSize: 16,
      bptt: 20,
      policyBatchSize: 16,
      dropout: CPU_DROPOUT,
      policyLr: 0.05,
    },
  },
  'ptb-cpu-proxy': {
    summary: 'a scaled-down real search for 2 CPU cores: hidden 64, 240k/60k PTB tokens, 8 epochs (1 warm-up)',
    // ~380 policy steps instead of the paper's thousands: a larger Adam step; one warm-up epoch trains the
    // shared weights under uniform sampling before rewards steer the policy.
    config: {
      ...PAPER_RNN_SEARCH,
      hidden: 64,
      epochs: 8,
      limit: 300_000,
      batchSize: 32,
      bptt: 35,
      policyBatchSize: 32,
      dropout: CPU_DROPOUT,
      policyLr: 0.02,
      policyWarmupEpochs: 1,
    },
  },
  ptb: {
    summary: "the paper's setting: hidden 300, batch 256, 150 epochs on all of PTB (needs a GPU)",
    config: { ...PAPER_RNN_SEARCH },
  },
};

export const RNN_EVAL_PRESETS: Record<string, { summary: string; config: RnnEvalConfig }> = {
  'ptb-quick': {
    summary: 'about a minute on the bundled PTB slice: hidden 32, 2 epochs',
    config: { ...PAPER_RNN_EVAL, hidden: 32, epochs: 2, batchSize: 16, bptt: 20, dropout: CPU_DROPOUT, averageFrom: 2 },
  },
  'ptb-cpu-proxy': {
    summary: 'a scaled-down real training for 2 CPU cores: hidden 64, 300k PTB tokens, 4 epochs (averaging from 3)',
    config: {
      ...PAPER_RNN_EVAL,
      hidden: 64,
      epochs: 4,
      batchSize: 32,
      trainLimit: 300_000,
      validLimit: 40_000,
      testLimit: 40_000,
      dropout: CPU_DROPOUT,
      averageFrom: 3,
    },
  },
  ptb: {
    summary: "the paper's setting: hidden 850, ASGD, batch 64, 1600 epochs (needs a GPU)",
    config: { ...PAPER_RNN_EVAL },
  },
};
