// An image classification data set held as bytes: compact (1 byte a pixel) until a batch is made.
export interface ImageSet {
  /** What it is, e.g. "cifar10/train". */
  name: string;
  /** Pixels, NHWC order, 0-255. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Class names in label order. */
  classes: string[];
}

export const imageSize = (set: ImageSet): number => set.height * set.width * set.channels;

/** The images at `indices`, in that order, as a new set. */
export function subset(set: ImageSet, indices: ArrayLike<number>, name = set.name): ImageSet {
  const size = imageSize(set);
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    images.set(set.images.subarray(k * size, (k + 1) * size), i * size);
    labels[i] = set.labels[k];
  }
  return { ...set, name, images, labels, count: indices.length };
}

/** Images per class, in label order. */
export function classCounts(labels: ArrayLike<number>, classes: number, indices?: ArrayLike<number>): number[] {
  const counts = new Array<number>(classes).fill(0);
  const n = indices ? indices.length : labels.length;
  for (let i = 0; i < n; i++) counts[labels[indices ? indices[i] : i]]++;
  return counts;
}
