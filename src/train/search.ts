// An EDNAS search as an object whose steps are public: sample a child, one weight step, one policy step,
// one epoch, derive. A notebook walks through it a minibatch at a time; the CLI loop calls `epoch`, which
// is built from the same steps.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import { Policy, type PolicyProbabilities } from '../policy/policy.ts';
import { sampleChild, type Child } from '../policy/sample.ts';
import { PolicySearch, type PolicySearchState, type SearchEpochFields } from '../policy/policy-search.ts';
import { deriveArgmax, deriveSampleBest } from '../policy/derive.ts';
import { Supernet } from '../supernet/supernet.ts';
import type { Genotype } from '../space/genotype.ts';
import { OP_NAMES } from '../space/ops.ts';
import { batches, batchCount, makeBatch, type Batch } from '../data/batches.ts';
import { NO_AUGMENTATION, SEARCH_AUGMENTATION } from '../data/augment.ts';
import type { ImageSet } from '../data/image-set.ts';
import { ednasSplit, type EdnasSplit } from '../data/split.ts';
import { Sgd, sgdStep } from './sgd.ts';
import { cosineLr } from './schedule.ts';
import type { SearchConfig } from './search-config.ts';
import { accuracy, crossEntropy } from './metrics.ts';
import { interruptSignal } from '../display/hook.ts';

export interface WeightStep {
  child: Child;
  loss: number;
  accuracy: number;
  gradNorm: number;
}

export interface PolicyStep {
  child: Child;
  /** The child's accuracy on the policy minibatch. */
  reward: number;
  baseline: number;
  advantage: number;
  /** Logits after the Adam step minus before. */
  logitChange: Float64Array;
}

export interface EpochRecord extends SearchEpochFields {
  train_acc: number;
  images_per_s: number;
}

export type { StepRecord } from '../policy/policy-search.ts';

/** What long work reports: one event stream for the CLI bar, the kernel display and the page. */
export interface SearchEvent<P = PolicyProbabilities> {
  stage: 'weights' | 'policy' | 'epoch';
  epoch: number;
  step: number;
  total: number;
  metrics: Record<string, number | string>;
  /** On 'epoch' events: every probability vector of the policy after the epoch. */
  policy?: P;
}

export type SearchState = PolicySearchState<EpochRecord, PolicyProbabilities>;

export class Search extends PolicySearch<Policy, PolicyProbabilities, EpochRecord> {
  readonly supernet: Supernet;
  readonly sgd: Sgd;
  readonly split: EdnasSplit;

  constructor(readonly config: SearchConfig, readonly train: ImageSet) {
    const root = new Rng(config.seed);
    const supernetRng = root.fork();
    const architectureRng = root.fork();
    super(new Policy(), config, architectureRng, root.fork());
    this.split = ednasSplit(train.labels, { seed: config.seed, limit: config.limit, policyFraction: config.policyFraction });
    this.supernet = new Supernet({ C: config.C, layers: config.layers, classes: train.classes.length, stemMultiplier: config.stemMultiplier }, supernetRng);
    this.sgd = new Sgd({ momentum: config.momentum, nesterov: config.nesterov, weightDecay: config.weightDecay, gradClip: config.gradClip }, this.supernet.weights);
  }

  /** The learning rate of the weight phase in the current epoch. */
  get lr(): number {
    return cosineLr(this.config.lr, this.config.lrMin, this.epoch, this.config.epochs);
  }

  sampleChild(): Child {
    return sampleChild(this.policy, this.architectureRng);
  }

  /** Forward/backward one child on a weight-split batch and update only its weights. */
  weightStep(batch: Batch, child = this.sampleChild(), lr = this.lr): WeightStep {
    let acc = 0;
    const loss = sgdStep(this.sgd, this.supernet.weights, this.supernet.childWeightNames(child.genotype), () => {
      const logits = this.supernet.forward(batch.x, child.genotype);
      acc = accuracy(logits, batch.y);
      return crossEntropy(logits, batch.y);
    }, lr);
    return { child, loss, accuracy: acc, gradNorm: this.sgd.lastGradNorm };
  }

  /**
   * Reward one child on a policy-split batch (no gradients) and take one REINFORCE step; with
   * `learn: false` (warm-up) only the reward and the baseline are computed.
   */
  policyStep(batch: Batch, child = this.sampleChild(), learn = true): PolicyStep {
    const reward = tf.tidy(() => accuracy(this.supernet.forward(batch.x, child.genotype), batch.y));
    return { child, reward, ...this.reinforce(child, reward, learn) };
  }

