// tf.customGrad with the loose argument types an operation's forward function actually receives.
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';

type CustomFn = Parameters<typeof tf.customGrad>[0];
type Forward = (...args: Array<Tensor | tf.GradSaveFunc>) => {
  value: Tensor;
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
};

export const custom = (f: Forward) => tf.customGrad(f as unknown as CustomFn);

/** A [M, C] matrix summed over its rows, as a [1, C] row: a ones-vector matmul. */
export const rowSum = (x: tf.Tensor2D): tf.Tensor2D => tf.matMul(tf.ones([1, x.shape[0]]), x);
