// The SIMD kernels (src/backend/simd) against plain tfjs ops on the cpu backend, on channel counts that
// take the vector path (multiples of 4) and the scalar path, through the primitives that use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';
import { hasKernel } from '../../src/backend/kernels/register.ts';
import { batchNorm, concatChannels, depthwise, maxPool3x3, pointwise } from '../../src/space/primitives.ts';

const msg = `seed ${SEED}`;

/** Value and input gradients of sum(f(inputs) * r), as arrays, on one backend. */
async function valueAndGrads(
  backend: 'wasm' | 'cpu',
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: { data: Float32Array; shape: number[] }[],
  r: Float32Array,
) {
  return onBackend(backend, () =>
    tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.data, i.shape));
      const y = f(...xs);
      const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), tf.tensor(r, y.shape))))(xs);
      return [y.dataSync() as Float32Array, ...grads.map((g) => g.dataSync() as Float32Array)];
    }),
  );
}

async function agree(
  name: string,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  shapes: number[][],
  outSize: number,
  seed: number,
) {
  const next = rng(seed);
  const inputs = shapes.map((shape) => ({
    shape,
    data: normals(
      shape.reduce((a, b) => a * b, 1),
      next,
    ),
  }));
  const r = normals(outSize, next);
  const [w, c] = [await valueAndGrads('wasm', f, inputs, r), await valueAndGrads('cpu', f, inputs, r)];
  w.forEach((v, k) => {
    assert.ok(relativeError(v, c[k]) < 2e-4, `${msg} ${name} output ${k}: ${relativeError(v, c[k])}`);
  });
}

test('the SIMD kernels are registered on wasm', () =>
  onBackend('wasm', () => {
    for (const k of [
      'EdnasBatchNorm',
      'EdnasBatchNormGrad',
      'EdnasMaxPool3x3Grad',
      'EdnasConcatChannels',
      'EdnasSplitChannels',
      'EdnasMatMulAtB',
      'EdnasMatMulSmall',
    ])
      assert.ok(hasKernel(k), k);
  }));

for (const C of [8, 6]) {
  test(`batch norm, value and gradient, C=${C}`, () =>
    agree('bn', (x) => batchNorm(x as tf.Tensor4D), [[3, 5, 7, C]], 3 * 5 * 7 * C, SEED + C));
  test(`1x1 convolution, value and gradients, C=${C}`, () =>
    agree(
      'pointwise',
      (x, w) => pointwise(x as tf.Tensor4D, w as tf.Tensor4D),
      [
        [2, 5, 6, C],
        [1, 1, C, C + 4],
      ],
      2 * 5 * 6 * (C + 4),
      SEED + C,
    ));
  for (const [k, stride, dilation] of [
    [3, 1, 1],
    [3, 2, 1],
    [3, 1, 2],
    [3, 2, 2],
    [5, 1, 1],
    [5, 2, 2],
  ]) {
    test(`depthwise ${k}x${k} convolution, stride ${stride}, dilation ${dilation}, value and gradients, C=${C}`, () => {
      const out = (n: number) => Math.ceil(n / stride);
      return agree(
        'depthwise',
        (x, f) => depthwise(x as tf.Tensor4D, f as tf.Tensor4D, stride, dilation),
        [
          [2, 9, 7, C],
          [k, k, C, 1],
        ],
        2 * out(9) * out(7) * C,
        SEED + C + k,
      );
    });
  }
  for (const k of [3, 5]) {
    test(`depthwise ${k}x${k} convolution, valid padding, value and gradients, C=${C}`, () =>
      agree(
        'depthwise',
        (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'),
        [
          [2, 9, 7, C],
          [k, k, C, 1],
        ],
        2 * (10 - k) * (8 - k) * C,
        SEED + C + k,
      ));
  }
  // Rows not a multiple of the kernel's 4, and output channels past its blocks of 8 and 4.
  test(`1x1 convolution, ragged sizes, C=${C}`, () =>
    agree(
      'pointwise',
      (x, w) => pointwise(x as tf.Tensor4D, w as tf.Tensor4D),
      [
        [1, 5, 7, C],
        [1, 1, C, 2 * C + 1],
      ],
      5 * 7 * (2 * C + 1),
      SEED + C,
    ));
  test(`channel concat and its gradient, C=${C}`, () =>
    agree(
      'concat',
      (a, b, c) => concatChannels([a, b, c] as tf.Tensor4D[]),
      [
        [2, 3, 4, C],
        [2, 3, 4, 2],
        [2, 3, 4, C],
      ],
      2 * 3 * 4 * (2 * C + 2),
      SEED + C,
    ));
  for (const stride of [1, 2]) {
    test(`3x3 max pool gradient (negative windows too), stride ${stride}, C=${C}`, () => {
      const o = Math.floor((7 + 2 - 3) / stride) + 1;
      return agree(
        'maxpool',
        (x) => maxPool3x3(tf.sub(x, 3) as tf.Tensor4D, stride),
        [[2, 7, 7, C]],
        2 * o * o * C,
        SEED + C + stride,
      );
    });
  }
}
