// x [M, K] @ w [K, N] with a hand-written gradient. On wasm the forward product is our SIMD kernel when w
// is small enough to stay in cache (faster than XNNPACK's), and the gradients avoid tfjs' transposed
// products, which the wasm backend runs without XNNPACK (ten times slower).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { hasKernel } from '../kernels/fast.ts';
import { MATMUL_AT_B, MATMUL_SMALL, MATMUL_SMALL_MAX_W } from '../kernels/matmul.ts';
import { custom } from './custom-grad.ts';

const matMul = (x: Tensor, w: Tensor): Tensor =>
  w.size <= MATMUL_SMALL_MAX_W && hasKernel(MATMUL_SMALL)
    ? (tf.engine().runKernel(MATMUL_SMALL, { a: x, b: w }, {}) as Tensor)
    : tf.matMul(x as Tensor2D, w as Tensor2D);

/** x^T dy: our kernel on wasm. */
const matMulAtB = (x: Tensor, dy: Tensor): Tensor =>
  hasKernel(MATMUL_AT_B)
    ? (tf.engine().runKernel(MATMUL_AT_B, { a: x, b: dy }, {}) as Tensor)
    : tf.matMul(tf.transpose(x) as Tensor2D, dy as Tensor2D);

/** x [M, K] @ w [K, N]; gradients dy @ w^T (w transposed first) and x^T dy. */
type In = Tensor | tf.GradSaveFunc;

export const linear = custom((x: In, w: In, save: In) => {
  (save as tf.GradSaveFunc)([x as Tensor, w as Tensor]);
  return {
    value: matMul(x as Tensor, w as Tensor),
    gradFunc: (dy, [xs, ws]) => tf.tidy(() => [matMul(dy, tf.transpose(ws)), matMulAtB(xs, dy)]),
  };
}) as (x: Tensor2D, w: Tensor2D) => Tensor2D;
