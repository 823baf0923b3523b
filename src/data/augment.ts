// Per-image preprocessing for CIFAR-style training, done on bytes before a batch becomes a tensor:
// random crop with zero padding, horizontal flip, per-channel normalization, then cutout (DARTS' order).
import type { Rng } from '../random/rng.ts';

export interface Augmentation {
  /** Per-channel mean and standard deviation of pixel/255. */
  mean: number[];
  std: number[];
  /** Zero padding before a random crop back to the original size; 0 turns cropping off. */
  cropPadding: number;
  flip: boolean;
  /** Side of the square zeroed at a random centre after normalization (DeVries & Taylor); 0 = off. */
  cutout: number;
}

// CIFAR-10 training-set statistics, as DARTS uses them.
export const CIFAR10_MEAN = [0.49139968, 0.48215827, 0.44653124];
export const CIFAR10_STD = [0.24703233, 0.24348505, 0.26158768];

export const NO_AUGMENTATION: Augmentation = {
  mean: CIFAR10_MEAN,
  std: CIFAR10_STD,
  cropPadding: 0,
  flip: false,
  cutout: 0,
};
/** Search (DARTS, EDNAS): crop and flip. */
export const SEARCH_AUGMENTATION: Augmentation = { ...NO_AUGMENTATION, cropPadding: 4, flip: true };
/** Evaluation training: crop, flip and cutout 16. */
export const EVAL_AUGMENTATION: Augmentation = { ...SEARCH_AUGMENTATION, cutout: 16 };

/** Pixel byte v of channel k normalizes to v * scale[k] + shift[k] ((v / 255 - mean) / std). */
export function byteNormalization(n: Pick<Augmentation, 'mean' | 'std'>): { scale: number[]; shift: number[] } {
  return { scale: n.std.map((s) => 1 / (255 * s)), shift: n.mean.map((m, k) => -m / n.std[k]) };
}

/**
 * Writes one HWC image, transformed, into `out` at `offset`. `rng` is consulted only for the transforms that
 * are on, in a fixed order, so a seed fixes every batch.
 */
export function augmentInto(
  src: Uint8Array,
  srcOffset: number,
  h: number,
  w: number,
  c: number,
  aug: Augmentation,
  rng: Rng | undefined,
  out: Float32Array,
  offset: number,
): void {
  const p = aug.cropPadding;
  const dy = p > 0 && rng ? rng.int(2 * p + 1) - p : 0;
  const dx = p > 0 && rng ? rng.int(2 * p + 1) - p : 0;
  const flip = aug.flip && rng ? rng.uniform() < 0.5 : false;
  const { scale, shift } = byteNormalization(aug);
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    for (let x = 0; x < w; x++) {
      const sx = (flip ? w - 1 - x : x) + dx;
      const o = offset + (y * w + x) * c;
      if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
        for (let k = 0; k < c; k++) out[o + k] = shift[k]; // a padded (black) pixel, normalized
      } else {
        const s = srcOffset + (sy * w + sx) * c;
        for (let k = 0; k < c; k++) out[o + k] = src[s + k] * scale[k] + shift[k];
      }
    }
  }
  if (aug.cutout > 0 && rng) {
    const cy = rng.int(h);
    const cx = rng.int(w);
    const half = Math.floor(aug.cutout / 2);
    for (let y = Math.max(0, cy - half); y < Math.min(h, cy + half); y++) {
      for (let x = Math.max(0, cx - half); x < Math.min(w, cx + half); x++)
        out.fill(0, offset + (y * w + x) * c, offset + (y * w + x + 1) * c);
    }
  }
}
