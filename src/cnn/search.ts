// An EDNAS search of the convolutional cells as an object whose steps are public: sample a child, one
// weight step, one policy step, one epoch (`runEpoch`, built from the same steps), derive. A notebook
// walks through it a minibatch at a time. The epoch loop, records and REINFORCE are PolicySearch's.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import { Policy, type PolicyProbabilities } from '../policy/policy.ts';
import type { Child } from '../policy/sample.ts';
import { PolicySearch, type PolicySearchState, type SearchEpochFields } from '../policy/policy-search.ts';
import type { EpochSums, Phase, PolicyOutcome, WeightOutcome } from '../policy/policy-search.ts';
import { Supernet } from '../supernet/supernet.ts';
import type { Genotype } from '../space/genotype.ts';
import type { Batch } from '../data/batches.ts';
import type { ImageSet } from '../data/image-set.ts';
import { imageSetImages, isSearchImages, type SearchImages } from './search-images.ts';
import { LazyPool } from '../train/parallel/lazy-pool.ts';
import { StepRunner } from '../train/step.ts';
import { batchShards } from '../train/parallel/batch.ts';
import { ednasSplit } from '../data/split.ts';
import { Sgd } from '../train/sgd.ts';
import { cosineLr } from '../train/schedule.ts';
import { accuracyTensor, crossEntropy } from '../train/metrics.ts';
import { readScalars } from '../backend/device.ts';
import type { TrainingEvent } from '../train/trainer.ts';
import type { SearchConfig } from './search-config.ts';

export { childCode } from '../policy/sample.ts';
export type { StepRecord } from '../policy/policy-search.ts';

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

/** What a search reports: the one training event stream, with the policy on 'epoch' events. */
export type SearchEvent<P = PolicyProbabilities> = TrainingEvent<P>;

export type SearchState = PolicySearchState<EpochRecord, PolicyProbabilities>;

/**
 * A phase that makes one batch per step from a pass over `indices` (shuffled by `rng`, the last partial
 * batch dropped), disposing it after the step.
 */
