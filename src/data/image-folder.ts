// ImageNet-style folders: <root>/<class>/<image>.jpg|jpeg|png, classes in sorted order (as torchvision's
// ImageFolder). Images are decoded and cropped with sharp (libvips) and streamed in batches.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tensorFromFill } from '../backend/fill.ts';
import type { Rng } from '../random/rng.ts';
import { DataError } from './errors.ts';
import type { Batch } from './batches.ts';

const IMAGE = /\.(jpe?g|png)$/i;

export interface ImageFolder {
  root: string;
  files: string[];
  labels: Int32Array;
  classes: string[];
}

export function scanImageFolder(root: string): ImageFolder {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DataError(
      `image folder not found: ${root} is not a directory. Expected ${root}/<class>/<image>.jpg (ImageNet layout: ` +
        `train/ and val/ each with one folder per class).`,
    );
  }
  const classes = readdirSync(root)
    .filter((d) => statSync(join(root, d)).isDirectory())
    .sort();
  if (classes.length === 0) throw new DataError(`${root} has no class folders; expected ${root}/<class>/<image>.jpg.`);
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, label) => {
    // Entry types come with the listing: no stat per image (ImageNet has a million).
    const entries = readdirSync(join(root, c), { withFileTypes: true }).filter((d) => IMAGE.test(d.name));
    const folder = entries.find((d) => d.isDirectory());
    if (folder) {
      throw new DataError(
        `${join(root, c, folder.name)} is a folder named like an image; a class folder holds ` +
          'image files. Rename it or move its images up.',
      );
    }
    for (const f of entries.map((d) => d.name).sort()) {
      files.push(join(root, c, f));
      labels.push(label);
    }
  });
  if (files.length === 0) throw new DataError(`${root}: the class folders hold no .jpg, .jpeg or .png images.`);
  return { root, files, labels: Int32Array.from(labels), classes };
}

export interface ImageTransform {
  /** Output side in pixels (224 for ImageNet). */
  size: number;
  /** `center`: resize the short side to `resize`, crop the centre. `random-resized`: Inception-style crop. */
  mode: 'center' | 'random-resized';
  resize: number;
  flip: boolean;
  mean: number[];
  std: number[];
}

export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];
export const IMAGENET_TRAIN: ImageTransform = {
  size: 224,
  mode: 'random-resized',
  resize: 256,
  flip: true,
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
};
export const IMAGENET_EVAL: ImageTransform = {
  size: 224,
  mode: 'center',
  resize: 256,
  flip: false,
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
};

interface Crop {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** torchvision's RandomResizedCrop: area 8-100%, aspect ratio 3/4-4/3, ten tries, then a centre crop. */
function randomResizedCrop(w: number, h: number, rng: Rng): Crop {
  const area = w * h;
  for (let i = 0; i < 10; i++) {
    const target = area * (0.08 + 0.92 * rng.uniform());
    const ratio = Math.exp(Math.log(3 / 4) + (Math.log(4 / 3) - Math.log(3 / 4)) * rng.uniform());
    const cw = Math.round(Math.sqrt(target * ratio));
    const ch = Math.round(Math.sqrt(target / ratio));
    if (cw > 0 && ch > 0 && cw <= w && ch <= h)
      return { left: rng.int(w - cw + 1), top: rng.int(h - ch + 1), width: cw, height: ch };
  }
  const side = Math.min(w, h);
  return { left: Math.floor((w - side) / 2), top: Math.floor((h - side) / 2), width: side, height: side };
}

/** One image as `size`x`size`x3 bytes. */
export async function decodeImage(
  path: string,
  t: ImageTransform,
  rng?: Rng,
): Promise<{ pixels: Buffer; flipped: boolean }> {
  try {
    const meta = await sharp(path).metadata();
    const w = meta.width!;
    const h = meta.height!;
    let image = sharp(path).removeAlpha().toColourspace('srgb');
    if (t.mode === 'random-resized' && rng) {
      image = image.extract(randomResizedCrop(w, h, rng)).resize(t.size, t.size, { fit: 'fill' });
    } else {
      const scale = t.resize / Math.min(w, h);
      const rw = Math.max(t.size, Math.round(w * scale));
      const rh = Math.max(t.size, Math.round(h * scale));
      image = image.resize(rw, rh, { fit: 'fill' }).extract({
        left: Math.floor((rw - t.size) / 2),
        top: Math.floor((rh - t.size) / 2),
        width: t.size,
        height: t.size,
      });
    }
    const flipped = t.flip && rng ? rng.uniform() < 0.5 : false;
    if (flipped) image = image.flop();
    return { pixels: await image.raw().toBuffer(), flipped };
  } catch (e) {
    throw new DataError(
      `${path}: cannot decode the image (${(e as Error).message.split('\n')[0]}). Remove or replace the file.`,
    );
  }
}

/** Streams the images at `indices` in batches; crops and flips draw from `rng` in index order. */
export async function* imageFolderBatches(
  folder: ImageFolder,
  indices: ArrayLike<number>,
  o: { batchSize: number; transform: ImageTransform; rng?: Rng },
): AsyncGenerator<Batch> {
  const t = o.transform;
  const per = t.size * t.size * 3;
  for (let start = 0; start < indices.length; start += o.batchSize) {
    const idx = Array.from({ length: Math.min(o.batchSize, indices.length - start) }, (_, i) => indices[start + i]);
    // Child generators are forked in order, so parallel decoding stays deterministic.
    const rngs = idx.map(() => o.rng?.fork());
    const decoded = await Promise.all(idx.map((k, i) => decodeImage(folder.files[k], t, rngs[i])));
    const x = tensorFromFill<tf.Rank.R4>([idx.length, t.size, t.size, 3], (out) => {
      decoded.forEach(({ pixels }, i) => {
        for (let p = 0; p < per; p++) out[i * per + p] = (pixels[p] / 255 - t.mean[p % 3]) / t.std[p % 3];
      });
    });
    yield {
      x,
      y: tf.tensor1d(
        idx.map((k) => folder.labels[k]),
        'int32',
      ),
    };
  }
}
