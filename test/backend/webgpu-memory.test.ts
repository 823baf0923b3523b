// Training steps on webgpu (a supernet weight step through every operation kind, SGD with clipping on the
// device) keep the tensor count and the GPU bytes flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.ts';
import { OPS, type OpConfig, type OpName } from '../../src/space/ops.ts';
import { Sgd, sgdStepAsync } from '../../src/train/sgd.ts';
import { noWebGpu } from '../helpers/webgpu.ts';

test('training steps on webgpu leak no tensors and no GPU memory', { skip: noWebGpu }, async () => {
  await initBackend('webgpu');
  const ops: OpName[] = ['sep_conv_3x3', 'dil_conv_5x5', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect'];
  const cfg: OpConfig = { C: 4, stride: 2, affine: true, poolBatchNorm: false };
  const weights = new Map<string, tf.Variable>();
  ops.forEach((op) => {
    for (const [n, s] of Object.entries(OPS[op].weightShapes(cfg)))
      weights.set(`${op}.${n}`, tf.variable(tf.randomNormal(s, 0, 0.1)));
  });
  const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
  const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 3e-4, gradClip: 0.5 }, weights);
  const loss = () =>
    tf.addN(
      ops.map((op) => {
        const w = Object.fromEntries(
          Object.keys(OPS[op].weightShapes(cfg)).map((n) => [n, weights.get(`${op}.${n}`)!]),
        );
        return tf.sum(tf.square(OPS[op].forward(x, w, cfg)));
      }),
    ) as tf.Scalar;
  const step = () => sgdStepAsync(sgd, weights, [...weights.keys()], loss, 0.01);
  await step();
  await step();
  const gpuBytes = () => (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU;
  const before = { ...tf.memory(), gpu: gpuBytes() };
  let last = 0;
  for (let i = 0; i < 5; i++) last = (await step()).loss;
  const after = { ...tf.memory(), gpu: gpuBytes() };
  assert.ok(Number.isFinite(last), 'the loss is a number');
  assert.ok(sgd.lastGradNorm > 0, 'the gradient norm was read back');
  assert.equal(after.numTensors, before.numTensors, 'tensor count after 5 more steps');
  assert.equal(after.numBytes, before.numBytes, 'bytes held after 5 more steps');
  assert.equal(typeof after.gpu, 'number', 'the webgpu backend reports its GPU bytes');
  assert.equal(after.gpu, before.gpu, 'GPU bytes after 5 more steps');
  sgd.dispose();
  tf.dispose([x, ...weights.values()]);
});
