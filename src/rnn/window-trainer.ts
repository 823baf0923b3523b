// The language model with its SGD and its worker pool: what a PTB search and a PTB evaluation both train.
// A training window runs on the pool's workers when there are some, else in this thread.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { Sgd } from '../train/sgd.ts';
import { LazyPool } from '../train/parallel/lazy-pool.ts';
import { RnnModel } from './model.ts';
import { trainWindow, trainWindowAsync } from './loss.ts';
import { trainWindowParallel } from './parallel.ts';
import type { BpttStream } from './stream.ts';
import type { RnnTraining } from './config.ts';

export class WindowTrainer {
  readonly model: RnnModel;
  /** Plain SGD, as DARTS trains the language model (no momentum). */
  readonly sgd: Sgd;
  readonly pool: LazyPool;

  /** `workers`: --workers / EDNAS_WORKERS; `rows`: the parallel streams of a window (at least 8 a worker). */
  constructor(vocabulary: number, private readonly c: RnnTraining, rng: Rng, workers: number | undefined, rows: number) {
    this.model = new RnnModel({ vocabulary, hidden: c.hidden }, rng);
    this.sgd = new Sgd({ momentum: 0, nesterov: false, weightDecay: c.weightDecay, gradClip: c.gradClip });
    this.pool = new LazyPool(workers, rows, () => ({
      module: new URL('./replica.ts', import.meta.url).href, args: { vocabulary, hidden: c.hidden }, master: this.model.weights,
    }));
  }

  /**
   * SGD on the next window of `stream` (`key` names the stream on the workers); its loss per token.
   * In this thread, webgpu reads the loss back asynchronously: it has no synchronous read.
   */
  async trainWindow(stream: BpttStream, key: string, genotype: RnnGenotype, rng: Rng, lr: number): Promise<number> {
    const pending = this.pool.get();
    if (pending) return trainWindowParallel(await pending, this.sgd, this.model.weights, stream, key, genotype, this.c, rng, lr);
    if (tf.getBackend() === 'webgpu') return trainWindowAsync(this.model, this.sgd, stream, genotype, this.c, rng, lr);
    return trainWindow(this.model, this.sgd, stream, genotype, this.c, rng, lr);
  }

  /** The workers read the model's weights again (after a checkpoint is restored). */
  publish(): void {
    this.pool.publish(this.model.weights.keys());
  }

  dispose(): void {
    this.pool.close();
    this.model.dispose();
    this.sgd.dispose();
  }
}
