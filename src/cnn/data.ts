// The data of the convolutional task: CIFAR-10 (a given folder, the download cache, else the bundled
// sample), read once and described for the manifest; for evaluation training the batch source (CIFAR-10
// images, or ImageNet-style folders).
import { join } from 'node:path';
import { readCifar10, type Cifar10 } from '../data/cifar10.ts';
import { resolveCifar10 } from '../data/locate.ts';
import { EVAL_AUGMENTATION, NO_AUGMENTATION } from '../data/augment.ts';
import { subset } from '../data/image-set.ts';
import { imageSetSource, type BatchSource } from '../data/source.ts';
import { imageFolderSource } from '../data/folder-source.ts';
import { IMAGENET_EVAL, IMAGENET_TRAIN, scanImageFolder } from '../data/image-folder.ts';
import { DataError } from '../data/errors.ts';
import type { ManifestData } from '../rundir/run-dir.ts';
import type { EvalConfig } from './eval-config.ts';
import { checkSearchSplit, type SearchConfig } from './search-config.ts';
import { imageSetImages, type SearchImages } from './search-images.ts';
import { imageFolderImages } from './folder-images.ts';

/** CIFAR-10 as read, with where it came from (the manifest's data field). */
export interface LoadedCifar10 {
  cifar: Cifar10;
  data: ManifestData;
}

export function loadCifar10(dir?: string): LoadedCifar10 {
  const located = resolveCifar10(dir);
  const cifar = readCifar10(located.dir);
  return { cifar, data: { dir: cifar.dir, source: located.source, files: cifar.files } };
}

const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** The images a search trains on: CIFAR-10 (`loaded`, else read from `dir`) or, for ImageNet, `dir`/train's folders. */
export function searchImages(
  config: SearchConfig,
  dir: string | undefined,
  loaded?: LoadedCifar10,
): { images: SearchImages; data: ManifestData } {
  if (config.imagenet) {
    if (!dir) throw new DataError('an ImageNet search needs --data DIR holding train/<class>/*.jpg.');
    const folder = scanImageFolder(join(dir, 'train'));
    checkSearchSplit(config, folder.files.length);
    return { images: imageFolderImages(folder, config.imageSize), data: { dir, source: 'given', files: [] } };
  }
  const { cifar, data } = loaded ?? loadCifar10(dir);
  // Before any step: a split smaller than one batch would run whole epochs without learning.
  checkSearchSplit(config, cifar.train.count);
  return { images: imageSetImages(cifar.train), data };
}

/** The batches an evaluation trains and tests on: CIFAR-10 (`loaded`, else read from `dir`) or, for ImageNet, `dir`'s
 * folders.
 */
export function evalSource(
  config: EvalConfig,
  dir: string | undefined,
  loaded?: LoadedCifar10,
): { source: BatchSource; data: ManifestData } {
  if (config.imagenet) {
    if (!dir)
      throw new DataError('the imagenet preset needs --data DIR holding train/<class>/*.jpg and val/<class>/*.jpg.');
    const source = imageFolderSource(
      scanImageFolder(join(dir, 'train')),
      scanImageFolder(join(dir, 'val')),
      IMAGENET_TRAIN,
      IMAGENET_EVAL,
    );
    return { source, data: { dir, source: 'given', files: [] } };
  }
  const { cifar, data } = loaded ?? loadCifar10(dir);
  const train = config.trainLimit
    ? subset(cifar.train, first(Math.min(config.trainLimit, cifar.train.count)))
    : cifar.train;
  const test = config.testLimit ? subset(cifar.test, first(Math.min(config.testLimit, cifar.test.count))) : cifar.test;
  const aug = { ...EVAL_AUGMENTATION, cutout: config.cutout };
  return { source: imageSetSource(train, test, config.cutout || aug.cropPadding ? aug : NO_AUGMENTATION), data };
}
