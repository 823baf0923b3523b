// CIFAR-10 in the official binary layout (cifar-10-batches-bin/): each record is 1 label byte and 3072 pixel
// bytes (1024 red, 1024 green, 1024 blue, row-major 32x32). Any number of data_batch_N.bin files.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { assertDataFile, DataError } from './errors.ts';
import type { ImageSet } from './image-set.ts';
import * as tf from '@tensorflow/tfjs';
import { tensorFromFill } from '../backend/fill.ts';
import { byteNormalization, NO_AUGMENTATION, type Augmentation } from './augment.ts';
import type { Batch } from './batches.ts';

export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
export const CIFAR10_FOLDER = 'cifar-10-batches-bin';
const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = PLANE * 3;
export const CIFAR10_RECORD = 1 + PIXELS;
const CHUNK_RECORDS = 1000;

export interface DataFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Cifar10 {
  train: ImageSet;
  test: ImageSet;
  classes: string[];
  /** The folder the files were read from. */
  dir: string;
  files: DataFile[];
}

const layoutHelp = (dir: string) =>
  `Run 'ednas data cifar10 --dir ${dir}' to download it, or pass a folder that holds ${CIFAR10_FOLDER}/ ` +
  `(data_batch_1.bin ... data_batch_5.bin, test_batch.bin, batches.meta.txt).`;

/** The folder holding the .bin files: `dir` itself or its cifar-10-batches-bin/ child. */
export function cifar10Folder(dir: string): string {
  if (!existsSync(dir)) throw new DataError(`CIFAR-10 not found: the folder ${dir} does not exist. ${layoutHelp(dir)}`);
  const nested = join(dir, CIFAR10_FOLDER);
  return existsSync(nested) && statSync(nested).isDirectory() ? nested : dir;
}

/** True when `dir` holds a CIFAR-10 binary layout (it is not validated). */
export function hasCifar10(dir: string): boolean {
  try {
    const folder = cifar10Folder(dir);
    return existsSync(join(folder, 'test_batch.bin')) && trainFiles(folder).length > 0;
  } catch {
    return false;
  }
}

function trainFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => /^data_batch_\d+\.bin$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
}

interface Layout {
  folder: string;
  classes: string[];
  train: string[];
  test: string[];
}

function layout(dir: string): Layout {
  const folder = cifar10Folder(dir);
  const train = trainFiles(folder);
  if (train.length === 0) throw new DataError(`CIFAR-10: no data_batch_N.bin in ${folder}. ${layoutHelp(dir)}`);
  if (!existsSync(join(folder, 'test_batch.bin')))
    throw new DataError(`CIFAR-10: test_batch.bin is missing from ${folder}. ${layoutHelp(dir)}`);
  for (const f of [...train, 'test_batch.bin', 'batches.meta.txt']) {
    assertDataFile(join(folder, f), 'a CIFAR-10 data file');
  }
  return { folder, classes: readClassNames(folder), train, test: ['test_batch.bin'] };
}

/**
 * Streams the files in chunks through one small buffer (a whole data set's bytes are never in memory at once),
 * validating and hashing as it goes, and hands each record (label byte, then planar pixels) to `visit` with
 * its running index. Returns the record count.
 */
function readRecords(
  l: Layout,
  names: string[],
  files: DataFile[],
  visit: (bytes: Uint8Array, offset: number, index: number) => void,
): number {
  const chunk = Buffer.allocUnsafe(CHUNK_RECORDS * CIFAR10_RECORD);
  let index = 0;
  for (const f of names) {
    const path = join(l.folder, f);
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      validateSize(path, size);
      const hash = createHash('sha256');
      for (let pos = 0, record = 0; pos < size; ) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
        const bytes = chunk.subarray(0, n);
        validateLabels(path, bytes, record, l.classes.length);
        hash.update(bytes);
        for (let o = 0; o < n; o += CIFAR10_RECORD) visit(bytes, o, index++);
        pos += n;
        record += n / CIFAR10_RECORD;
      }
      files.push({ path, bytes: size, sha256: hash.digest('hex') });
    } finally {
      closeSync(fd);
    }
  }
  return index;
}

const recordCount = (l: Layout, names: string[]) =>
  names.reduce((n, f) => n + Math.floor(statSync(join(l.folder, f)).size / CIFAR10_RECORD), 0);

