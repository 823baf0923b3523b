// Every EDNAS operation, both strides, odd and even sizes, batch > 1: gradients on wasm (with this
// project's kernels) equal those of the reference cpu backend within 1e-4 relative error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { OPS, OP_NAMES, type OpConfig, type OpName } from '../../src/space/ops.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';

const B = 2;
const C = 4;

interface Case { op: OpName; stride: 1 | 2; size: number; affine: boolean }

function gradients(c: Case, data: Float32Array[]): Float32Array[] {
  const cfg: OpConfig = { C, stride: c.stride, affine: c.affine, poolBatchNorm: !c.affine };
  const names = Object.keys(OPS[c.op].weightShapes(cfg));
  return tf.tidy(() => {
    const [xData, rData, ...wData] = data;
    const x = tf.tensor4d(xData, [B, c.size, c.size, C]);
    const shapes = OPS[c.op].weightShapes(cfg);
    const ws = names.map((n, i) => tf.tensor(wData[i], shapes[n]));
    const f = (xx: tf.Tensor, ...w: tf.Tensor[]) => {
      const y = OPS[c.op].forward(xx as tf.Tensor4D, Object.fromEntries(names.map((n, i) => [n, w[i]])), cfg);
      return tf.sum(tf.mul(y, tf.tensor(rData, y.shape)));
    };
    return tf.grads(f)([x, ...ws]).map((g) => g.dataSync() as Float32Array);
  });
}

const cases: Case[] = [];
for (const op of OP_NAMES) for (const stride of [1, 2] as const) for (const size of [7, 8]) cases.push({ op, stride, size, affine: false });
cases.push({ op: 'sep_conv_3x3', stride: 1, size: 8, affine: true }, { op: 'dil_conv_5x5', stride: 2, size: 9, affine: true });

for (const [i, c] of cases.entries()) {
  test(`${c.op} stride ${c.stride} size ${c.size}${c.affine ? ' affine' : ''}: wasm gradients equal cpu`, async () => {
    const next = rng(SEED + i);
    const cfg: OpConfig = { C, stride: c.stride, affine: c.affine, poolBatchNorm: !c.affine };
    const shapes = Object.values(OPS[c.op].weightShapes(cfg));
    const out = Math.ceil(c.size / c.stride);
    const data = [
      normals(B * c.size * c.size * C, next),
      normals(B * out * out * C, next),
      ...shapes.map((s) => normals(s.reduce((a, b) => a * b, 1), next)),
    ];
    const ref = await onBackend('cpu', () => gradients(c, data));
    const got = await onBackend('wasm', () => gradients(c, data));
    assert.equal(got.length, 1 + shapes.length);
    got.forEach((g, k) => {
      const err = relativeError(g, ref[k]);
      assert.ok(err < 1e-4, `gradient ${k} differs: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`);
    });
  });
}
