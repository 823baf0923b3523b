// Building blocks of the EDNAS operations, in DARTS' conventions (NHWC, PyTorch-style symmetric
// padding so that shapes and numbers match the reference implementation). Batch norm and the 1x1
// convolution carry hand-written gradients made of plain matmuls: on wasm, per-channel reductions
// over [0,1,2] and the stock 1x1 Conv2DBackpropInput are each ~10x slower than a matmul.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { hasKernel } from '../backend/kernels/register.ts';
import { BATCH_MOMENTS, BATCH_NORM, BATCH_NORM_GRAD, CHANNEL_SUMS } from '../backend/kernels/batch-norm.ts';
import { MAX_POOL_3X3_GRAD } from '../backend/kernels/max-pool-grad.ts';
import { CONCAT_CHANNELS, SPLIT_CHANNELS } from '../backend/kernels/channel-concat.ts';
import { MATMUL_AT_B, MATMUL_SMALL, MATMUL_SMALL_MAX_W } from '../backend/kernels/matmul.ts';
import { SUBSAMPLE2, SUBSAMPLE2_GRAD } from '../backend/kernels/subsample.ts';
import { RELU_GRAD } from '../backend/kernels/relu-grad.ts';

export const BN_EPSILON = 1e-5;

type CustomFn = Parameters<typeof tf.customGrad>[0];
const custom = (f: (...args: Array<Tensor | tf.GradSaveFunc>) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[] }) =>
  tf.customGrad(f as unknown as CustomFn);

/** Per-channel mean of a [M, C] matrix as a [1, C] row: a ones-vector matmul. */
function channelMean(x: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.div(tf.matMul(tf.ones([1, x.shape[0]]), x), x.shape[0]));
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
    gradFunc: (dy, [xh, r]) => tf.tidy(() => tf.mul(r, tf.sub(tf.sub(dy, channelMean(dy as Tensor2D)),
      tf.mul(xh, channelMean(tf.mul(dy, xh) as Tensor2D))))),
  };
});

/** Normalises [M, C] by its batch statistics: one fused kernel each way on wasm, tfjs ops elsewhere. */
const normalizeFused = custom((x: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
  const [xhat, rstd] = tf.engine().runKernel(BATCH_NORM, { x: x as Tensor }, { epsilon: BN_EPSILON }) as Tensor[];
  (save as tf.GradSaveFunc)([xhat, rstd]);
  return { value: xhat, gradFunc: (dy, [xh, r]) => tf.engine().runKernel(BATCH_NORM_GRAD, { dy, xhat: xh, rstd: r }, {}) as Tensor };
});

/** Per-channel sum of a [M, C] matrix as a [C] vector: a ones-vector matmul (wasm's Sum over rows transposes first, ~50x slower). */
const channelSum = (x: Tensor2D): Tensor1D => tf.tidy(() => tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [-1]));

/** y [M, C] * gamma + beta, with gamma's and beta's gradients as channel sums (one SIMD pass on wasm). */
const affine = custom((y: Tensor | tf.GradSaveFunc, gamma: Tensor | tf.GradSaveFunc, beta: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
  (save as tf.GradSaveFunc)([y as Tensor, gamma as Tensor]);
  return {
    value: tf.add(tf.mul(y as Tensor, gamma as Tensor), beta as Tensor),
    gradFunc: (dy, [ys, g]) => tf.tidy(() => [tf.mul(dy, g), ...(hasKernel(CHANNEL_SUMS)
      ? tf.engine().runKernel(CHANNEL_SUMS, { dy, y: ys }, {}) as Tensor[]
      : [channelSum(tf.mul(dy, ys) as Tensor2D), channelSum(dy as Tensor2D)])]),
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
      running.variance.assign(tf.add(tf.mul(running.variance, 1 - m), tf.mul(variance, (m * M) / Math.max(1, M - 1))));
    }
    const y = (hasKernel(BATCH_NORM) ? normalizeFused(flat) : normalize(flat)) as Tensor2D;
    return tf.reshape(gamma && beta ? affine(y, gamma, beta) : y, x.shape);
  });
}

/** x [M, K] @ w [K, N]: on wasm, with w small enough to stay in cache, our kernel, faster than XNNPACK's. */
const matMul = (x: Tensor, w: Tensor): Tensor =>
  w.size <= MATMUL_SMALL_MAX_W && hasKernel(MATMUL_SMALL) ? (tf.engine().runKernel(MATMUL_SMALL, { a: x, b: w }, {}) as Tensor) : tf.matMul(x as Tensor2D, w as Tensor2D);

