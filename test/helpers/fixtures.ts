// Data fixtures the tests write themselves: small CIFAR-10 folders, temporary directories.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { CIFAR10_CLASSES, CIFAR10_FOLDER, encodeCifar10 } from '../../src/data/cifar10.ts';
import { Rng } from '../../src/random/rng.ts';

/** A fresh directory removed when the test file ends. */
export function tempDir(prefix = 'ednas-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface FakeImages {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export function fakeImages(count: number, seed: number): FakeImages {
  const rng = new Rng(seed);
  const images = Uint8Array.from({ length: count * 3072 }, () => rng.int(256));
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { images, labels, count };
}

/** Writes cifar-10-batches-bin/ with `batches` training files of `perBatch` images and a test file. */
export function writeCifarFixture(
  root: string,
  batches: number,
  perBatch: number,
  seed: number,
): { train: FakeImages[]; test: FakeImages; folder: string } {
  const folder = join(root, CIFAR10_FOLDER);
  mkdirSync(folder, { recursive: true });
  const train = Array.from({ length: batches }, (_, b) => fakeImages(perBatch, seed + b));
  train.forEach((t, b) => {
    writeFileSync(join(folder, `data_batch_${b + 1}.bin`), encodeCifar10(t));
  });
  const test = fakeImages(perBatch, seed + 100);
  writeFileSync(join(folder, 'test_batch.bin'), encodeCifar10(test));
  writeFileSync(join(folder, 'batches.meta.txt'), `${CIFAR10_CLASSES.join('\n')}\n\n`);
  return { train, test, folder };
}

/**
 * Writes ptb.{train,valid,test}.txt of sentences from a tiny seeded grammar (a learnable language of 16
 * words); returns the folder.
 */
export function writePtbFixture(root: string, seed: number, lines = { train: 300, valid: 40, test: 40 }): string {
  const rng = new Rng(seed);
  const subjects = ['the cat', 'a dog', 'the bank', 'a trader'];
  const verbs = ['sees', 'buys', 'sells', 'likes'];
  const objects = ['the stock', 'a bond', 'the fish', 'N shares'];
  const sentence = () => `${subjects[rng.int(4)]} ${verbs[rng.int(4)]} ${objects[rng.int(4)]}`;
  const dir = join(root, 'ptb');
  mkdirSync(dir, { recursive: true });
  for (const [name, n] of Object.entries(lines))
    writeFileSync(join(dir, `ptb.${name}.txt`), Array.from({ length: n }, () => ` ${sentence()} \n`).join(''));
  return dir;
}
