// Training a genotype from scratch: the evaluation network, SGD with a learning-rate schedule, the
// auxiliary loss, drop-path rising to its final probability, then test accuracy each epoch.
import * as tf from '@tensorflow/tfjs';
import { Rng, type RngState } from '../random/rng.ts';
import { EvalNetwork } from '../network/eval-network.ts';
import type { Genotype } from '../space/genotype.ts';
import { disposeBatch, type BatchSource } from '../data/source.ts';
import type { Batch } from '../data/batches.ts';
import { Sgd } from '../train/sgd.ts';
import { accuracyTensor, crossEntropy, topHitsTensors } from '../train/metrics.ts';
import { cosineLr } from '../train/schedule.ts';
import type { Checkpointable } from '../train/checkpoint.ts';
import { interruptSignal, yieldToEventLoop } from '../train/trainer.ts';
import type { EpochOptions, EpochTrainer, TrainingEvent } from '../train/trainer.ts';
import type { EvalConfig } from './eval-config.ts';
import { LazyPool } from '../train/parallel/lazy-pool.ts';
import { StepRunner } from '../train/step.ts';
import { batchShards } from '../train/parallel/batch.ts';

export interface EvalEpochRecord {
  epoch: number;
  lr: number;
  drop_path_prob: number;
  train_loss: number;
  train_acc: number;
  test_acc: number;
  test_top5: number;
  wall_s: number;
  images_per_s: number;
}

export type EvalEvent = TrainingEvent;

export interface EvalState {
  epoch: number;
  rng: RngState;
  epochs: EvalEpochRecord[];
}

export class Evaluation implements EpochTrainer<EvalEpochRecord>, Checkpointable<EvalState> {
  static readonly checkpointFormat = 'ednas-eval-checkpoint';
  readonly checkpointFormat = Evaluation.checkpointFormat;
  readonly network: EvalNetwork;
  readonly sgd: Sgd;
  rng: Rng;
  epoch = 0;
  readonly epochs: EvalEpochRecord[] = [];

  /** Worker threads the training steps and tests spread their batches over (1: all in this thread). */
  get workers(): number {
    return this.pool.size;
  }
  private readonly pool: LazyPool;
  /** How the steps and tests run (in this thread or over the pool), chosen here once. */
  private readonly runner: StepRunner;

  /** `workers`: threads for the steps (as the command decided; default: the cores, shards of at least 8 images). */
  constructor(
    readonly genotype: Genotype,
    readonly config: EvalConfig,
    readonly source: BatchSource,
    o: { workers?: number } = {},
  ) {
    const root = new Rng(config.seed);
    this.network = new EvalNetwork(
      genotype,
      {
        C: config.C,
        layers: config.layers,
        classes: source.classes,
        auxiliary: config.auxiliary,
        imagenet: config.imagenet,
      },
      root.fork(),
    );
    this.rng = root.fork();
    this.sgd = new Sgd(
      { momentum: config.momentum, nesterov: false, weightDecay: config.weightDecay, gradClip: config.gradClip },
      this.network.weights,
    );
    this.pool = new LazyPool(o.workers, config.batchSize, () => ({
      module: new URL('./replica.ts', import.meta.url).href,
      args: { kind: 'eval', genotype: this.genotype, config: this.network.config },
      master: new Map([...this.network.weights, ...this.network.buffers]),
      buffers: [...this.network.buffers.keys()],
    }));
    this.runner = new StepRunner(this.sgd, this.network.weights, this.pool);
  }

  /** Top-1 and top-5 hits of a test batch (on the workers' shards when there are workers). */
  private hits(batch: Batch): Promise<[number, number]> {
    return this.runner.measure({
      local: () => ({
        scalars: () =>
          tf.tidy(() => topHitsTensors(this.network.forward(batch.x, { training: false }).logits, batch.y)),
        result: ([top1, top5]) => [top1, top5] as [number, number],
      }),
      pool: (pool) => ({
        step: 'test',
        shards: batchShards(batch, pool.size),
        result: (s) => [s.top1, s.top5] as [number, number],
      }),
    });
  }

  get lr(): number {
    const c = this.config;
    return c.schedule === 'cosine' ? cosineLr(c.lr, c.lrMin, this.epoch, c.epochs) : c.lr * c.gamma ** this.epoch;
  }

  /** DARTS: drop_path_prob * epoch / epochs. */
  get dropPathProb(): number {
    return (this.config.dropPathProb * this.epoch) / this.config.epochs;
  }

  /** The training loss of a batch (with the auxiliary term), its accuracy kept in `kept` for the caller to read. */
  private trainingLoss(batch: Batch, kept: tf.Tensor[]): tf.Scalar {
    const c = this.config;
    const training = { training: true, dropPathProb: this.dropPathProb, rng: this.rng, bnMomentum: c.bnMomentum };
    const { logits, aux } = this.network.forward(batch.x, training);
    kept.push(tf.keep(accuracyTensor(logits, batch.y)));
    let l = crossEntropy(logits, batch.y, c.labelSmoothing);
    if (aux) l = tf.add(l, tf.mul(crossEntropy(aux, batch.y, c.labelSmoothing), c.auxWeight));
    tf.dispose(aux);
    return l;
  }

