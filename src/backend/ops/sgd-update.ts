// SGD's update as one SIMD pass per weight on wasm (../simd/sgd-update.c):
// the gradients' global norm, then decay, momentum (updated in place), clipping scale and step fused.
// Elsewhere train/sgd.ts composes the same update from tfjs ops.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { asWasm } from '../kernels/wasm-heap.ts';
import { simdFor, simdSupported } from '../simd/simd.ts';

export interface SgdHyper {
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
}

/** True where the fused update runs (wasm with SIMD). */
export const hasFusedSgd = (): boolean => tf.getBackend() === 'wasm' && simdSupported();

/** Sum of the squares of every value of `grads` (one SIMD pass each). */
export function sumSquares(grads: Tensor[]): number {
  const simd = simdFor(tf.backend());
  let sum = 0;
  for (const g of grads) sum += simd.k.sum_squares(simd.at(g), g.size);
  return sum;
}

/** w <- the SGD step of w with gradient g * scale; `buffer` (momentum, or none) is updated in place. */
export function fusedSgdUpdate(w: Variable, g: Tensor, buffer: Tensor | undefined, scale: number, h: SgdHyper): void {
  const backend = tf.backend();
  const simd = simdFor(backend);
  const out = asWasm(backend).makeOutput(w.shape, 'float32');
  simd.k.sgd_update(
    simd.at(w),
    simd.at(g),
    buffer ? simd.at(buffer) : 0,
    simd.at(out),
    w.size,
    h.lr,
    h.momentum,
    h.weightDecay,
    scale,
    h.nesterov ? 1 : 0,
  );
  const updated = tf.engine().makeTensorFromTensorInfo(out);
  w.assign(updated);
  updated.dispose();
}
