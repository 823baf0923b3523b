// The hand-written gradients and shape tricks of the primitives equal the textbook definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { avgPool3x3, batchNorm, depthwise, subsample2, pointwise, BN_EPSILON } from '../../src/space/primitives.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';

const data = (shape: number[], next: () => number) =>
  tf.tensor(
    normals(
      shape.reduce((a, b) => a * b, 1),
      next,
    ),
    shape,
  );

function assertClose(a: tf.Tensor, b: tf.Tensor, what: string, tol = 1e-4) {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const err = relativeError(a.dataSync(), b.dataSync());
  assert.ok(err < tol, `${what}: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`);
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`batchNorm value and gradients equal the textbook formula on ${backend}`, async () => {
    await onBackend(backend, () =>
      tf.tidy(() => {
        const next = rng(SEED + 1);
        const x = data([3, 5, 4, 6], next);
        const r = data([3, 5, 4, 6], next);
        const gamma = data([6], next);
        const beta = data([6], next);
        const textbook = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const { mean, variance } = tf.moments(xx, [0, 1, 2]);
          return tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), g), b);
        };
        const ours = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor =>
          batchNorm(xx as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D);
        assertClose(ours(x, gamma, beta), textbook(x, gamma, beta), 'value');
        const loss = (f: typeof ours) => (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xx, g, b), r));
        const got = tf.grads(loss(ours))([x, gamma, beta]);
        const want = tf.grads(loss(textbook))([x, gamma, beta]);
        ['x', 'gamma', 'beta'].forEach((n, i) => {
          assertClose(got[i], want[i], `d${n}`);
        });
        const plain = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(batchNorm(xx as tf.Tensor4D), r)))(x);
        const plainRef = tf.grad((xx: tf.Tensor) =>
          tf.sum(tf.mul(textbook(xx, tf.onesLike(gamma), tf.zerosLike(beta)), r)),
        )(x);
        assertClose(plain, plainRef, 'dx without affine');
      }),
    );
  });

  test(`pointwise equals a 1x1 conv2d, value and gradients, on ${backend}`, async () => {
    await onBackend(backend, () =>
      tf.tidy(() => {
        const next = rng(SEED + 2);
        const x = data([2, 5, 5, 3], next);
        const w = data([1, 1, 3, 4], next);
        const r = data([2, 5, 5, 4], next);
        const f = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r));
        const got = tf.grads(f((a, b) => pointwise(a, b)))([x, w]);
        const want = tf.grads(f((a, b) => tf.conv2d(a, b, 1, 'valid')))([x, w]);
        assertClose(
          pointwise(x as tf.Tensor4D, w as tf.Tensor4D),
          tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'),
          'value',
        );
        assertClose(got[0], want[0], 'dx');
        assertClose(got[1], want[1], 'dw');
      }),
    );
  });
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(
    `[${backend}] subsample2 keeps every second pixel from offset 0 or 1, zero past the edge, and routes ` +
      `gradients back`,
    async () => {
      await onBackend(backend, () =>
        tf.tidy(() => {
          for (const size of [6, 7])
            for (const offset of [0, 1] as const) {
              const x = tf.add(tf.reshape(tf.range(0, 2 * size * size * 3), [2, size, size, 3]), 1) as tf.Tensor4D;
              const half = Math.ceil(size / 2);
              const picked = tf.stridedSlice(x, [0, offset, offset, 0], [2, size, size, 3], [1, 2, 2, 1]);
              const want = tf.pad(picked, [
                [0, 0],
                [0, half - picked.shape[1]!],
                [0, half - picked.shape[2]!],
                [0, 0],
              ]);
              const y = subsample2(x, offset);
              assert.deepEqual(y.shape, [2, half, half, 3]);
              assert.deepEqual(Array.from(y.dataSync()), Array.from(want.dataSync()), `size ${size} offset ${offset}`);
              // d sum(y * x_picked) / dx = x at the picked pixels, 0 elsewhere.
              const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(subsample2(t as tf.Tensor4D, offset), want)))(x);
              const mask = tf.tidy(() => {
                const ones = tf.onesLike(x);
                return tf.grad((t: tf.Tensor) => tf.sum(subsample2(t as tf.Tensor4D, offset)))(ones);
              });
              assert.deepEqual(Array.from(g.dataSync()), Array.from(tf.mul(x, mask).dataSync()));
              assert.equal(tf.sum(mask).dataSync()[0], picked.size);
            }
        }),
      );
    },
  );
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(
    `a stride-2 dilated depthwise convolution equals the stride-1 one read at even pixels (PyTorch semantics) ` +
      `on ${backend}`,
    async () => {
      await onBackend(backend, () =>
        tf.tidy(() => {
          const next = rng(SEED + 3);
          for (const [k, size] of [
            [3, 8],
            [5, 9],
            [3, 7],
            [5, 6],
          ]) {
            const x = data([2, size, size, 3], next) as tf.Tensor4D;
            const w = data([k, k, 3, 1], next) as tf.Tensor4D;
            const full = depthwise(x, w, 1, 2);
            const want = tf.stridedSlice(full, [0, 0, 0, 0], full.shape, [1, 2, 2, 1]);
            assertClose(depthwise(x, w, 2, 2), want, `k${k} size ${size}`);
          }
        }),
      );
    },
  );

  const avgPoolTitle = `avg_pool_3x3 averages the pixels inside the image and its gradient divides by the same counts`;
  test(`${avgPoolTitle} on ${backend}`, async () => {
    await onBackend(backend, () =>
      tf.tidy(() => {
        const next = rng(SEED + 4);
        for (const [stride, H, W] of [
          [1, 5, 6],
          [2, 7, 7],
          [2, 8, 6],
        ]) {
          const C = 3;
          const x = data([2, H, W, C], next) as tf.Tensor4D;
          const Ho = Math.ceil(H / stride),
            Wo = Math.ceil(W / stride);
          const r = data([2, Ho, Wo, C], next);
          // The textbook pooling matrix A, window by window: y = A x and d sum(y * r) / dx = A^T r.
          const xs = x.dataSync(),
            rs = r.dataSync();
          const y = new Float32Array(r.size),
            grad = new Float32Array(x.size);
          for (let b = 0; b < 2; b++)
            for (let i = 0; i < Ho; i++)
              for (let j = 0; j < Wo; j++) {
                const pixels: number[] = [];
                for (let u = i * stride - 1; u <= i * stride + 1; u++)
                  for (let v = j * stride - 1; v <= j * stride + 1; v++) {
                    if (u >= 0 && u < H && v >= 0 && v < W) pixels.push(((b * H + u) * W + v) * C);
                  }
                for (let c = 0; c < C; c++) {
                  const o = ((b * Ho + i) * Wo + j) * C + c;
                  for (const p of pixels) {
                    y[o] += xs[p + c] / pixels.length;
                    grad[p + c] += rs[o] / pixels.length;
                  }
                }
              }
          assertClose(avgPool3x3(x, stride), tf.tensor(y, r.shape), `value, stride ${stride} ${H}x${W}`);
          const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(avgPool3x3(t as tf.Tensor4D, stride), r)))(x);
          assertClose(g, tf.tensor(grad, x.shape), `gradient, stride ${stride} ${H}x${W}`);
        }
      }),
    );
  });
}
