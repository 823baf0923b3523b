// The images a search trains on, whatever holds them: CIFAR-style bytes in memory (augmented while the
// batch is made) or ImageNet-style folders (folder-images.ts: decoded, cropped and flipped per batch). The search reads
// labels (for the stratified split) and asks for batches of indices.
import type { Batch } from '../data/batches.ts';
import { makeBatch } from '../data/batches.ts';
import { NO_AUGMENTATION, SEARCH_AUGMENTATION } from '../data/augment.ts';
import type { ImageSet } from '../data/image-set.ts';
import type { Rng } from '../random/rng.ts';

export interface SearchImages {
  /** The label of every image, in index order. */
  labels: ArrayLike<number>;
  classes: string[];
  /** The images at `indices` as one batch: augmented as for the weight phase, or as they are (rewards). */
  batch(indices: Int32Array, augment: boolean, rng?: Rng): Batch | Promise<Batch>;
}

export const isSearchImages = (v: ImageSet | SearchImages): v is SearchImages =>
  typeof (v as SearchImages).batch === 'function';

/** CIFAR-style images: DARTS' search augmentation (crop, flip) on the weight phase. */
export function imageSetImages(set: ImageSet): SearchImages {
  return {
    labels: set.labels,
    classes: set.classes,
    batch: (indices, augment, rng) => makeBatch(set, indices, augment ? SEARCH_AUGMENTATION : NO_AUGMENTATION, rng),
  };
}
