// Repeated training steps through every new kernel and gradient keep tensor count and wasm heap flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { OPS, type OpConfig, type OpName } from '../../src/space/ops.ts';
import { onBackend } from '../helpers/backends.ts';

test('training steps on wasm leak no tensors and no heap memory', async () => {
  await onBackend('wasm', () => {
    const ops: OpName[] = ['sep_conv_3x3', 'dil_conv_5x5', 'max_pool_3x3', 'skip_connect'];
    const cfg: OpConfig = { C: 4, stride: 2, affine: true, poolBatchNorm: false };
    const weights = ops.map((op) =>
      Object.fromEntries(
        Object.entries(OPS[op].weightShapes(cfg)).map(([n, s]) => [n, tf.variable(tf.randomNormal(s, 0, 0.1))]),
      ),
    );
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const optimizer = tf.train.momentum(0.01, 0.9, true);
    const step = () =>
      optimizer.minimize(
        () => tf.addN(ops.map((op, i) => tf.sum(tf.square(OPS[op].forward(x, weights[i], cfg))))) as tf.Scalar,
        false,
      );
    step();
    step(); // optimizer slots are created on the first steps
    const before = tf.memory();
    for (let i = 0; i < 5; i++) step();
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors, 'tensor count after 5 more steps');
    assert.equal(after.numBytes, before.numBytes, 'bytes held after 5 more steps');
    optimizer.dispose();
    tf.dispose([x, ...weights.flatMap((w) => Object.values(w))]);
  });
});
