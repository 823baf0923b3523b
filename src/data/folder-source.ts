// ImageNet-style image folders as a BatchSource (Node: decoded from files as batches are cut). Sets held in
// memory (CIFAR-10) are source.ts'.
import { batchCount } from './batches.ts';
import { imageFolderBatches, type ImageFolder, type ImageTransform } from './image-folder.ts';
import { range, type BatchSource } from './source.ts';

export function imageFolderSource(
  train: ImageFolder,
  val: ImageFolder,
  trainTransform: ImageTransform,
  evalTransform: ImageTransform,
): BatchSource {
  return {
    classes: train.classes.length,
    classNames: train.classes,
    evalTransform,
    trainCount: train.files.length,
    testCount: val.files.length,
    async *trainBatches(batchSize, rng) {
      const order = rng.shuffle(range(train.files.length));
      const usable = order.subarray(0, batchCount(order.length, { batchSize, dropLast: true }) * batchSize);
      yield* imageFolderBatches(train, usable, { batchSize, transform: trainTransform, rng });
    },
    testBatches: (batchSize) =>
      imageFolderBatches(val, range(val.files.length), { batchSize, transform: evalTransform }),
  };
}
