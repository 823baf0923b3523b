// CIFAR-10's binary layout, decoded from bytes in memory: what Node's file reader (cifar10.ts) and a
// browser (files fetched, or picked from the reader's disk) share. Each record is 1 label byte and 3072
// pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32x32); any number of data_batch_N.bin files.
import { DataError } from './errors.ts';
import type { ImageSet } from './image-set.ts';
import { Sha256 } from '../io/sha256.ts';

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
export const CIFAR10_SIDE = 32;
export const CIFAR10_PLANE = CIFAR10_SIDE * CIFAR10_SIDE;
export const CIFAR10_PIXELS = CIFAR10_PLANE * 3;
export const CIFAR10_RECORD = 1 + CIFAR10_PIXELS;
/** The files of the binary version, test batch last. */
export const CIFAR10_FILES = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`).concat('test_batch.bin');
export const CIFAR10_META = 'batches.meta.txt';

export interface DataFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Cifar10 {
  train: ImageSet;
  test: ImageSet;
  classes: string[];
  /** The folder (or URL) the files were read from; '' for files picked from a disk. */
  dir: string;
  files: DataFile[];
}

/** A file's name and its bytes, as a file picker or a fetch gives them. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export const isTrainBatch = (name: string): boolean => /^data_batch_\d+\.bin$/.test(name);
const batchNumber = (name: string): number => Number(name.match(/\d+/)![0]);
/** Training batch names in their numeric order. */
export const sortTrainBatches = (names: string[]): string[] =>
  names.filter(isTrainBatch).sort((a, b) => batchNumber(a) - batchNumber(b));

export function validateSize(path: string, size: number): void {
  if (size === 0 || size % CIFAR10_RECORD !== 0) {
    throw new DataError(
      `${path}: ${size} bytes is not a whole number of CIFAR-10 records (${CIFAR10_RECORD} bytes each: ` +
        `1 label byte and 3072 pixel bytes). The file is truncated or is not a CIFAR-10 binary batch; download it ` +
        `again.`,
    );
  }
}

export function validateLabels(path: string, bytes: Uint8Array, firstRecord: number, classes: number): void {
  for (let o = 0; o < bytes.length; o += CIFAR10_RECORD) {
    if (bytes[o] >= classes) {
      throw new DataError(
        `${path}: record ${firstRecord + o / CIFAR10_RECORD} has label ${bytes[o]}, expected 0-${classes - 1}. This ` +
          `is not a CIFAR-10 binary batch (CIFAR-100 records have 2 label bytes); use the CIFAR-10 binary version.`,
      );
    }
  }
}

/** The class names of batches.meta.txt (one a line), checked. */
export function parseClassNames(path: string, text: string): string[] {
  const names = text
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

/** One record's label and planar pixels, from `bytes` at `o`, into NHWC bytes of image `i`. */
export function copyRecord(bytes: Uint8Array, o: number, i: number, images: Uint8Array, labels: Uint8Array): void {
  labels[i] = bytes[o];
  const dst = i * CIFAR10_PIXELS;
  for (let p = 0; p < CIFAR10_PLANE; p++)
    for (let c = 0; c < 3; c++) images[dst + 3 * p + c] = bytes[o + 1 + c * CIFAR10_PLANE + p];
}

/** Images and labels of whole batches in memory, checked, in the order given. */
export function decodeBatches(
  batches: NamedBytes[],
  name: string,
  classes: string[],
  files: DataFile[],
  dir = '',
): ImageSet {
  for (const b of batches) validateSize(b.name, b.bytes.length);
  const count = batches.reduce((n, b) => n + b.bytes.length / CIFAR10_RECORD, 0);
  const images = new Uint8Array(count * CIFAR10_PIXELS);
  const labels = new Uint8Array(count);
  let i = 0;
  for (const b of batches) {
    validateLabels(b.name, b.bytes, 0, classes.length);
    for (let o = 0; o < b.bytes.length; o += CIFAR10_RECORD) copyRecord(b.bytes, o, i++, images, labels);
    const path = dir ? `${dir.replace(/\/?$/, '/')}${b.name}` : b.name;
    files.push({ path, bytes: b.bytes.length, sha256: new Sha256().update(b.bytes).hex() });
  }
  return { name, images, labels, count, height: CIFAR10_SIDE, width: CIFAR10_SIDE, channels: 3, classes };
}

/**
 * CIFAR-10 from its binary batches held in memory (data_batch_N.bin, test_batch.bin, optionally
 * batches.meta.txt), e.g. files a reader picked from their disk. Other files are ignored; a name may carry
 * a folder (cifar-10-batches-bin/test_batch.bin).
 */
export function cifar10FromFiles(files: NamedBytes[], dir = ''): Cifar10 {
  const byName = new Map(files.map((f) => [f.name.replace(/^.*[\\/]/, ''), f.bytes]));
  const picked = [...byName.keys()].join(', ') || 'no files';
  const help =
    `Pick the files of the CIFAR-10 binary version (cifar-10-batches-bin/: data_batch_1.bin ... ` +
    `data_batch_5.bin and test_batch.bin, from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz).`;
  const train = sortTrainBatches([...byName.keys()]);
  if (train.length === 0) throw new DataError(`CIFAR-10: no data_batch_N.bin among ${picked}. ${help}`);
  if (!byName.has('test_batch.bin')) throw new DataError(`CIFAR-10: test_batch.bin is missing (${picked}). ${help}`);
  const meta = byName.get(CIFAR10_META);
  const classes = meta ? parseClassNames(CIFAR10_META, new TextDecoder().decode(meta)) : CIFAR10_CLASSES;
  const out: DataFile[] = [];
  const set = (names: string[], name: string) =>
    decodeBatches(
      names.map((n) => ({ name: n, bytes: byName.get(n)! })),
      name,
      classes,
      out,
      dir,
    );
  return {
    train: set(train, 'cifar10/train'),
    test: set(['test_batch.bin'], 'cifar10/test'),
    classes,
    dir,
    files: out,
  };
}

/** Encodes images in the official record layout (for samples and test fixtures). */
export function encodeCifar10(set: Pick<ImageSet, 'images' | 'labels' | 'count'>): Uint8Array {
  const out = new Uint8Array(set.count * CIFAR10_RECORD);
  for (let i = 0; i < set.count; i++) {
    const o = i * CIFAR10_RECORD;
    out[o] = set.labels[i];
    for (let p = 0; p < CIFAR10_PLANE; p++)
      for (let c = 0; c < 3; c++) out[o + 1 + c * CIFAR10_PLANE + p] = set.images[i * CIFAR10_PIXELS + 3 * p + c];
  }
  return out;
}
