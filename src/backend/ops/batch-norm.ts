// Batch normalisation over [M, C] (pixels by channels): the fused kernels of ../kernels/batch-norm.ts on
// wasm, else tfjs ops with a hand-written gradient made of matmuls (on wasm, per-channel reductions over
// [0,1,2] are ~10x slower than a matmul).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { hasKernel } from '../kernels/fast.ts';
import { BATCH_MOMENTS, BATCH_NORM, BATCH_NORM_GRAD, CHANNEL_SUMS } from '../kernels/batch-norm.ts';
import { custom, rowSum } from './custom-grad.ts';

export const BN_EPSILON = 1e-5;

/** Per-channel mean of a [M, C] matrix as a [1, C] row: a ones-vector matmul. */
function channelMean(x: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.div(rowSum(x), x.shape[0]));
}

const normalize = custom((x: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
  const x2 = x as Tensor2D;
  const mean = channelMean(x2);
  const centered = tf.sub(x2, mean);
  const rstd = tf.rsqrt(tf.add(channelMean(tf.square(centered) as Tensor2D), BN_EPSILON));
  const xhat = tf.mul(centered, rstd);
  (save as tf.GradSaveFunc)([xhat, rstd]);
  tf.dispose([mean, centered]);
  return {
    value: xhat,
    // d xhat: rstd * (dy - mean(dy) - xhat * mean(dy * xhat)), the batch-statistics BN gradient.
    gradFunc: (dy, [xh, r]) =>
      tf.tidy(() =>
        tf.mul(r, tf.sub(tf.sub(dy, channelMean(dy as Tensor2D)), tf.mul(xh, channelMean(tf.mul(dy, xh) as Tensor2D)))),
      ),
  };
});

/** Normalises [M, C] by its batch statistics: one fused kernel each way on wasm. */
const normalizeFused = custom((x: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
  const [xhat, rstd] = tf.engine().runKernel(BATCH_NORM, { x: x as Tensor }, { epsilon: BN_EPSILON }) as Tensor[];
  (save as tf.GradSaveFunc)([xhat, rstd]);
  return {
    value: xhat,
    gradFunc: (dy, [xh, r]) => tf.engine().runKernel(BATCH_NORM_GRAD, { dy, xhat: xh, rstd: r }, {}) as Tensor,
  };
});

/** Per-channel sum of [M, C] as [C] (wasm's Sum over rows transposes first, ~50x slower than a matmul). */
const channelSum = (x: Tensor2D): Tensor1D => tf.tidy(() => tf.reshape(rowSum(x), [-1]));

type In = Tensor | tf.GradSaveFunc;
/** y [M, C] * gamma + beta, with gamma's and beta's gradients as channel sums (one SIMD pass on wasm). */
const affine = custom((y: In, gamma: In, beta: In, save: In) => {
  (save as tf.GradSaveFunc)([y as Tensor, gamma as Tensor]);
  return {
    value: tf.add(tf.mul(y as Tensor, gamma as Tensor), beta as Tensor),
    gradFunc: (dy, [ys, g]) =>
      tf.tidy(() => [
        tf.mul(dy, g),
        ...(hasKernel(CHANNEL_SUMS)
          ? (tf.engine().runKernel(CHANNEL_SUMS, { dy, y: ys }, {}) as Tensor[])
          : [channelSum(tf.mul(dy, ys) as Tensor2D), channelSum(dy as Tensor2D)]),
      ]),
  };
}) as (y: Tensor2D, gamma: Tensor1D, beta: Tensor1D) => Tensor2D;

/** Training or evaluation mode of batch norms that keep running statistics (PyTorch's default momentum 0.1). */
export interface BnMode {
  training: boolean;
  momentum: number;
}

/** A batch norm's running mean and variance, and its mode. */
export interface RunningStats extends BnMode {
  mean: tf.Variable;
  variance: tf.Variable;
}

/** Per-channel mean and biased variance of [M, C] (no gradient: for running statistics). */
function moments(x: Tensor2D): [Tensor, Tensor] {
  if (hasKernel(BATCH_MOMENTS)) return tf.engine().runKernel(BATCH_MOMENTS, { x }, {}) as Tensor[] as [Tensor, Tensor];
  const mean = channelMean(x);
  return [tf.reshape(mean, [-1]), tf.reshape(channelMean(tf.square(tf.sub(x, mean)) as Tensor2D), [-1])];
}

/**
 * Batch normalisation, affine when gamma and beta are given. With the batch's own statistics (the search,
 * and evaluation networks while training, which then move their running statistics as PyTorch does:
 * r <- (1 - momentum) r + momentum s, the variance unbiased), or (evaluation mode) with the running ones.
 */
export function batchNorm(x: Tensor4D, gamma?: Tensor1D, beta?: Tensor1D, running?: RunningStats): Tensor4D {
  return tf.tidy(() => {
    const C = x.shape[3];
    const flat = tf.reshape(x, [-1, C]) as Tensor2D;
    if (running && !running.training) {
      const y = tf.mul(tf.sub(flat, running.mean), tf.rsqrt(tf.add(running.variance, BN_EPSILON)));
      return tf.reshape(gamma && beta ? tf.add(tf.mul(y, gamma), beta) : y, x.shape);
    }
    if (running) {
      const M = flat.shape[0];
      const [mean, variance] = moments(flat);
      const m = running.momentum;
      running.mean.assign(tf.add(tf.mul(running.mean, 1 - m), tf.mul(mean, m)));
      const unbiased = tf.mul(variance, (m * M) / Math.max(1, M - 1));
      running.variance.assign(tf.add(tf.mul(running.variance, 1 - m), unbiased));
    }
    const y = (hasKernel(BATCH_NORM) ? normalizeFused(flat) : normalize(flat)) as Tensor2D;
    return tf.reshape(gamma && beta ? affine(y, gamma, beta) : y, x.shape);
  });
}
