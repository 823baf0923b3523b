// One training step for every backend. A task says what its step is twice over, in this thread (its loss,
// or the scalars it measures) and over the worker pool (its shards and the workers' sums); the runner picks
// how it runs once, when the trainer is built: over the pool when there is one, else in this thread, reading
// synchronously where the device can and asynchronously where it cannot (a GPU under Node).
import type * as tf from '@tensorflow/tfjs';
import type { Variable } from '@tensorflow/tfjs';
import { readScalars, readScalarsSync, readsSynchronously } from '../backend/device.ts';
import { type Sgd, sgdStep, sgdStepAsync } from './sgd.ts';
import type { LazyPool } from './parallel/lazy-pool.ts';
import type { Shard, WorkerPool } from './parallel/pool.ts';
import { addSums, parallelSgdStep } from './parallel/step.ts';

export type StepWay = 'sync' | 'async' | 'pool';

/** An SGD step in this thread. */
export interface LocalSgd<R> {
  /** The weights the step trains; the others are not updated. */
  names: string[];
  lr: number;
  /** The loss; scalars to read with it (metrics) are kept (tf.keep) and pushed to `kept`. */
  loss: (kept: tf.Tensor[]) => tf.Scalar;
  /** The step's outcome from the loss and the kept scalars' values. */
  result: (loss: number, kept: number[]) => R;
}

/** An SGD step over the pool: every worker's gradients on its shard, added, then one step here. */
export interface PoolSgd<R> {
  /** The step's name on the workers (their replica's handler). */
  step: string;
  shards: Shard[];
  names: string[];
  lr: number;
  args?: Record<string, unknown>;
  /** The shard whose batch-norm statistics the master keeps (none: no buffers). */
  buffersFrom?: number;
  result: (sums: Record<string, number>) => R;
}

/** A measurement without gradients (a reward, a test batch's hits). */
export interface LocalMeasure<R> {
  scalars: () => tf.Tensor[];
  result: (values: number[]) => R;
}

export interface PoolMeasure<R> {
  step: string;
  shards: Shard[];
  args?: Record<string, unknown>;
  result: (sums: Record<string, number>) => R;
}

/** A step as a task declares it: each way is built only when it runs (it may draw from an Rng). */
export interface Step<L, P> {
  local: () => L;
  pool: (pool: WorkerPool) => P;
}

export class StepRunner {
  /** How every step of this trainer runs. */
  readonly way: StepWay;

  constructor(
    private readonly sgd: Sgd,
    private readonly weights: Map<string, Variable>,
    readonly pool: LazyPool,
  ) {
    this.way = pool.size > 1 ? 'pool' : readsSynchronously() ? 'sync' : 'async';
  }

  /** One SGD step; the gradient norm is then `sgd.lastGradNorm`. */
  async train<R>(step: Step<LocalSgd<R>, PoolSgd<R>>): Promise<R> {
    if (this.way === 'pool') {
      const pool = await this.pool.get()!;
      const s = step.pool(pool);
      const options = { args: s.args, buffersFrom: s.buffersFrom };
      return s.result(await parallelSgdStep(pool, this.sgd, this.weights, s.step, s.shards, s.names, s.lr, options));
    }
    const s = step.local();
    const kept: tf.Tensor[] = [];
    if (this.way === 'sync') {
      const loss = sgdStep(this.sgd, this.weights, s.names, () => s.loss(kept), s.lr);
      return s.result(loss, readScalarsSync(kept));
    }
    const r = await sgdStepAsync(
      this.sgd,
      this.weights,
      s.names,
      () => s.loss(kept),
      s.lr,
      () => kept,
    );
    return s.result(r.loss, r.extra);
  }

  /** One measurement without gradients. */
  async measure<R>(step: Step<LocalMeasure<R>, PoolMeasure<R>>): Promise<R> {
    if (this.way === 'pool') {
      const pool = await this.pool.get()!;
      const s = step.pool(pool);
      return s.result(addSums(await pool.run(s.step, s.shards, { args: s.args })));
    }
    const s = step.local();
    const scalars = s.scalars();
    return s.result(this.way === 'sync' ? readScalarsSync(scalars) : await readScalars(scalars));
  }
}