/**
 * x [M, K] @ w [K, N]. Its gradients avoid tfjs' transposed matrix products, which the wasm backend runs
 * without XNNPACK (ten times slower): dy @ w^T with w transposed first, and x^T dy by our kernel.
 */
export const linear = custom((x: Tensor | tf.GradSaveFunc, w: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
  (save as tf.GradSaveFunc)([x as Tensor, w as Tensor]);
  return {
    value: matMul(x as Tensor, w as Tensor),
    gradFunc: (dy, [xs, ws]) => tf.tidy(() => [
      matMul(dy, tf.transpose(ws)),
      hasKernel(MATMUL_AT_B) ? (tf.engine().runKernel(MATMUL_AT_B, { a: xs, b: dy }, {}) as Tensor) : tf.matMul(tf.transpose(xs) as Tensor2D, dy as Tensor2D),
    ]),
  };
}) as (x: Tensor2D, w: Tensor2D) => Tensor2D;

/**
 * 3x3 max pooling, padding 1. The wasm backend's MaxPoolGrad (tfjs 4.22) starts its running maximum at
 * 0, so windows of negative values send their gradient to the wrong pixel: on wasm the gradient is our
 * kernel; elsewhere the stock kernel runs on the input shifted to be positive, which moves no maximum.
 */
export function maxPool3x3(x: Tensor4D, stride: number): Tensor4D {
  const pool = custom((input: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
    const y = tf.maxPool(input as Tensor4D, 3, stride, 1);
    (save as tf.GradSaveFunc)([input as Tensor, y]);
    return {
      value: y,
      gradFunc: (dy, [xs, ys]) => tf.tidy(() => {
        if (hasKernel(MAX_POOL_3X3_GRAD)) return tf.engine().runKernel(MAX_POOL_3X3_GRAD, { x: xs, dy }, { stride }) as Tensor;
        const shift = tf.sub(1, tf.min(xs));
        return tf.engine().runKernel('MaxPoolGrad', { dy, input: tf.add(xs, shift), output: tf.add(ys, shift) },
          { filterSize: 3, strides: stride, pad: 1 }) as Tensor;
      }),
    };
  });
  return pool(x) as Tensor4D;
}

/** 1 / (pixels inside the image) of each 3x3 window with padding 1, as [1, Ho, Wo, 1]. */
function reciprocalWindowCounts(H: number, W: number, Ho: number, Wo: number, stride: number): Tensor4D {
  const inside = (o: number, n: number) => Math.min(o * stride + 2, n) - Math.max(o * stride - 1, 0);
  const r = new Float32Array(Ho * Wo);
  for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) r[i * Wo + j] = 1 / (inside(i, H) * inside(j, W));
  return tf.tensor4d(r, [1, Ho, Wo, 1]);
}

/**
 * 3x3 average pooling, padding 1, over the pixels inside the image only (count_include_pad=False, as in
 * DARTS). tfjs' forward pass averages that way, but its AvgPoolGrad divides every window by 9, also where
 * the forward pass divided by 4 or 6 (the borders): the gradient here scales dy by each window's own
 * count and spreads it back with the transposed depthwise convolution of a 3x3 filter of ones.
 */
export function avgPool3x3(x: Tensor4D, stride: number): Tensor4D {
  const pool = custom((input: Tensor | tf.GradSaveFunc) => ({
    value: tf.avgPool(input as Tensor4D, 3, stride, 1),
    gradFunc: (dy) => tf.tidy(() => {
      const [, H, W, C] = x.shape;
      const scaled = tf.mul(dy, reciprocalWindowCounts(H, W, dy.shape[1]!, dy.shape[2]!, stride));
      return tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: scaled, filter: tf.ones([3, 3, C, 1]) },
        { strides: stride, pad: 1, dilations: 1, inputShape: x.shape }) as Tensor;
    }),
  }));
  return pool(x) as Tensor4D;
}

/** ReLU whose gradient is one pass on wasm. */
export function relu<T extends Tensor>(x: T): T {
  if (!hasKernel(RELU_GRAD)) return tf.relu(x);
  const f = custom((input: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
    const y = tf.relu(input as Tensor);
    (save as tf.GradSaveFunc)([y]);
    return { value: y, gradFunc: (dy, [ys]) => tf.engine().runKernel(RELU_GRAD, { y: ys, dy }, {}) as Tensor };
  });
  return f(x) as T;
}