/** CIFAR-10 as bytes (1 byte a pixel, NHWC): the form training batches and augmentation are cut from. */
export function readCifar10(dir: string): Cifar10 {
  const l = layout(dir);
  const files: DataFile[] = [];
  const read = (names: string[], name: string): ImageSet => {
    const count = recordCount(l, names);
    const images = new Uint8Array(count * PIXELS);
    const labels = new Uint8Array(count);
    readRecords(l, names, files, (bytes, o, i) => {
      labels[i] = bytes[o];
      const dst = i * PIXELS;
      for (let p = 0; p < PLANE; p++)
        for (let c = 0; c < 3; c++) images[dst + 3 * p + c] = bytes[o + 1 + c * PLANE + p];
    });
    return { name, images, labels, count, height: SIDE, width: SIDE, channels: 3, classes: l.classes };
  };
  return {
    train: read(l.train, 'cifar10/train'),
    test: read(l.test, 'cifar10/test'),
    classes: l.classes,
    dir: l.folder,
    files,
  };
}

export interface Cifar10Tensors {
  train: Batch;
  test: Batch;
  classes: string[];
  files: DataFile[];
}

/** CIFAR-10 straight into normalized float32 tensors ([N, 32, 32, 3] and [N] labels), file by file. */
export function readCifar10Tensors(
  dir: string,
  norm: Pick<Augmentation, 'mean' | 'std'> = NO_AUGMENTATION,
): Cifar10Tensors {
  const l = layout(dir);
  const files: DataFile[] = [];
  const { scale, shift } = byteNormalization(norm);
  const read = (names: string[]): Batch => {
    const count = recordCount(l, names);
    const labels = new Int32Array(count);
    const x = tensorFromFill<tf.Rank.R4>([count, SIDE, SIDE, 3], (out) =>
      readRecords(l, names, files, (bytes, o, i) => {
        labels[i] = bytes[o];
        const dst = i * PIXELS;
        for (let p = 0; p < PLANE; p++)
          for (let c = 0; c < 3; c++) out[dst + 3 * p + c] = bytes[o + 1 + c * PLANE + p] * scale[c] + shift[c];
      }),
    );
    return { x, y: tf.tensor1d(labels, 'int32') };
  };
  return { train: read(l.train), test: read(l.test), classes: l.classes, files };
}

function readClassNames(folder: string): string[] {
  const path = join(folder, 'batches.meta.txt');
  if (!existsSync(path)) return CIFAR10_CLASSES;
  const names = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length !== 10) {
    throw new DataError(
      `${path}: expected the 10 CIFAR-10 class names, one a line; found ${names.length}. Restore the file from the ` +
        `official archive.`,
    );
  }
  return names;
}

function validateSize(path: string, size: number): void {
  if (size === 0 || size % CIFAR10_RECORD !== 0) {
    throw new DataError(
      `${path}: ${size} bytes is not a whole number of CIFAR-10 records (${CIFAR10_RECORD} bytes each: ` +
        `1 label byte and 3072 pixel bytes). The file is truncated or is not a CIFAR-10 binary batch; download it ` +
        `again.`,
    );
  }
}

function validateLabels(path: string, bytes: Uint8Array, firstRecord: number, classes: number): void {
  for (let o = 0; o < bytes.length; o += CIFAR10_RECORD) {
    if (bytes[o] >= classes) {
      throw new DataError(
        `${path}: record ${firstRecord + o / CIFAR10_RECORD} has label ${bytes[o]}, expected 0-${classes - 1}. This ` +
          `is not a CIFAR-10 binary batch (CIFAR-100 records have 2 label bytes); use the CIFAR-10 binary version.`,
      );
    }
  }
}

/** Encodes images in the official record layout (for samples and test fixtures). */
export function encodeCifar10(set: Pick<ImageSet, 'images' | 'labels' | 'count'>): Uint8Array {
  const out = new Uint8Array(set.count * CIFAR10_RECORD);
  for (let i = 0; i < set.count; i++) {
    const o = i * CIFAR10_RECORD;
    out[o] = set.labels[i];
    for (let p = 0; p < PLANE; p++)
      for (let c = 0; c < 3; c++) out[o + 1 + c * PLANE + p] = set.images[i * PIXELS + 3 * p + c];
  }
  return out;
}
