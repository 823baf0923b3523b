// 3x3 average pooling, padding 1, over the pixels inside the image only (count_include_pad=False, as in
// DARTS). tfjs' forward pass averages that way, but its AvgPoolGrad divides every window by 9, also where
// the forward pass divided by 4 or 6 (the borders): the gradient here scales dy by each window's own
// count and spreads it back with the transposed depthwise convolution of a 3x3 filter of ones.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { custom } from './custom-grad.ts';

/** 1 / (pixels inside the image) of each 3x3 window with padding 1, as [1, Ho, Wo, 1]. */
function reciprocalWindowCounts(H: number, W: number, Ho: number, Wo: number, stride: number): Tensor4D {
  const inside = (o: number, n: number) => Math.min(o * stride + 2, n) - Math.max(o * stride - 1, 0);
  const r = new Float32Array(Ho * Wo);
  for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) r[i * Wo + j] = 1 / (inside(i, H) * inside(j, W));
  return tf.tensor4d(r, [1, Ho, Wo, 1]);
}

export function avgPool3x3(x: Tensor4D, stride: number): Tensor4D {
  const pool = custom((input: Tensor | tf.GradSaveFunc) => ({
    value: tf.avgPool(input as Tensor4D, 3, stride, 1),
    gradFunc: (dy) =>
      tf.tidy(() => {
        const [, H, W, C] = x.shape;
        const scaled = tf.mul(dy, reciprocalWindowCounts(H, W, dy.shape[1]!, dy.shape[2]!, stride));
        return tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy: scaled, filter: tf.ones([3, 3, C, 1]) },
            { strides: stride, pad: 1, dilations: 1, inputShape: x.shape },
          ) as Tensor;
      }),
  }));
  return pool(x) as Tensor4D;
}
