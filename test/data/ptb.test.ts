import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { batchify, bpttBatch, readPtb, tokenize, Vocabulary } from '../../src/data/ptb.ts';
import { tempDir } from '../helpers/fixtures.ts';

test('tokens are the words of each line plus <eos>; the vocabulary spans train, valid and test in order', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'ptb.train.txt'), ' the cat sat \n the dog\n');
  writeFileSync(join(dir, 'ptb.valid.txt'), ' a cat\n');
  writeFileSync(join(dir, 'ptb.test.txt'), ' <unk> N\n');
  const ptb = readPtb(dir);
  assert.deepEqual(ptb.vocabulary.words, ['the', 'cat', 'sat', '<eos>', 'dog', 'a', '<unk>', 'N']);
  assert.deepEqual([...ptb.train], [0, 1, 2, 3, 0, 4, 3]);
  assert.deepEqual([...ptb.valid], [5, 1, 3]);
  assert.deepEqual([...ptb.test], [6, 7, 3]);
  assert.equal(ptb.files.length, 3);
});

test('missing, empty and binary files are clear errors', () => {
  const dir = tempDir();
  assert.throws(() => readPtb(dir), /ptb\.train\.txt, ptb\.valid\.txt, ptb\.test\.txt missing .*ednas data ptb --dir/);
  writeFileSync(join(dir, 'ptb.train.txt'), '');
  writeFileSync(join(dir, 'ptb.valid.txt'), 'a\n');
  writeFileSync(join(dir, 'ptb.test.txt'), 'a\n');
  assert.throws(() => readPtb(dir), /ptb\.train\.txt is empty/);
  writeFileSync(join(dir, 'ptb.train.txt'), Buffer.from([0x61, 0, 0x62]));
  assert.throws(() => readPtb(dir), /ptb\.train\.txt contains NUL bytes/);
});

test('batchify lays out parallel streams as PyTorch does (data.view(bsz, -1).t())', () => {
  const tokens = Int32Array.from({ length: 11 }, (_, i) => i);
  const b = batchify(tokens, 2);
  assert.equal(b.steps, 5);
  // stream 0 = 0..4, stream 1 = 5..9; token 10 is dropped.
  assert.deepEqual([...b.data], [0, 5, 1, 6, 2, 7, 3, 8, 4, 9]);
  assert.throws(() => batchify(tokens, 8), /need at least 2 tokens per stream/);
});

test('bpttBatch gives inputs and the next tokens as targets, cutting the last window', () => {
  const b = batchify(
    Int32Array.from({ length: 20 }, (_, i) => i),
    2,
  ); // 10 steps
  const first = bpttBatch(b, 0, 4);
  assert.deepEqual(first.x.arraySync(), [
    [0, 10],
    [1, 11],
    [2, 12],
    [3, 13],
  ]);
  assert.deepEqual(first.y.arraySync(), [
    [1, 11],
    [2, 12],
    [3, 13],
    [4, 14],
  ]);
  const last = bpttBatch(b, 8, 4);
  assert.equal(last.length, 1);
  assert.deepEqual(last.y.arraySync(), [[9, 19]]);
  tf.dispose([first.x, first.y, last.x, last.y]);
  assert.throws(() => bpttBatch(b, 9, 4), RangeError);
});

test('the vocabulary assigns ids in first-seen order', () => {
  const v = new Vocabulary();
  assert.deepEqual([...tokenize('b a b\n', v)], [0, 1, 0, 2]);
  assert.equal(v.id('a'), 1);
  assert.equal(v.size, 3);
});
