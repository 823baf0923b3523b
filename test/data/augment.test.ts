import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batches, makeBatch, toTensors } from '../../src/data/batches.ts';
import {
  CIFAR10_MEAN,
  CIFAR10_STD,
  EVAL_AUGMENTATION,
  NO_AUGMENTATION,
  SEARCH_AUGMENTATION,
} from '../../src/data/augment.ts';
import type { ImageSet } from '../../src/data/image-set.ts';
import { Rng } from '../../src/random/rng.ts';
import { fakeImages } from '../helpers/fixtures.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED } from '../helpers/random.ts';

const fake = fakeImages(20, SEED);
const set: ImageSet = {
  name: 'fake',
  ...fake,
  height: 32,
  width: 32,
  channels: 3,
  classes: Array.from({ length: 10 }, (_, i) => `c${i}`),
};
const msg = `seed ${SEED}`;
const pixel = (i: number, y: number, x: number, c: number) =>
  (set.images[i * 3072 + (y * 32 + x) * 3 + c] / 255 - CIFAR10_MEAN[c]) / CIFAR10_STD[c];

for (const backend of ['wasm', 'cpu'] as const) {
  test(`[${backend}] without augmentation a batch is the normalized images and labels`, () =>
    onBackend(backend, () => {
      const b = makeBatch(set, [3, 7]);
      assert.deepEqual(b.x.shape, [2, 32, 32, 3]);
      assert.deepEqual([...b.y.dataSync()], [3, 7]);
      const x = b.x.dataSync();
      assert.ok(Math.abs(x[3072 + (5 * 32 + 9) * 3 + 2] - pixel(7, 5, 9, 2)) < 1e-5);
      tf.dispose(b);
    }));
}

test('crop and flip move pixels by at most the padding and fill the border with normalized black', () =>
  onBackend('wasm', () => {
    const b = makeBatch(set, [0], SEARCH_AUGMENTATION, new Rng(SEED));
    const x = b.x.dataSync();
    const fits = (dy: number, dx: number, flip: boolean) => {
      for (let y = 0; y < 32; y++)
        for (let xx = 0; xx < 32; xx++) {
          const sy = y + dy;
          const sx = (flip ? 31 - xx : xx) + dx;
          const want = sy < 0 || sy > 31 || sx < 0 || sx > 31 ? -CIFAR10_MEAN[0] / CIFAR10_STD[0] : pixel(0, sy, sx, 0);
          if (Math.abs(x[(y * 32 + xx) * 3] - want) > 1e-5) return false;
        }
      return true;
    };
    let matches = 0;
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) for (const f of [false, true]) if (fits(dy, dx, f)) matches++;
    assert.equal(matches, 1, msg);
    tf.dispose(b);
  }));

test('cutout zeroes a square of at most 16x16 pixels in every channel', () =>
  onBackend('wasm', () => {
    const aug = { ...EVAL_AUGMENTATION, cropPadding: 0, flip: false };
    const b = makeBatch(set, [1, 2, 4], aug, new Rng(SEED));
    const x = b.x.arraySync() as number[][][][];
    for (let i = 0; i < 3; i++) {
      const zero = x[i].flatMap((row) => row.filter((p) => p.every((v) => v === 0))).length;
      assert.ok(zero > 0 && zero <= 256, `${msg}: ${zero} zeroed pixels`);
    }
    tf.dispose(b);
  }));

test('the same seed gives the same batches; batches cover the indices once and are disposed by the caller', () =>
  onBackend('wasm', () => {
    const run = (seed: number) => {
      const out: number[][] = [];
      for (const b of batches(set, [...Array(20).keys()], {
        batchSize: 8,
        augmentation: EVAL_AUGMENTATION,
        rng: new Rng(seed),
      })) {
        out.push([...b.y.dataSync(), ...b.x.dataSync().subarray(0, 50)]);
        tf.dispose([b.x, b.y]);
      }
      return out;
    };
    const before = tf.memory().numTensors;
    const a = run(SEED);
    assert.deepEqual(a, run(SEED));
    assert.notDeepEqual(a, run(SEED + 1));
    assert.equal(tf.memory().numTensors, before);
    const seen: number[] = [];
    for (const b of batches(set, [...Array(20).keys()], { batchSize: 8, dropLast: true })) {
      seen.push(...b.indices);
      tf.dispose([b.x, b.y]);
    }
    assert.deepEqual(seen, [...Array(16).keys()]);
  }));

test('toTensors holds a whole set', () =>
  onBackend('wasm', () => {
    const t = toTensors(set, NO_AUGMENTATION);
    assert.deepEqual(t.x.shape, [20, 32, 32, 3]);
    assert.equal(t.y.shape[0], 20);
    tf.dispose(t);
  }));
