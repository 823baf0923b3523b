// Building blocks of the EDNAS operations in DARTS' conventions (NHWC, PyTorch-style symmetric padding so
// that shapes and numbers match the reference implementation). The operations that have a fast kernel
// (batch norm, the 1x1 convolution's product, pooling, ReLU, concatenation, subsampling) live one a file
// in src/backend/ops/, with their fallback and gradient; this file dispatches nothing.
import * as tf from '@tensorflow/tfjs';
import type { Tensor4D } from '@tensorflow/tfjs';
import { linear, subsample2 } from '../backend/ops.ts';

export {
  avgPool3x3,
  batchNorm,
  BN_EPSILON,
  concatChannels,
  linear,
  maxPool3x3,
  relu,
  subsample2,
  type BnMode,
  type RunningStats,
} from '../backend/ops.ts';

export function symmetricPad(p: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ];
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
  if (stride !== 2 || dilation !== 2) {
    throw new Error(`depthwise: stride ${stride} with dilation ${dilation} is not supported`);
  }
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
