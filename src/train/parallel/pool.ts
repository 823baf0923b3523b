// A pool of worker threads for data-parallel training (PyTorch's DataParallel on the CPU cores): each
// worker holds a replica of the network and takes a step on its shard of the batch; the main thread keeps
// the master weights, adds the shards' gradients (in worker order: the same W gives the same sums), takes
// the optimizer step and publishes the changed weights in shared memory for the next step. A worker that
// throws or dies ends the step with an error naming it; closing the pool ends every thread.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { Worker } from '#host';
import { layoutOf, sharedAtLeast, SharedTensors } from './shared.ts';
import { copyValues } from '../../backend/device.ts';
import type { FromWorker, SharedArray, ToWorker } from './protocol.ts';

/** A shard's arrays: values and shape (a batch's rows, or a BPTT window's streams). */
export type ShardArrays = Record<string, { data: Float32Array | Int32Array; shape: number[] }>;

export interface Shard {
  arrays: ShardArrays;
  args?: Record<string, unknown>;
}

export interface ShardResult {
  sums: Record<string, number>;
  gradNames: string[];
}

export class WorkerFailedError extends Error {
  constructor(worker: number, cause: string) {
    super(`training worker ${worker} failed: ${cause}`);
    this.name = 'WorkerFailedError';
  }
}

/** Contiguous shards of `rows` over `workers`: sizes differ by at most one, in worker order. */
export function shardRows(rows: number, workers: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let w = 0, start = 0; w < workers; w++) {
    const n = Math.floor(rows / workers) + (w < rows % workers ? 1 : 0);
    out.push({ start, end: start + n });
    start += n;
  }
  return out.filter((s) => s.end > s.start);
}

let live = 0;
/** Worker threads of training pools running in this process now. */
export const liveTrainingWorkers = (): number => live;

interface Pending {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
}

export class WorkerPool {
  private readonly weights: SharedTensors;
  private readonly grads: SharedTensors;
  private readonly inputs: Map<string, SharedArrayBuffer>[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Names whose shared values changed since the workers last read them. */
  private readonly changed = new Set<string>();
  private failed: Error | undefined;
  private closed = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly master: Map<string, Variable>,
    private readonly bufferNames: string[],
  ) {
    const layout = layoutOf(master);
    this.weights = new SharedTensors(layout, 1);
    this.grads = new SharedTensors(layout, workers.length);
    for (const [name, v] of master) copyValues(v, this.weights.view(name));
  }

  /**
   * `size` workers, each building its replica with `createReplica(args)` from `module` (a URL), loaded
   * with the master tensors' values (weights, then the names in `buffers`).
   */
  static async start(o: {
    size: number;
    module: string;
    args: unknown;
    master: Map<string, Variable>;
    buffers?: string[];
  }): Promise<WorkerPool> {
    const workers = Array.from({ length: o.size }, () => new Worker(new URL('./worker-boot.js', import.meta.url)));
    live += workers.length;
    const pool = new WorkerPool(workers, o.master, o.buffers ?? []);
    workers.forEach((w, k) => {
      w.on('message', (m: FromWorker) => {
        // A failed step fails the pool: the run ends rather than go on from a step half taken.
        if (m.type === 'failed') return pool.fail(k, m.error);
        const p = pool.pending.get(k);
        pool.pending.delete(k);
        p?.resolve(m);
      });
      w.on('error', (e) => pool.fail(k, e.message));
      w.on('exit', (code) => {
        live--;
        if (!pool.closed) pool.fail(k, `it stopped (exit code ${code})`);
      });
    });
    try {
      await Promise.all(
        workers.map((_, k) =>
          pool.call(k, {
            type: 'init',
            worker: k,
            module: o.module,
            args: o.args,
            layout: pool.weights.layout,
            weights: pool.weights.buffer,
            grads: pool.grads.buffer,
          }),
        ),
      );
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(worker: number, cause: string): void {
    this.failed ??= new WorkerFailedError(worker, cause);
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
  }

  private call(worker: number, m: ToWorker): Promise<FromWorker> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('the training worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.pending.set(worker, { resolve, reject });
      this.workers[worker].postMessage(m);
    });
  }

  /** The master values of `names` changed (an optimizer step): the workers read them before their next step. */
  publish(names: Iterable<string>): void {
    for (const name of names) {
      copyValues(this.master.get(name)!, this.weights.view(name));
      this.changed.add(name);
    }
  }

  private shared(worker: number, key: string, a: ShardArrays[string]): SharedArray {
    this.inputs[worker] ??= new Map();
    const buffers = this.inputs[worker];
    const buffer = sharedAtLeast(buffers.get(key), a.data.byteLength);
    buffers.set(key, buffer);
    (a.data instanceof Int32Array
      ? new Int32Array(buffer, 0, a.data.length)
      : new Float32Array(buffer, 0, a.data.length)
    ).set(a.data);
    return { buffer, dtype: a.data instanceof Int32Array ? 'int32' : 'float32', shape: a.shape };
  }

  /**
   * One step on every shard (shard k on worker k), gradients of `grads` written to the workers' regions.
   * With `buffersFrom`, that worker's buffers become the master's (as DataParallel keeps replica 0's).
   */
  async run(
    step: string,
    shards: Shard[],
    o: { grads?: string[]; args?: Record<string, unknown>; buffersFrom?: number } = {},
  ): Promise<ShardResult[]> {
    if (shards.length > this.workers.length)
      throw new Error(`${shards.length} shards for ${this.workers.length} workers`);
    const load = [...this.changed];
    this.changed.clear();
    const replies = await Promise.all(
      shards.map((s, k) =>
        this.call(k, {
          type: 'step',
          step,
          args: { ...o.args, ...s.args },
          load,
          grads: o.grads ?? [],
          publishBuffers: o.buffersFrom === k,
          inputs: Object.fromEntries(Object.entries(s.arrays).map(([key, a]) => [key, this.shared(k, key, a)])),
        }),
      ),
    );
    // Workers that had no shard read the changes at their next step.
    if (shards.length < this.workers.length) for (const name of load) this.changed.add(name);
    if (o.buffersFrom !== undefined) {
      for (const name of this.bufferNames) {
        const v = this.master.get(name)!;
        const t = tf.tensor(this.weights.view(name), v.shape);
        v.assign(t);
        t.dispose();
        this.changed.add(name);
      }
    }
    return replies.map((r) => r as Extract<FromWorker, { type: 'done' }>);
  }

  /** sum over workers of weight[k] x gradient_k, for each name, as tensors the caller disposes. */
  reduceGrads(names: string[], weights: number[]): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const name of names) {
      const slot = this.grads.slot(name);
      const sum = new Float32Array(slot.size);
      weights.forEach((w, k) => {
        const g = this.grads.view(name, k);
        for (let i = 0; i < sum.length; i++) sum[i] += w * g[i];
      });
      out[name] = tf.tensor(sum, slot.shape);
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
