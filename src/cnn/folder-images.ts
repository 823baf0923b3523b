// ImageNet-style folders as the images of a search (Node: decoded from files per batch).
import {
  IMAGENET_EVAL,
  IMAGENET_TRAIN,
  imageFolderBatches,
  type ImageFolder,
  type ImageTransform,
} from '../data/image-folder.ts';
import type { SearchImages } from './search-images.ts';

/** ImageNet-style folders at `size` pixels: random resized crops and flips on the weight phase, centre crops for
 * rewards.
 */
export function imageFolderImages(folder: ImageFolder, size: number): SearchImages {
  const resize = Math.round((size * 256) / 224);
  const train: ImageTransform = { ...IMAGENET_TRAIN, size, resize };
  const test: ImageTransform = { ...IMAGENET_EVAL, size, resize };
  return {
    labels: folder.labels,
    classes: folder.classes,
    batch: async (indices, augment, rng) => {
      const batch = await imageFolderBatches(folder, indices, {
        batchSize: indices.length,
        transform: augment ? train : test,
        rng: augment ? rng : undefined,
      }).next();
      return batch.value!;
    },
  };
}
