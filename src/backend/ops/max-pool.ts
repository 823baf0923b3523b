// 3x3 max pooling, padding 1. The wasm backend's MaxPoolGrad (tfjs 4.22) starts its running maximum at 0,
// so windows of negative values send their gradient to the wrong pixel: on wasm the gradient is our
// kernel; elsewhere the stock kernel runs on the input shifted to be positive, which moves no maximum.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { hasKernel } from '../kernels/fast.ts';
import { MAX_POOL_3X3_GRAD } from '../kernels/max-pool-grad.ts';
import { custom } from './custom-grad.ts';

function maxPoolGrad(dy: Tensor, x: Tensor, y: Tensor, stride: number): Tensor {
  if (hasKernel(MAX_POOL_3X3_GRAD)) return tf.engine().runKernel(MAX_POOL_3X3_GRAD, { x, dy }, { stride }) as Tensor;
  const shift = tf.sub(1, tf.min(x));
  return tf
    .engine()
    .runKernel(
      'MaxPoolGrad',
      { dy, input: tf.add(x, shift), output: tf.add(y, shift) },
      { filterSize: 3, strides: stride, pad: 1 },
    ) as Tensor;
}

export function maxPool3x3(x: Tensor4D, stride: number): Tensor4D {
  const pool = custom((input: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
    const y = tf.maxPool(input as Tensor4D, 3, stride, 1);
    (save as tf.GradSaveFunc)([input as Tensor, y]);
    return { value: y, gradFunc: (dy, [xs, ys]) => tf.tidy(() => maxPoolGrad(dy, xs, ys, stride)) };
  });
  return pool(x) as Tensor4D;
}