/** Concatenation along channels (NHWC); on wasm one straight copy each way. */
export function concatChannels(xs: Tensor4D[]): Tensor4D {
  if (!hasKernel(CONCAT_CHANNELS)) return tf.concat(xs, 3);
  const widths = xs.map((t) => t.shape[3]);
  const f = custom((...args: Array<Tensor | tf.GradSaveFunc>) => ({
    value: tf.engine().runKernel(CONCAT_CHANNELS, Object.fromEntries(args.slice(0, xs.length).map((t, k) => [`x${k}`, t as Tensor])), {}) as Tensor,
    gradFunc: (dy) => tf.engine().runKernel(SPLIT_CHANNELS, { x: dy }, { widths }) as Tensor[],
  }));
  return f(...xs) as Tensor4D;
}

export function symmetricPad(p: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], [p, p], [p, p], [0, 0]];
}

/** x[:, o::2, o::2, :] for o = 0 or 1, zero-padded to ceil(H/2) x ceil(W/2), differentiable. */
export function subsample2(x: Tensor4D, offset: 0 | 1): Tensor4D {
  if (hasKernel(SUBSAMPLE2)) {
    const inputShape = x.shape;
    const f = custom((input: Tensor | tf.GradSaveFunc) => ({
      value: tf.engine().runKernel(SUBSAMPLE2, { x: input as Tensor }, { offset }) as Tensor,
      gradFunc: (dy) => tf.engine().runKernel(SUBSAMPLE2_GRAD, { dy }, { offset, inputShape }) as Tensor,
    }));
    return f(x) as Tensor4D;
  }
  // Elsewhere: reshape and slice (tfjs has no StridedSlice gradient).
  return tf.tidy(() => {
    let [B, H, W, C] = x.shape;
    if (offset) x = tf.slice(x, [0, 1, 1, 0], [B, H - 1, W - 1, C]);
    const [h, w] = [x.shape[1], x.shape[2]];
    const [Ho, Wo] = [Math.ceil(H / 2), Math.ceil(W / 2)];
    x = tf.pad(x, [[0, 0], [0, 2 * Ho - h], [0, 2 * Wo - w], [0, 0]]);
    const rows = tf.slice(tf.reshape(x, [B * Ho, 2, 2 * Wo * C, 1]), [0, 0, 0, 0], [B * Ho, 1, 2 * Wo * C, 1]);
    const cols = tf.slice(tf.reshape(rows, [B * Ho, Wo, 2, C]), [0, 0, 0, 0], [B * Ho, Wo, 1, C]);
    return tf.reshape(cols, [B, Ho, Wo, C]);
  });
}

/**
 * Depthwise k x k convolution with PyTorch padding (dilation * (k - 1) / 2 on each side). tfjs refuses a
 * stride and a dilation above 1 together; with symmetric padding such a convolution reads only even
 * padded pixels, so it equals an undilated convolution over those pixels.
 */
export function depthwise(x: Tensor4D, filter: Tensor4D, stride: number, dilation: number): Tensor4D {
  const p = (dilation * (filter.shape[0] - 1)) / 2;
  if (stride === 1 || dilation === 1) {
    return tf.depthwiseConv2d(x, filter, stride, symmetricPad(p), 'NHWC', dilation);
  }
  if (stride !== 2 || dilation !== 2) throw new Error(`depthwise: stride ${stride} with dilation ${dilation} is not supported`);
  // Padding p even (odd k): the even padded pixels are the even pixels padded by p / 2, so no pad (and no
  // slice in the gradient, both slow on wasm) is needed.
  if (p % 2 === 0) return tf.tidy(() => tf.depthwiseConv2d(subsample2(x, 0), filter, 1, symmetricPad(p / 2)));
  return tf.tidy(() => tf.depthwiseConv2d(subsample2(tf.pad(x, symmetricPad(p)), 0), filter, 1, 'valid'));
}

/** 1x1 convolution; at stride 1 a matmul over pixels. */
export function pointwise(x: Tensor4D, filter: Tensor4D, stride = 1): Tensor4D {
  if (stride !== 1) return tf.conv2d(x, filter, stride, 'valid');
  return tf.tidy(() => {
    const [B, H, W, Ci] = x.shape;
    const Co = filter.shape[3];
    return tf.reshape(linear(tf.reshape(x, [B * H * W, Ci]), tf.reshape(filter, [Ci, Co])), [B, H, W, Co]);
  });
}
