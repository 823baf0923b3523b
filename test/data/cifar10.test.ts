import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  CIFAR10_CLASSES,
  CIFAR10_RECORD,
  hasCifar10,
  readCifar10,
  readCifar10Tensors,
} from '../../src/data/cifar10.ts';
import { toTensors } from '../../src/data/batches.ts';
import { onBackend } from '../helpers/backends.ts';
import { DataError } from '../../src/data/errors.ts';
import { classCounts } from '../../src/data/image-set.ts';
import { CIFAR10_SAMPLE } from '../../src/data/locate.ts';
import { tempDir, writeCifarFixture } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';

test('reads any number of data_batch_N.bin in numeric order, as NHWC bytes with labels', () => {
  const root = tempDir();
  const fx = writeCifarFixture(root, 3, 20, SEED);
  // data_batch_10 must sort after data_batch_2.
  writeFileSync(join(fx.folder, 'data_batch_10.bin'), readFileSync(join(fx.folder, 'data_batch_1.bin')));
  const data = readCifar10(root);
  assert.equal(data.train.count, 80);
  assert.equal(data.test.count, 20);
  assert.deepEqual(data.classes, CIFAR10_CLASSES);
  assert.equal(data.files.length, 5);
  assert.match(data.files[0].sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    data.train.images.subarray(0, 60 * 3072),
    new Uint8Array(Buffer.concat(fx.train.map((t) => t.images))),
  );
  assert.deepEqual(data.train.images.subarray(60 * 3072), fx.train[0].images);
  assert.deepEqual(data.test.labels, fx.test.labels);
  // Planar record to interleaved pixel: pixel (0, 1) green is record byte 1 + 1024 + 1.
  const record = readFileSync(join(fx.folder, 'test_batch.bin'));
  assert.equal(data.test.images[3 * 1 + 1], record[1 + 1024 + 1]);
});

test('accepts the cifar-10-batches-bin folder itself', () => {
  const root = tempDir();
  const fx = writeCifarFixture(root, 1, 10, SEED);
  assert.equal(readCifar10(fx.folder).train.count, 10);
  assert.ok(hasCifar10(root) && hasCifar10(fx.folder));
});

test('a truncated batch is an error naming the file and the record size', () => {
  const root = tempDir();
  const fx = writeCifarFixture(root, 2, 10, SEED);
  truncateSync(join(fx.folder, 'data_batch_2.bin'), CIFAR10_RECORD * 10 - 100);
  assert.throws(
    () => readCifar10(root),
    (e: Error) =>
      e instanceof DataError &&
      /data_batch_2\.bin: 30630 bytes is not a whole number of CIFAR-10 records \(3073 bytes/.test(e.message),
  );
});

test('a foreign file (CIFAR-100 style labels) is an error naming the record', () => {
  const root = tempDir();
  const fx = writeCifarFixture(root, 1, 10, SEED);
  const bytes = readFileSync(join(fx.folder, 'test_batch.bin'));
  bytes[CIFAR10_RECORD * 3] = 57;
  writeFileSync(join(fx.folder, 'test_batch.bin'), bytes);
  assert.throws(() => readCifar10(root), /test_batch\.bin: record 3 has label 57, expected 0-9/);
});

test('missing folder, missing files and a bad class list are clear errors', () => {
  const root = tempDir();
  assert.throws(() => readCifar10(join(root, 'nope')), /folder .*nope does not exist.*ednas data cifar10 --dir/);
  const fx = writeCifarFixture(root, 1, 10, SEED);
  appendFileSync(join(fx.folder, 'batches.meta.txt'), 'unicorn\n');
  assert.throws(() => readCifar10(root), /batches\.meta\.txt: expected the 10 CIFAR-10 class names.*found 11/);
  rmSync(join(fx.folder, 'test_batch.bin'));
  assert.throws(() => readCifar10(root), /test_batch\.bin is missing/);
  rmSync(join(fx.folder, 'data_batch_1.bin'));
  assert.throws(() => readCifar10(root), /no data_batch_N\.bin/);
});

test('the bundled sample is real CIFAR-10 in the official layout, balanced over the classes', () => {
  const data = readCifar10(CIFAR10_SAMPLE);
  assert.equal(data.train.count, 1600);
  assert.equal(data.test.count, 400);
  assert.deepEqual(classCounts(data.train.labels, 10), new Array(10).fill(160));
  assert.deepEqual(classCounts(data.test.labels, 10), new Array(10).fill(40));
});

test('readCifar10Tensors equals the byte loader followed by toTensors, and leaks nothing on a corrupt file', () =>
  onBackend('wasm', () => {
    const root = tempDir();
    const fx = writeCifarFixture(root, 2, 10, SEED);
    const direct = readCifar10Tensors(root);
    const bytes = readCifar10(root);
    const viaBytes = toTensors(bytes.train);
    assert.deepEqual(direct.train.x.shape, [20, 32, 32, 3]);
    assert.deepEqual([...direct.train.x.dataSync()], [...viaBytes.x.dataSync()]);
    assert.deepEqual([...direct.test.y.dataSync()], [...bytes.test.labels]);
    assert.deepEqual(
      direct.files.map((f) => f.sha256),
      bytes.files.map((f) => f.sha256),
    );
    tf.dispose([direct.train, direct.test, viaBytes]);
    const before = tf.memory().numTensors;
    const raw = readFileSync(join(fx.folder, 'data_batch_2.bin'));
    raw[CIFAR10_RECORD * 9] = 200;
    writeFileSync(join(fx.folder, 'data_batch_2.bin'), raw);
    assert.throws(() => readCifar10Tensors(root), /data_batch_2\.bin: record 9 has label 200/);
    assert.equal(tf.memory().numTensors, before);
  }));
