// An image batch as plain arrays, cut into the workers' shards.
import type * as tf from '@tensorflow/tfjs';
import { copyValues } from '../../backend/device.ts';
import { shardRows } from './pool.ts';
import { rowShards } from './step.ts';

function batchArrays(batch: {
  x: tf.Tensor;
  y: tf.Tensor;
}): Record<'x' | 'y', { data: Float32Array | Int32Array; shape: number[] }> {
  const x = new Float32Array(batch.x.size);
  copyValues(batch.x, x);
  return {
    x: { data: x, shape: batch.x.shape },
    y: { data: Int32Array.from(batch.y.dataSync()), shape: batch.y.shape },
  };
}

/** The batch's rows in `workers` shards. */
export const batchShards = (batch: { x: tf.Tensor; y: tf.Tensor }, workers: number) =>
  rowShards(shardRows(batch.y.shape[0], workers), batchArrays(batch));
