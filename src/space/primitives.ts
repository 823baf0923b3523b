// Building blocks of the EDNAS operations, in DARTS' conventions (NHWC, PyTorch-style symmetric
// padding so that shapes and numbers match the reference implementation).
import * as tf from '@tensorflow/tfjs';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs';

export const BN_EPSILON = 1e-5;

/**
 * Batch normalisation with the batch's own statistics; affine when gamma and beta are given.
 * Written out rather than tf.batchNorm, whose gradient fails when scale is absent (tfjs 4.22).
 */
export function batchNorm(x: Tensor4D, gamma?: Tensor1D, beta?: Tensor1D): Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON))) as Tensor4D;
    return gamma && beta ? tf.add(tf.mul(y, gamma), beta) : y;
  });
}

export function symmetricPad(p: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], [p, p], [p, p], [0, 0]];
}

/** Keeps the even rows and columns: x[:, ::2, ::2, :], differentiable (tfjs has no StridedSlice gradient). */
export function evenPixels(x: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    let [B, H, W, C] = x.shape;
    if (H % 2 || W % 2) {
      x = tf.pad(x, [[0, 0], [0, H % 2], [0, W % 2], [0, 0]]);
      H += H % 2;
      W += W % 2;
    }
    const rows = tf.slice(tf.reshape(x, [B * H / 2, 2, W * C, 1]), [0, 0, 0, 0], [B * H / 2, 1, W * C, 1]);
    const cols = tf.slice(tf.reshape(rows, [B * H / 2, W / 2, 2, C]), [0, 0, 0, 0], [B * H / 2, W / 2, 1, C]);
    return tf.reshape(cols, [B, H / 2, W / 2, C]);
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
  return tf.tidy(() => tf.depthwiseConv2d(evenPixels(tf.pad(x, symmetricPad(p))), filter, 1, 'valid'));
}

export function pointwise(x: Tensor4D, filter: Tensor4D, stride = 1): Tensor4D {
  return tf.conv2d(x, filter, stride, 'valid');
}
