// Minibatches as tensors. Each batch is new tensors the caller owns and disposes (tf.dispose(batch)).
import * as tf from '@tensorflow/tfjs';
import { tensorFromFill } from '../backend/fill.ts';
import type { Rng } from '../random/rng.ts';
import { augmentInto, NO_AUGMENTATION, type Augmentation } from './augment.ts';
import { imageSize, type ImageSet } from './image-set.ts';

export type Batch = {
  /** [B, H, W, C] normalized (and augmented) images. */
  x: tf.Tensor4D;
  /** [B] int32 labels. */
  y: tf.Tensor1D;
};

/** The images at `indices` as one batch; augmentation draws from `rng` (none without it). */
export function makeBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  aug: Augmentation = NO_AUGMENTATION,
  rng?: Rng,
): Batch {
  const size = imageSize(set);
  const n = indices.length;
  const x = tensorFromFill<tf.Rank.R4>([n, set.height, set.width, set.channels], (out) => {
    for (let i = 0; i < n; i++)
      augmentInto(set.images, indices[i] * size, set.height, set.width, set.channels, aug, rng, out, i * size);
  });
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = set.labels[indices[i]];
  return { x, y: tf.tensor1d(labels, 'int32') };
}

export interface BatchOptions {
  batchSize: number;
  augmentation?: Augmentation;
  /** Shuffles the order and drives augmentation; without it the order is as given and nothing is random. */
  rng?: Rng;
  /** Drop a last batch smaller than batchSize (training) or keep it (evaluation). */
  dropLast?: boolean;
}

export const batchCount = (n: number, o: BatchOptions): number =>
  o.dropLast ? Math.floor(n / o.batchSize) : Math.ceil(n / o.batchSize);

/** One pass over `indices` in minibatches. */
export function* batches(
  set: ImageSet,
  indices: ArrayLike<number>,
  o: BatchOptions,
): Generator<Batch & { indices: Int32Array }> {
  const order = Int32Array.from(indices);
  o.rng?.shuffle(order);
  const count = batchCount(order.length, o);
  for (let b = 0; b < count; b++) {
    const idx = order.subarray(b * o.batchSize, Math.min(order.length, (b + 1) * o.batchSize));
    yield { ...makeBatch(set, idx, o.augmentation, o.rng), indices: idx };
  }
}

/** A whole set as two tensors (evaluation, benchmarks): [N, H, W, C] normalized float32 and [N] int32. */
export function toTensors(set: ImageSet, aug: Augmentation = NO_AUGMENTATION): Batch {
  return makeBatch(
    set,
    Int32Array.from({ length: set.count }, (_, i) => i),
    aug,
  );
}