  /** One epoch: the weight phase over the weight split, then the policy phase over the policy split. */
  async runEpoch(options: { signal?: AbortSignal; onEvent?: (e: SearchEvent) => void } = {}): Promise<EpochRecord> {
    const c = this.config;
    const epoch = this.epoch + 1;
    const lr = this.lr;
    const t0 = performance.now();
    const emit = (e: Omit<SearchEvent, 'epoch'>) => options.onEvent?.({ ...e, epoch });
    const signal = options.signal ?? interruptSignal();
    const yieldToEventLoop = () => new Promise((r) => setImmediate(r));
    const weightOpts = { batchSize: c.batchSize, augmentation: c.augment ? SEARCH_AUGMENTATION : NO_AUGMENTATION, rng: this.dataRng, dropLast: true };
    const weightTotal = Math.min(c.weightSteps ?? Infinity, batchCount(this.split.weight.length, weightOpts));
    let lossSum = 0, accSum = 0, step = 0;
    for (const batch of batches(this.train, this.split.weight, weightOpts)) {
      if (step >= weightTotal || signal?.aborted) { tf.dispose([batch.x, batch.y]); signal?.throwIfAborted(); break; }
      const r = this.weightStep(batch, undefined, lr);
      tf.dispose([batch.x, batch.y]);
      step++;
      lossSum += r.loss;
      accSum += r.accuracy;
      this.steps.push({ epoch, child: childCode(r.child.genotype), phase: 'weights', step, loss: r.loss, accuracy: r.accuracy, reward: null, baseline: null, advantage: null, entropy: r.child.entropy });
      emit({ stage: 'weights', step, total: weightTotal, metrics: { loss: r.loss, accuracy: r.accuracy, lr } });
      await yieldToEventLoop();
    }
    const weightSteps = step;
    const policyOpts = { batchSize: c.policyBatchSize, rng: this.dataRng, dropLast: true };
    const policyTotal = Math.min(c.policySteps ?? Infinity, batchCount(this.split.policy.length, policyOpts));
    let rewardSum = 0, entropySum = 0, logProbSum = 0;
    step = 0;
    for (const batch of batches(this.train, this.split.policy, policyOpts)) {
      if (step >= policyTotal || signal?.aborted) { tf.dispose([batch.x, batch.y]); signal?.throwIfAborted(); break; }
      const r = this.policyStep(batch, undefined, this.policyLearns);
      tf.dispose([batch.x, batch.y]);
      step++;
      rewardSum += r.reward;
      entropySum += r.child.entropy;
      logProbSum += r.child.logProb;
      this.steps.push({ epoch, child: childCode(r.child.genotype), phase: 'policy', step, loss: null, accuracy: null, reward: r.reward, baseline: r.baseline, advantage: r.advantage, entropy: r.child.entropy });
      emit({ stage: 'policy', step, total: policyTotal, metrics: { reward: r.reward, baseline: r.baseline, entropy: r.child.entropy } });
      await yieldToEventLoop();
    }
    const wall = (performance.now() - t0) / 1000;
    this.epoch = epoch;
    const record: EpochRecord = {
      epoch, lr,
      train_loss: lossSum / Math.max(1, weightSteps),
      train_acc: accSum / Math.max(1, weightSteps),
      mean_reward: rewardSum / Math.max(1, step),
      baseline: this.baseline.value ?? 0,
      entropy: entropySum / Math.max(1, step),
      log_prob: logProbSum / Math.max(1, step),
      genotype: JSON.stringify(deriveArgmax(this.policy)),
      weight_steps: weightSteps,
      policy_steps: step,
      wall_s: wall,
      images_per_s: (weightSteps * c.batchSize + step * c.policyBatchSize) / wall,
      tensors: tf.memory().numTensors,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    };
    const probabilities = this.recordEpoch(record);
    emit({ stage: 'epoch', step: epoch, total: c.epochs, metrics: { ...record }, policy: probabilities });
    return record;
  }

  /** The final architecture: argmax of the policy, or the best of K samples scored on the whole policy split. */
  async derive(method = this.config.derive, rng = this.architectureRng): Promise<Genotype> {
    if (method === 'argmax') return deriveArgmax(this.policy);
    const k = Number(method.split(':')[1]);
    const best = await deriveSampleBest(this.policy, k, rng, (g) => this.evaluate(g, this.split.policy));
    return best.genotype;
  }

  /** Accuracy of a child on some training images (batch statistics, no gradients). */
  evaluate(genotype: Genotype, indices: Int32Array): number {
    let correct = 0;
    for (let start = 0; start < indices.length; start += this.config.policyBatchSize) {
      const batch = makeBatch(this.train, indices.subarray(start, start + this.config.policyBatchSize));
      correct += tf.tidy(() => accuracy(this.supernet.forward(batch.x, genotype), batch.y)) * batch.y.shape[0];
      tf.dispose([batch.x, batch.y]);
    }
    return correct / indices.length;
  }

  dispose(): void {
    this.supernet.dispose();
    this.sgd.dispose();
  }
}

/** "0102..|..": operation index then input for each of the 8 edges of the normal cell, then the reduction cell. */
export const childCode = (g: Genotype): string =>
  [g.normal, g.reduce].map((pairs) => pairs.map(([op, j]) => `${OP_NAMES.indexOf(op)}${j}`).join('')).join('|');
