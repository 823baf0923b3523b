// Where training and test batches come from: CIFAR-style byte sets (augmented in memory) or ImageNet-style
// folders (decoded and cropped per batch). Training code sees only this interface.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import type { Augmentation } from './augment.ts';
import { batches, type Batch } from './batches.ts';
import type { ImageSet } from './image-set.ts';
import type { ImageTransform } from './image-folder.ts';

export interface BatchSource {
  classes: number;
  /** Class names in label order. */
  classNames: string[];
  /** How a single image becomes a network input at test time (resized, cropped, normalized). */
  evalTransform: ImageTransform;
  trainCount: number;
  testCount: number;
  trainBatches(batchSize: number, rng: Rng): AsyncIterable<Batch>;
  testBatches(batchSize: number): AsyncIterable<Batch>;
}

async function* fromSync(it: Iterable<Batch>): AsyncIterable<Batch> {
  yield* it;
}

export const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

export function imageSetSource(train: ImageSet, test: ImageSet, augmentation: Augmentation): BatchSource {
  return {
    classes: train.classes.length,
    classNames: train.classes,
    evalTransform: {
      size: train.height,
      mode: 'center',
      resize: train.height,
      flip: false,
      mean: augmentation.mean,
      std: augmentation.std,
    },
    trainCount: train.count,
    testCount: test.count,
    trainBatches: (batchSize, rng) =>
      fromSync(batches(train, range(train.count), { batchSize, augmentation, rng, dropLast: true })),
    testBatches: (batchSize) => fromSync(batches(test, range(test.count), { batchSize })),
  };
}

export const disposeBatch = (b: Batch): void => tf.dispose([b.x, b.y]);
