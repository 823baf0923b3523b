// Training a recurrent cell from scratch on PTB (DARTS' train.py): SGD on BPTT windows, switching to
// averaged SGD when the validation loss stops improving (or at a set epoch), validation perplexity each
// epoch and test perplexity with the averaged weights.
import type { Tensor } from '@tensorflow/tfjs';
import { Rng, type RngState } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { Checkpointable } from '../train/checkpoint.ts';
import { interruptSignal, yieldToEventLoop } from '../train/trainer.ts';
import type { EpochOptions, EpochTrainer, TrainingEvent } from '../train/trainer.ts';
import type { RnnModel } from './model.ts';
import { BpttStream } from './stream.ts';
import { streamLoss } from './loss.ts';
import { WindowTrainer } from './window-trainer.ts';
import { WeightAverage } from './asgd.ts';
import type { RnnEvalConfig } from './config.ts';

export interface RnnEvalEpochRecord {
  epoch: number;
  lr: number;
  averaging: boolean;
  train_loss: number;
  train_ppl: number;
  valid_loss: number;
  valid_ppl: number;
  wall_s: number;
  tokens_per_s: number;
}

export type RnnEvalEvent = TrainingEvent;

export interface RnnEvalState {
  epoch: number;
  rng: RngState;
  averaged: number;
  epochs: RnnEvalEpochRecord[];
}

export interface PtbTokens {
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
  vocabulary: number;
}

const first = (t: Int32Array, n?: number) => t.subarray(0, Math.min(n ?? t.length, t.length));

export class RnnEvaluation implements EpochTrainer<RnnEvalEpochRecord>, Checkpointable<RnnEvalState> {
  static readonly checkpointFormat = 'ednas-ptb-eval-checkpoint';
  readonly checkpointFormat = RnnEvaluation.checkpointFormat;
  readonly average = new WeightAverage();
  rng: Rng;
  epoch = 0;
  readonly epochs: RnnEvalEpochRecord[] = [];
  readonly train: Int32Array;
  readonly valid: Int32Array;
  readonly test: Int32Array;

  /** The language model whose weights the steps train; `trainer` holds it with its SGD and worker pool. */
  readonly model: RnnModel;
  private readonly trainer: WindowTrainer;

  /** Worker threads the training windows' streams spread over (1: all in this thread). */
  get workers(): number {
    return this.trainer.pool.size;
  }

  /**
   * `workers`: threads for the training steps (as the command decided; default: the cores, 8 streams each at least).
   */
  constructor(
    readonly genotype: RnnGenotype,
    readonly config: RnnEvalConfig,
    data: PtbTokens,
    o: { workers?: number } = {},
  ) {
    const root = new Rng(config.seed);
    this.trainer = new WindowTrainer(data.vocabulary, config, root.fork(), o.workers, config.batchSize);
    this.model = this.trainer.model;
    this.rng = root.fork();
    this.train = first(data.train, config.trainLimit);
    this.valid = first(data.valid, config.validLimit);
    this.test = first(data.test, config.testLimit);
  }

  /**
   * Whether averaging should start after this epoch: at `averageFrom`, or (NT-ASGD) when the validation
   * loss is worse than the best one before the last `nonmono` epochs.
   */
  private shouldAverage(): boolean {
    const c = this.config;
    if (c.averageFrom !== undefined) return this.epoch + 1 >= c.averageFrom;
    const losses = this.epochs.map((e) => e.valid_loss);
    return losses.length > c.nonmono && losses[losses.length - 1] > Math.min(...losses.slice(0, -c.nonmono));
  }

  /** Mean validation (or test) loss per token, with the averaged weights when averaging. */
  loss(tokens: Int32Array, signal?: AbortSignal): Promise<number> {
    return this.average.withAveraged(this.model.weights, () =>
      streamLoss(this.model, this.genotype, tokens, this.config.evalBatchSize, this.config.bptt, signal),
    );
  }

  async runEpoch(o: EpochOptions = {}): Promise<RnnEvalEpochRecord> {
    const c = this.config;
    const epoch = this.epoch + 1;
    const t0 = performance.now();
    const averaging = this.average.active || this.shouldAverage();
    const signal = o.signal ?? interruptSignal();
    const stream = new BpttStream(this.train, c.batchSize, c.bptt, c.hidden);
    const total = stream.windows;
    let lossSum = 0;
    let step = 0;
    try {
      // One pass over the tokens: about `total` windows (their lengths vary with variable BPTT).
      while (!stream.done) {
        signal?.throwIfAborted();
        step++;
        const loss = await this.trainer.trainWindow(stream, 'train', this.genotype, this.rng, c.lr);
        if (averaging) this.average.update(this.model.weights);
        lossSum += loss;
        o.onEvent?.({
          stage: 'train',
          epoch,
          step,
          total: Math.max(total, step),
          metrics: { loss, perplexity: Math.exp(loss) },
        });
        await yieldToEventLoop();
      }
    } finally {
      stream.dispose();
    }
    const trainWall = (performance.now() - t0) / 1000;
    this.epoch = epoch;
    const valid = await this.loss(this.valid, signal);
    const trainLoss = lossSum / Math.max(1, step);
    const record: RnnEvalEpochRecord = {
      epoch,
      lr: c.lr,
      averaging,
      train_loss: trainLoss,
      train_ppl: Math.exp(trainLoss),
      valid_loss: valid,
      valid_ppl: Math.exp(valid),
      wall_s: (performance.now() - t0) / 1000,
      tokens_per_s: (this.train.length - c.batchSize) / trainWall,
    };
    this.epochs.push(record);
    o.onEvent?.({ stage: 'epoch', epoch, step: epoch, total: c.epochs, metrics: { ...record } });
    return record;
  }

  state(): RnnEvalState {
    return { epoch: this.epoch, rng: this.rng.state(), averaged: this.average.count, epochs: [...this.epochs] };
  }

  restoreState(s: RnnEvalState): void {
    this.epoch = s.epoch;
    this.rng = new Rng(s.rng);
    this.epochs.splice(0, Infinity, ...s.epochs);
  }

  /** The averaged weights travel in the checkpoint's optimizer slot (plain SGD has no momentum). */
  checkpointTensors() {
    return { weights: this.model.weights, slots: this.average.means };
  }

  restore(state: RnnEvalState, means: Map<string, Tensor>): void {
    this.average.restore(means, state.averaged);
    this.restoreState(state);
    this.trainer.publish();
  }

  dispose(): void {
    this.trainer.dispose();
    this.average.dispose();
  }
}