function batchPhase<R>(
  images: SearchImages,
  indices: Int32Array,
  batchSize: number,
  augment: boolean,
  rng: Rng,
  step: (b: Batch) => R | Promise<R>,
): Phase<R> {
  const order = Int32Array.from(indices);
  rng.shuffle(order);
  const total = Math.floor(order.length / batchSize);
  let b = 0;
  return {
    total,
    next: () => {
      if (b >= total) return undefined;
      const idx = order.subarray(b * batchSize, ++b * batchSize);
      return Promise.resolve(images.batch(idx, augment, rng)).then(async (batch) => {
        try {
          return await step(batch);
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
      });
    },
  };
}

export class Search extends PolicySearch<Genotype, PolicyProbabilities, EpochRecord> {
  declare readonly config: SearchConfig;
  static readonly checkpointFormat = 'ednas-search-checkpoint';
  readonly checkpointFormat = Search.checkpointFormat;
  readonly images: SearchImages;
  readonly supernet: Supernet;
  readonly sgd: Sgd;

  /** Worker threads the epochs spread their batches over (1: all in this thread). */
  get workers(): number {
    return this.pool.size;
  }
  private readonly pool: LazyPool;
  /** How the steps run (in this thread or over the pool), chosen here once. */
  private readonly runner: StepRunner;

  /**
   * `train`: CIFAR-style images in memory, or any SearchImages (ImageNet-style folders). `workers`:
   * threads for the epochs' steps (as the command decided; default: the cores, shards of at least 8 images).
   */
  constructor(
    config: SearchConfig,
    readonly train: ImageSet | SearchImages,
    o: { workers?: number } = {},
  ) {
    const root = new Rng(config.seed);
    const supernetRng = root.fork();
    const architectureRng = root.fork();
    const images = isSearchImages(train) ? train : imageSetImages(train);
    const split = ednasSplit(images.labels, {
      seed: config.seed,
      limit: config.limit,
      policyFraction: config.policyFraction,
      weight: config.weightImages,
      policy: config.policyImages,
    });
    super(new Policy(), config, split, architectureRng, root.fork());
    this.images = images;
    const { C, layers, stemMultiplier, imagenet } = config;
    this.supernet = new Supernet({ C, layers, classes: images.classes.length, stemMultiplier, imagenet }, supernetRng);
    this.sgd = new Sgd(
      {
        momentum: config.momentum,
        nesterov: config.nesterov,
        weightDecay: config.weightDecay,
        gradClip: config.gradClip,
      },
      this.supernet.weights,
    );
    this.pool = new LazyPool(o.workers, Math.min(config.batchSize, config.policyBatchSize), () => ({
      module: new URL('./replica.ts', import.meta.url).href,
      args: { kind: 'supernet', config: this.supernet.config },
      master: this.supernet.weights,
    }));
    this.runner = new StepRunner(this.sgd, this.supernet.weights, this.pool);
  }

  get lr(): number {
    const c = this.config;
    return c.schedule === 'step'
      ? c.lr * c.lrGamma ** Math.floor(this.epoch / c.lrStepEpochs)
      : cosineLr(c.lr, c.lrMin, this.epoch, c.epochs);
  }

  /** The child's cross-entropy on the batch, its accuracy kept in `kept` for the caller to read. */
  private childLoss(batch: Batch, child: Child, kept: tf.Tensor[]): tf.Scalar {
    const logits = this.supernet.forward(batch.x, child.genotype);
    kept.push(tf.keep(accuracyTensor(logits, batch.y)));
    return crossEntropy(logits, batch.y);
  }

  /**
   * Forward/backward one child on a weight-split batch and update only its weights (the batch's rows
   * spread over the worker threads when there are some).
   */
  weightStep(batch: Batch, child = this.sampleChild(), lr = this.lr): Promise<WeightStep> {
    const names = this.supernet.childWeightNames(child.genotype);
    const outcome = (loss: number, accuracy: number) => ({ child, loss, accuracy, gradNorm: this.sgd.lastGradNorm });
    return this.runner.train({
      local: () => ({
        names,
        lr,
        loss: (kept) => this.childLoss(batch, child, kept),
        result: (loss, [accuracy]) => outcome(loss, accuracy),
      }),
      pool: (pool) => ({
        step: 'weights',
        shards: batchShards(batch, pool.size),
        names,
        lr,
        args: { genotype: child.genotype },
        result: (sums) => outcome(sums.loss / sums.rows, sums.correct / sums.rows),
      }),
    });
  }

  /**
   * Reward one child on a policy-split batch (no gradients; on the worker threads' shards when there are
   * some) and take one REINFORCE step; with `learn: false` (warm-up) only the reward and the baseline are
   * computed.
   */
  async policyStep(batch: Batch, child = this.sampleChild(), learn = true): Promise<PolicyStep> {
    const reward = await this.runner.measure({
      local: () => ({
        scalars: () => [tf.tidy(() => accuracyTensor(this.supernet.forward(batch.x, child.genotype), batch.y))],
        result: ([accuracy]) => accuracy,
      }),
      pool: (pool) => ({
        step: 'reward',
        shards: batchShards(batch, pool.size),
        args: { genotype: child.genotype },
        result: (sums) => sums.correct / sums.rows,
      }),
    });
    return { child, reward, ...this.reinforce(child, reward, learn) };
  }

  protected weightPhase(lr: number): Phase<WeightOutcome<Genotype>> {
    return batchPhase(
      this.images,
      this.split.weight,
      this.config.batchSize,
      this.config.augment,
      this.dataRng,
      async (batch) => {
        const r = await this.weightStep(batch, undefined, lr);
        return { ...r, metrics: { accuracy: r.accuracy } };
      },
    );
  }

  protected policyPhase(learn: boolean): Phase<PolicyOutcome<Genotype>> {
    return batchPhase(
      this.images,
      this.split.policy,
      this.config.policyBatchSize,
      false,
      this.dataRng,
      async (batch) => ({ ...(await this.policyStep(batch, undefined, learn)), metrics: {} }),
    );
  }

  protected epochFields(s: EpochSums): Pick<EpochRecord, 'train_acc' | 'images_per_s'> {
    const images = s.weightSteps * this.config.batchSize + s.policySteps * this.config.policyBatchSize;
    return { train_acc: s.accuracy / Math.max(1, s.weightSteps), images_per_s: images / s.wall };
  }

  protected score(genotype: Genotype): Promise<number> {
    return this.evaluate(genotype, this.split.policy);
  }

  /** Accuracy of a child on some training images (batch statistics, no gradients). */
  async evaluate(genotype: Genotype, indices: Int32Array): Promise<number> {
    let correct = 0;
    for (let start = 0; start < indices.length; start += this.config.policyBatchSize) {
      const batch = await this.images.batch(indices.subarray(start, start + this.config.policyBatchSize), false);
      const [acc] = await readScalars([
        tf.tidy(() => accuracyTensor(this.supernet.forward(batch.x, genotype), batch.y)),
      ]);
      correct += acc * batch.y.shape[0];
      tf.dispose([batch.x, batch.y]);
    }
    return correct / indices.length;
  }

  checkpointTensors() {
    return { weights: this.supernet.weights, slots: this.sgd.buffers };
  }

  restore(state: SearchState, momentum: Map<string, tf.Tensor>): void {
    this.sgd.replaceBuffers(momentum);
    this.restoreState(state);
    this.pool.publish(this.supernet.weights.keys());
  }

  dispose(): void {
    this.pool.close();
    this.supernet.dispose();
    this.sgd.dispose();
  }
}