  /**
   * One SGD step on a batch; returns the loss (with the auxiliary term) and the batch accuracy. With worker
   * threads the batch's rows are spread over them: each shard draws its own drop-path masks and normalizes
   * with its own batch statistics; the running statistics are the first shard's, as with PyTorch's DataParallel.
   */
  trainStep(batch: Batch, lr = this.lr): Promise<{ loss: number; accuracy: number }> {
    const c = this.config;
    const names = [...this.network.weights.keys()];
    return this.runner.train({
      local: () => ({
        names,
        lr,
        loss: (kept) => this.trainingLoss(batch, kept),
        result: (loss, [accuracy]) => ({ loss, accuracy }),
      }),
      pool: (pool) => {
        const seed = this.rng.int(2 ** 31);
        return {
          step: 'train',
          shards: batchShards(batch, pool.size).map((s, k) => ({ ...s, args: { seed: seed + k } })),
          names,
          lr,
          args: {
            dropPathProb: this.dropPathProb,
            smoothing: c.labelSmoothing,
            auxWeight: c.auxWeight,
            bnMomentum: c.bnMomentum,
          },
          buffersFrom: 0,
          result: (sums) => ({ loss: sums.loss / sums.rows, accuracy: sums.correct / sums.rows }),
        };
      },
    });
  }

  /** Top-1 and top-5 accuracy on the test images (evaluation mode: batch norm with the running statistics). */
  async test(onEvent?: (e: EvalEvent) => void, signal?: AbortSignal): Promise<{ top1: number; top5: number }> {
    let n = 0,
      top1 = 0,
      top5 = 0,
      step = 0;
    const limit = this.config.testLimit ?? Infinity;
    const total = Math.ceil(Math.min(limit, this.source.testCount) / this.config.testBatchSize);
    for await (const batch of this.source.testBatches(this.config.testBatchSize)) {
      if (n >= limit || signal?.aborted) {
        disposeBatch(batch);
        signal?.throwIfAborted();
        break;
      }
      const [a, b] = await this.hits(batch);
      n += batch.y.shape[0];
      top1 += a;
      top5 += b;
      disposeBatch(batch);
      onEvent?.({ stage: 'test', epoch: this.epoch, step: ++step, total, metrics: { accuracy: top1 / n } });
      await yieldToEventLoop();
    }
    return { top1: top1 / n, top5: top5 / n };
  }

  async runEpoch(o: EpochOptions = {}): Promise<EvalEpochRecord> {
    const c = this.config;
    const epoch = this.epoch + 1;
    const lr = this.lr;
    const dropPath = this.dropPathProb;
    const t0 = performance.now();
    const limit = c.trainLimit ?? Infinity;
    const total = Math.floor(Math.min(limit, this.source.trainCount) / c.batchSize);
    let step = 0,
      lossSum = 0,
      accSum = 0;
    const signal = o.signal ?? interruptSignal();
    for await (const batch of this.source.trainBatches(c.batchSize, this.rng)) {
      if (step >= total || signal?.aborted) {
        disposeBatch(batch);
        signal?.throwIfAborted();
        break;
      }
      const r = await this.trainStep(batch, lr);
      disposeBatch(batch);
      step++;
      lossSum += r.loss;
      accSum += r.accuracy;
      o.onEvent?.({ stage: 'train', epoch, step, total, metrics: { loss: r.loss, accuracy: r.accuracy, lr } });
      await yieldToEventLoop();
    }
    const trainWall = (performance.now() - t0) / 1000;
    this.epoch = epoch;
    const test = await this.test(o.onEvent, signal);
    const record: EvalEpochRecord = {
      epoch,
      lr,
      drop_path_prob: dropPath,
      train_loss: lossSum / Math.max(1, step),
      train_acc: accSum / Math.max(1, step),
      test_acc: test.top1,
      test_top5: test.top5,
      wall_s: (performance.now() - t0) / 1000,
      images_per_s: (step * c.batchSize) / trainWall,
    };
    this.epochs.push(record);
    o.onEvent?.({ stage: 'epoch', epoch, step: epoch, total: c.epochs, metrics: { ...record } });
    return record;
  }

  state(): EvalState {
    return { epoch: this.epoch, rng: this.rng.state(), epochs: [...this.epochs] };
  }

  restoreState(s: EvalState): void {
    this.epoch = s.epoch;
    this.rng = new Rng(s.rng);
    this.epochs.splice(0, Infinity, ...s.epochs);
  }

  /** The weights with the batch norms' running statistics, and the momentum buffers. */
  checkpointTensors() {
    return { weights: new Map([...this.network.weights, ...this.network.buffers]), slots: this.sgd.buffers };
  }

  restore(state: EvalState, momentum: Map<string, tf.Tensor>): void {
    this.sgd.replaceBuffers(momentum);
    this.restoreState(state);
    this.pool.publish([...this.network.weights.keys(), ...this.network.buffers.keys()]);
  }

  dispose(): void {
    this.pool.close();
    this.network.dispose();
    this.sgd.dispose();
  }
}
