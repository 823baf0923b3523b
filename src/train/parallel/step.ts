// One optimizer step spread over a worker pool: every shard's gradients, weighed by its share of the rows
// (each worker's loss is the mean over its own rows), added in worker order, then the master weights take
// the SGD step and the changed ones are published to the workers. Batch-norm statistics are each shard's
// own, as with PyTorch's DataParallel.
import * as tf from '@tensorflow/tfjs';
import type { Variable } from '@tensorflow/tfjs';
import type { Sgd } from '../sgd.ts';
import type { Shard, WorkerPool } from './pool.ts';

/** The workers' sums added up (losses and counts over rows; `rows` is the batch size). */
export function addSums(results: { sums: Record<string, number> }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.sums)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export async function parallelSgdStep(
  pool: WorkerPool,
  sgd: Sgd,
  weights: Map<string, Variable>,
  step: string,
  shards: Shard[],
  names: string[],
  lr: number,
  o: { args?: Record<string, unknown>; buffersFrom?: number } = {},
): Promise<Record<string, number>> {
  const results = await pool.run(step, shards, { ...o, grads: names });
  const sums = addSums(results);
  const gradNames = results[0].gradNames;
  const grads = pool.reduceGrads(
    gradNames,
    results.map((r) => r.sums.rows / sums.rows),
  );
  sgd.step(weights, grads, lr);
  tf.dispose(Object.values(grads));
  pool.publish(gradNames);
  return sums;
}

/** A batch's rows split over the workers: `arrays` cut along their first axis, with `extra` fields. */
export function rowShards(
  ranges: { start: number; end: number }[],
  arrays: Record<string, { data: Float32Array | Int32Array; shape: number[] }>,
): Shard[] {
  return ranges.map(({ start, end }) => ({
    arrays: Object.fromEntries(
      Object.entries(arrays).map(([k, a]) => {
        const per = a.shape.slice(1).reduce((x, y) => x * y, 1);
        return [k, { data: a.data.subarray(start * per, end * per), shape: [end - start, ...a.shape.slice(1)] }];
      }),
    ),
  }));
}
