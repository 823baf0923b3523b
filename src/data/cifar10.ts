// CIFAR-10 read from a folder in the official binary layout (cifar-10-batches-bin/), streamed file by file
// (Node). The layout itself, and decoding bytes already in memory (a browser's), are cifar10-decode.ts'.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DataError } from './errors.ts';
import { assertDataFile } from './data-file.ts';
import type { ImageSet } from './image-set.ts';
import * as tf from '@tensorflow/tfjs';
import { tensorFromFill } from '../backend/fill.ts';
import { byteNormalization, NO_AUGMENTATION, type Augmentation } from './augment.ts';
import type { Batch } from './batches.ts';
import {
  CIFAR10_CLASSES,
  CIFAR10_FOLDER,
  CIFAR10_META,
  CIFAR10_PIXELS,
  CIFAR10_PLANE,
  CIFAR10_RECORD,
  CIFAR10_SIDE,
  copyRecord,
  parseClassNames,
  sortTrainBatches,
  validateLabels,
  validateSize,
  type Cifar10,
  type DataFile,
} from './cifar10-decode.ts';

export {
  CIFAR10_CLASSES,
  CIFAR10_FOLDER,
  CIFAR10_RECORD,
  cifar10FromFiles,
  encodeCifar10,
  type Cifar10,
  type DataFile,
} from './cifar10-decode.ts';
const SIDE = CIFAR10_SIDE;
const PLANE = CIFAR10_PLANE;
const PIXELS = CIFAR10_PIXELS;
const CHUNK_RECORDS = 1000;

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
  return sortTrainBatches(readdirSync(folder));
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
  for (const f of [...train, 'test_batch.bin', CIFAR10_META]) {
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
    readRecords(l, names, files, (bytes, o, i) => copyRecord(bytes, o, i, images, labels));
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
  const path = join(folder, CIFAR10_META);
  return existsSync(path) ? parseClassNames(path, readFileSync(path, 'utf8')) : CIFAR10_CLASSES;
}
