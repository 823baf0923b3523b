// ReLU whose gradient is one SIMD pass on wasm (../kernels/relu-grad.ts); tfjs' own elsewhere.
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { hasKernel } from '../kernels/fast.ts';
import { RELU_GRAD } from '../kernels/relu-grad.ts';
import { custom } from './custom-grad.ts';

export function relu<T extends Tensor>(x: T): T {
  if (!hasKernel(RELU_GRAD)) return tf.relu(x);
  const f = custom((input: Tensor | tf.GradSaveFunc, save: Tensor | tf.GradSaveFunc) => {
    const y = tf.relu(input as Tensor);
    (save as tf.GradSaveFunc)([y]);
    return { value: y, gradFunc: (dy, [ys]) => tf.engine().runKernel(RELU_GRAD, { y: ys, dy }, {}) as Tensor };
  });
  return f(x) as T;
}
